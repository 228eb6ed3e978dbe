//go:build linux

package browser

import (
	"bufio"
	"context"
	"crypto/sha1"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cspmodel/cspmodel/model"
)

// The server is the only thing the engines ever talk to. It listens on one
// ephemeral port of 127.0.0.1 and plays three parts at once:
//
//   - a forward proxy: every engine sends all its traffic to it, plain HTTP
//     requests in absolute form and everything else through CONNECT tunnels,
//     inside which it speaks TLS (with a certificate from the run's test CA)
//     when the client starts a handshake, and plain HTTP otherwise;
//   - the origin of every test page, whatever scheme, host and port the case
//     asks for, and of the control endpoints under /__csp/;
//   - every target: a request whose query carries __probe=ID is recorded as
//     having arrived, then answered with the next redirect of its case, a
//     WebSocket handshake, an event stream, an image or a short text.
//
// No name is ever resolved and no other address is contacted.

// Control endpoints, served on any origin.
const (
	pathNext     = "/__csp/next"    // ?s=SESSION: long poll for the next page
	pathPage     = "/__csp/page/"   // + page id: a test page
	pathResult   = "/__csp/result/" // + page id: the page's form POST (or, for a page of checks, GET ?r=)
	pathResource = "/__csp/r/"      // + probe id + name: a document, frame or worker a unit prepared
	pathReport   = "/__csp/report/" // + probe id + "/" + disposition: a report-uri report
	pathArrived  = "/__csp/arrived" // ?p=PROBE&hop=N&ms=T: long poll until hop N of a target arrived
)

// Query parameters that tag target URLs.
const (
	paramProbe = "__probe"
	paramHop   = "__hop"
)

// target is one request a page makes: its API and its URL list (the URL
// given to the API, then each redirect the server answers with), and what
// the server answers at the end of the list when not the default (a
// framed document with its policies).
type target struct {
	Probe string
	Kind  string
	URLs  []string
	Final *resource
}

// resource is a response a unit prepared: its headers and body.
type resource struct {
	Header http.Header
	Body   []byte
}

// cspReport is a report-uri report the server received.
type cspReport struct {
	// Disposition is that of the policy that sent it: the harness gives
	// enforced and report-only policies report-uris of their own.
	Disposition string `json:"disposition"`
	Body        struct {
		Report struct {
			EffectiveDirective string `json:"effective-directive"`
			ViolatedDirective  string `json:"violated-directive"`
			BlockedURI         string `json:"blocked-uri"`
			Disposition        string `json:"disposition"`
		} `json:"csp-report"`
	} `json:"body"`
}

// violation is the report as the page would have seen the event.
func (r cspReport) violation() seenViolation {
	return seenViolation{BlockedURI: r.Body.Report.BlockedURI, EffectiveDirective: r.Body.Report.EffectiveDirective,
		ViolatedDirective: r.Body.Report.ViolatedDirective, Disposition: r.Disposition, By: "report-uri"}
}

// arrival is one request that reached the server for a target.
type arrival struct {
	Hop     int
	Method  string
	Scheme  string // http or https, as the server saw the connection
	Host    string
	Port    string
	Path    string
	Upgrade string
	Origin  string // the request's Origin header
}

// pageSpec is one test page: an origin, its policies, and the targets its
// script tries in order; or, for a page of checks (Units not empty), the
// units its script runs, with the responses and targets they prepared.
type pageSpec struct {
	ID       string
	Origin   string // serialized origin, no trailing slash
	Policies []policyDelivery
	Targets  []target
	Settings pageSettings

	Units     []jsUnit
	Resources map[string]*resource

	result chan pageResult
}

// policyDelivery is one Content-Security-Policy header or <meta> element.
type policyDelivery struct {
	Value      string
	ReportOnly bool
	Meta       bool
}

// pageSettings are the page script's waits, in milliseconds.
type pageSettings struct {
	// Settle is how long a failed attempt waits for its violation event.
	Settle int `json:"settleMs"`
	// Wait is how long beacon and ping attempts, which signal no
	// completion, are given before the page reports.
	Wait int `json:"waitMs"`
	// Attempt bounds any single attempt.
	Attempt int `json:"attemptMs"`
	// Page bounds the whole page: it then reports what it has.
	Page int `json:"pageMs"`
	// Concurrency is how many units of a page of checks run at once.
	Concurrency int `json:"-"`
}

var defaultSettings = pageSettings{Settle: 60, Wait: 300, Attempt: 4000, Concurrency: 4}

// forTargets returns the settings of a page with n targets: its time
// bound grows with them.
func (s pageSettings) forTargets(n int) pageSettings {
	s.Page = 2*s.Attempt + n*(s.Settle+100) + s.Wait
	return s
}

// forUnits returns the settings of a page of units of checks, which run
// Concurrency at a time, each within unitTimeout (or its own longer
// timeout, which the bound adds in full) and two settles.
func (s pageSettings) forUnits(units []jsUnit) pageSettings {
	c := max(1, s.Concurrency)
	s.Page = 2000 + (len(units)+c-1)/c*(unitTimeout+2*pageSettleMs+2*docSettleMs)
	for _, u := range units {
		s.Page += max(0, u.TimeoutMs-unitTimeout)
	}
	return s
}

// pageResult is what a page's script reports.
type pageResult struct {
	Page     string          `json:"page"`
	Origin   string          `json:"origin"`
	UA       string          `json:"ua"`
	Ms       float64         `json:"ms"`
	Error    string          `json:"error,omitempty"`
	TimedOut bool            `json:"timedOut,omitempty"`
	Attempts []attemptResult `json:"attempts"`
	Stray    []seenViolation `json:"stray"`
	Units    []unitReport    `json:"units"`
}

// attemptResult is one target's outcome as the page saw it.
type attemptResult struct {
	Probe      string          `json:"probe"`
	Outcome    string          `json:"outcome"` // load, error, throw, sent, timeout
	Detail     string          `json:"detail"`
	Ms         float64         `json:"ms"`
	Violations []seenViolation `json:"violations"`
}

// seenViolation is one securitypolicyviolation event.
type seenViolation struct {
	BlockedURI         string `json:"blockedURI"`
	EffectiveDirective string `json:"effectiveDirective"`
	ViolatedDirective  string `json:"violatedDirective"`
	Disposition        string `json:"disposition"`
	// By says how the page tied the event to its attempt: "probe" (the
	// blocked URI carries the attempt's probe id) or "in-flight" (the
	// attempt was running alone when the event fired); "report-uri" for a
	// report the server received instead of an event.
	By string `json:"by"`
	// Sample and Target (the local name of the element the event fired
	// at) are kept for the checks' events.
	Sample string `json:"sample,omitempty"`
	Target string `json:"target,omitempty"`
}

// session is one engine process's queue of pages.
type session struct {
	token   string
	next    chan string   // absolute URLs of pages, in order
	contact chan struct{} // closed at the engine's first request for a page
	done    chan struct{} // closed when the run is over
	once    sync.Once
}

type server struct {
	ca      *testCA
	ln      *tunnelListener
	addr    string
	httpSrv *http.Server

	mu        sync.Mutex
	sessions  map[string]*session
	pages     map[string]*pageSpec
	targets   map[string]target
	arrivals  map[string][]arrival
	resources map[string]*resource
	reports   map[string][]cspReport
	stray     []string // requests that matched nothing, for diagnostics
}

// startServer listens on an ephemeral port of 127.0.0.1.
func startServer() (*server, error) {
	ca, err := newTestCA()
	if err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen on loopback: %w", err)
	}
	s := &server{
		ca:        ca,
		ln:        newTunnelListener(l),
		addr:      l.Addr().String(),
		sessions:  map[string]*session{},
		pages:     map[string]*pageSpec{},
		targets:   map[string]target{},
		arrivals:  map[string][]arrival{},
		resources: map[string]*resource{},
		reports:   map[string][]cspReport{},
	}
	s.httpSrv = &http.Server{
		Handler:           s,
		ConnContext:       connContext,
		ReadHeaderTimeout: 20 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0), // engines drop tunnels freely
	}
	go s.httpSrv.Serve(s.ln)
	return s, nil
}

func (s *server) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	s.httpSrv.Shutdown(ctx)
	s.httpSrv.Close()
}

// newSession opens a page queue for one engine process.
func (s *server) newSession(token string) *session {
	sess := &session{token: token, next: make(chan string), contact: make(chan struct{}), done: make(chan struct{})}
	s.mu.Lock()
	s.sessions[token] = sess
	s.mu.Unlock()
	return sess
}

// startURL is where an engine is first sent: the long poll of its session.
func (s *server) startURL(sess *session) string {
	return "http://csp-harness.test" + pathNext + "?s=" + url.QueryEscape(sess.token)
}

// addPage registers a page and its targets.
func (s *server) addPage(p *pageSpec) {
	p.result = make(chan pageResult, 1)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[p.ID] = p
	for _, t := range p.Targets {
		s.targets[t.Probe] = t
	}
	for path, r := range p.Resources {
		s.resources[path] = r
	}
}

// reportsOf returns the report-uri reports the server received for a
// probe.
func (s *server) reportsOf(probe string) []cspReport {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]cspReport(nil), s.reports[probe]...)
}

// strayRequests returns the requests that matched no page or target.
func (s *server) strayRequests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.stray...)
}

// arrivalsOf returns the requests that reached the server for a probe.
func (s *server) arrivalsOf(probe string) []arrival {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]arrival(nil), s.arrivals[probe]...)
}

func (p *pageSpec) url() string { return p.Origin + pathPage + p.ID }

type tunnelKey struct{}

// connContext remembers, for requests that come through a CONNECT tunnel,
// the host and port the tunnel was opened to.
func connContext(ctx context.Context, c net.Conn) context.Context {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	if t, ok := c.(*tunnelConn); ok {
		return context.WithValue(ctx, tunnelKey{}, t)
	}
	return ctx
}

// where returns the scheme, host and port a request was addressed to.
func where(r *http.Request) (scheme, host, port string) {
	if t, ok := r.Context().Value(tunnelKey{}).(*tunnelConn); ok {
		scheme = "http"
		if r.TLS != nil {
			scheme = "https"
		}
		return scheme, hostOnly(r.Host), t.port
	}
	scheme = r.URL.Scheme
	if scheme == "" {
		scheme = "http"
	}
	host = r.URL.Host
	if host == "" {
		host = r.Host
	}
	port = r.URL.Port()
	if port == "" {
		switch scheme {
		case "https", "wss":
			port = "443"
		default:
			port = "80"
		}
	}
	return scheme, hostOnly(host), port
}

func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return strings.Trim(hostport, "[]")
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodConnect {
		s.serveConnect(w, r)
		return
	}
	q := r.URL.Query()
	if probe := q.Get(paramProbe); probe != "" {
		s.serveTarget(w, r, probe, q.Get(paramHop))
		return
	}
	switch p := r.URL.Path; {
	case p == pathNext:
		s.serveNext(w, r, q.Get("s"))
	case strings.HasPrefix(p, pathPage):
		s.servePage(w, r, strings.TrimPrefix(p, pathPage))
	case strings.HasPrefix(p, pathResult):
		s.serveResult(w, r, strings.TrimPrefix(p, pathResult))
	case strings.HasPrefix(p, pathResource):
		s.serveResource(w, r)
	case strings.HasPrefix(p, pathReport):
		s.serveReport(w, r, strings.TrimPrefix(p, pathReport))
	case p == pathArrived:
		s.serveArrived(w, r)
	case p == "/favicon.ico":
		w.WriteHeader(http.StatusNoContent)
	default:
		scheme, host, port := where(r)
		s.mu.Lock()
		if len(s.stray) < 100 {
			s.stray = append(s.stray, fmt.Sprintf("%s %s://%s:%s%s", r.Method, scheme, host, port, r.URL.RequestURI()))
		}
		s.mu.Unlock()
		http.NotFound(w, r)
	}
}

// serveConnect opens a tunnel: the client's bytes are served again by this
// server, as TLS if they start with a handshake record.
func (s *server) serveConnect(w http.ResponseWriter, r *http.Request) {
	host, port, err := net.SplitHostPort(r.Host)
	if err != nil {
		http.Error(w, "bad CONNECT target", http.StatusBadRequest)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "cannot tunnel", http.StatusInternalServerError)
		return
	}
	c, rw, err := hj.Hijack()
	if err != nil {
		return
	}
	if _, err := rw.WriteString("HTTP/1.1 200 Connection Established\r\n\r\n"); err != nil || rw.Flush() != nil {
		c.Close()
		return
	}
	go s.ln.push(&tunnelConn{Conn: c, r: rw.Reader, host: host, port: port}, s.ca)
}

// serveTarget records an arrival and answers it.
func (s *server) serveTarget(w http.ResponseWriter, r *http.Request, probe, hopParam string) {
	hop, _ := strconv.Atoi(hopParam)
	scheme, host, port := where(r)
	s.mu.Lock()
	t, known := s.targets[probe]
	s.arrivals[probe] = append(s.arrivals[probe], arrival{
		Hop: hop, Method: r.Method, Scheme: scheme, Host: host, Port: port,
		Path: r.URL.EscapedPath(), Upgrade: r.Header.Get("Upgrade"), Origin: r.Header.Get("Origin"),
	})
	s.mu.Unlock()

	h := w.Header()
	if o := r.Header.Get("Origin"); o != "" {
		h.Set("Access-Control-Allow-Origin", o)
		h.Set("Access-Control-Allow-Credentials", "true")
	} else {
		h.Set("Access-Control-Allow-Origin", "*")
	}
	h.Set("Cache-Control", "no-store")
	if r.Method == http.MethodOptions {
		h.Set("Access-Control-Allow-Methods", "GET, POST")
		h.Set("Access-Control-Allow-Headers", "*")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if known && hop+1 < len(t.URLs) {
		next, err := tagURL(t.URLs[hop+1], probe, hop+1)
		if err != nil {
			http.Error(w, "bad redirect target", http.StatusInternalServerError)
			return
		}
		h.Set("Location", next)
		w.WriteHeader(http.StatusFound)
		return
	}
	switch {
	case known && t.Final != nil:
		for k, vs := range t.Final.Header {
			h[k] = append([]string(nil), vs...)
		}
		w.Write(t.Final.Body)
	case strings.EqualFold(r.Header.Get("Upgrade"), "websocket"):
		acceptWebSocket(w, r)
	case t.Kind == "eventsource" || strings.Contains(r.Header.Get("Accept"), "text/event-stream"):
		h.Set("Content-Type", "text/event-stream")
		io.WriteString(w, "retry: 600000\ndata: hello\n\n")
	case t.Kind == "image":
		h.Set("Content-Type", "image/gif")
		w.Write(onePixelGIF)
	default:
		h.Set("Content-Type", "text/plain")
		io.WriteString(w, "ok")
	}
}

// onePixelGIF is a transparent 1×1 GIF.
var onePixelGIF = []byte{
	0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
}

// acceptWebSocket completes an opening handshake (RFC 6455 section 4.2.2)
// and closes the connection at once with a normal-closure frame.
func acceptWebSocket(w http.ResponseWriter, r *http.Request) {
	sum := sha1.Sum([]byte(r.Header.Get("Sec-WebSocket-Key") + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "cannot upgrade", http.StatusInternalServerError)
		return
	}
	c, rw, err := hj.Hijack()
	if err != nil {
		return
	}
	defer c.Close()
	fmt.Fprintf(rw, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n",
		base64.StdEncoding.EncodeToString(sum[:]))
	rw.Write([]byte{0x88, 0x02, 0x03, 0xe8}) // close, status 1000
	rw.Flush()
	c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	io.Copy(io.Discard, rw) // let the client answer the close before the socket goes
}

// serveNext parks an engine until its next page is ready.
func (s *server) serveNext(w http.ResponseWriter, r *http.Request, token string) {
	s.mu.Lock()
	sess := s.sessions[token]
	s.mu.Unlock()
	if sess == nil {
		http.NotFound(w, r)
		return
	}
	sess.once.Do(func() { close(sess.contact) })
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	select {
	case u := <-sess.next:
		http.Redirect(w, r, u, http.StatusSeeOther)
	case <-sess.done:
		io.WriteString(w, "<!doctype html><title>done</title>done")
	case <-time.After(15 * time.Second):
		io.WriteString(w, `<!doctype html><meta http-equiv="refresh" content="0"><title>waiting</title>`)
	case <-r.Context().Done():
	}
}

// servePage writes a test page: its policies as headers and <meta>
// elements, then the probe script with the page's configuration.
func (s *server) servePage(w http.ResponseWriter, r *http.Request, id string) {
	s.mu.Lock()
	p := s.pages[id]
	s.mu.Unlock()
	if p == nil {
		http.NotFound(w, r)
		return
	}
	if len(p.Units) > 0 {
		s.serveCheckPage(w, p)
		return
	}
	nonce := newNonce()
	h := w.Header()
	var metas strings.Builder
	for _, d := range p.Policies {
		name := "Content-Security-Policy"
		if d.ReportOnly {
			name += "-Report-Only"
		}
		value := withScriptNonce(d.Value, nonce, d.Meta)
		if d.Meta {
			fmt.Fprintf(&metas, "<meta http-equiv=\"%s\" content=\"%s\">\n", name, html.EscapeString(value))
		} else {
			h.Add(name, value)
		}
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	type jsTarget struct {
		Probe   string   `json:"probe"`
		Kind    string   `json:"kind"`
		URL     string   `json:"url"`
		Origins []string `json:"origins"`
	}
	cfg := struct {
		Page    string     `json:"page"`
		Targets []jsTarget `json:"targets"`
		pageSettings
	}{Page: p.ID, pageSettings: p.Settings}
	for _, t := range p.Targets {
		u, err := tagURL(t.URLs[0], t.Probe, 0)
		if err != nil {
			u = t.URLs[0]
		}
		cfg.Targets = append(cfg.Targets, jsTarget{Probe: t.Probe, Kind: t.Kind, URL: u, Origins: originsOf(t.URLs)})
	}
	js, err := json.Marshal(cfg) // escapes <, > and &, so it cannot end the script
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	fmt.Fprintf(w, `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,">
%s<title>%s</title></head>
<body>
<form id="result" method="POST" action="%s"><input type="hidden" name="r" id="r"></form>
<script nonce="%s">const CFG = %s;
%s</script>
</body></html>
`, metas.String(), html.EscapeString(p.ID), html.EscapeString(pathResult+p.ID), nonce, js, probeScript)
}

// serveCheckPage writes a page of checks: checks.js, before any <meta>
// policy of the page, which has none but in a frame-ancestors case whose
// top page is the navigating document (policies.go says what the harness
// adds to them).
func (s *server) serveCheckPage(w http.ResponseWriter, p *pageSpec) {
	nonce := newNonce()
	h := w.Header()
	metas, err := deliverPolicies(h, p.Policies, nonce, "")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	cfg := struct {
		Page        string   `json:"page"`
		Units       []jsUnit `json:"units"`
		Concurrency int      `json:"concurrency"`
		SettleMs    int      `json:"settleMs"`
		PageMs      int      `json:"pageMs"`
		ResultURL   string   `json:"resultURL"`
	}{p.ID, p.Units, p.Settings.Concurrency, pageSettleMs, p.Settings.Page, pathResult + p.ID}
	js, err := json.Marshal(cfg)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	fmt.Fprintf(w, `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script nonce="%s">const CFG = %s;
%s</script>
%s<title>%s</title></head>
<body>
</body></html>
`, nonce, js, checksScript, metas, html.EscapeString(p.ID))
}

// serveResult takes a page's report and sends the engine back to its queue.
func (s *server) serveResult(w http.ResponseWriter, r *http.Request, id string) {
	s.mu.Lock()
	p := s.pages[id]
	s.mu.Unlock()
	// A page of requests posts its form; a page of checks, whose own
	// policies may include form-action, navigates with its report in the
	// query.
	if p == nil || (r.Method != http.MethodPost && (len(p.Units) == 0 || r.Method != http.MethodGet)) {
		http.NotFound(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<20)
	var res pageResult
	if err := r.ParseForm(); err != nil {
		res.Error = "result form: " + err.Error()
	} else if err := json.Unmarshal([]byte(r.Form.Get("r")), &res); err != nil {
		res.Error = "result JSON: " + err.Error()
	}
	select {
	case p.result <- res:
	default: // a second post for the same page is ignored
	}
	token, _, _ := strings.Cut(id, ".")
	http.Redirect(w, r, pathNext+"?s="+url.QueryEscape(token), http.StatusSeeOther)
}

// serveResource answers with a response a unit prepared, whatever the
// origin.
func (s *server) serveResource(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	res := s.resources[r.URL.Path]
	s.mu.Unlock()
	if res == nil {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	for k, vs := range res.Header {
		h[k] = append([]string(nil), vs...)
	}
	h.Set("Cache-Control", "no-store")
	w.Write(res.Body)
}

// serveArrived answers, as soon as hop hop of the target tagged p has
// reached the server or after ms milliseconds (at most 10 s), whether it
// has: {"arrived": true|false}. A page of checks asks it when a navigation
// it started has run its course.
func (s *server) serveArrived(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	probe := q.Get("p")
	hop, _ := strconv.Atoi(q.Get("hop"))
	ms, _ := strconv.Atoi(q.Get("ms"))
	deadline := time.Now().Add(time.Duration(min(max(ms, 0), 10000)) * time.Millisecond)
	arrived := false
	for {
		for _, a := range s.arrivalsOf(probe) {
			arrived = arrived || a.Hop >= hop
		}
		if arrived || !time.Now().Before(deadline) || r.Context().Err() != nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"arrived":%v}`, arrived)
}

// serveReport records a report-uri report: the path names the probe and
// the disposition of the policy that sent it.
func (s *server) serveReport(w http.ResponseWriter, r *http.Request, rest string) {
	probe, disposition, _ := strings.Cut(rest, "/")
	rep := cspReport{Disposition: disposition}
	b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	json.Unmarshal(b, &rep.Body) // a body that does not parse still counts as a report
	s.mu.Lock()
	s.reports[probe] = append(s.reports[probe], rep)
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// tunnelListener hands the HTTP server both the connections accepted on the
// port and the connections carried by CONNECT tunnels.
type tunnelListener struct {
	net.Listener
	conns chan net.Conn
	errs  chan error
	done  chan struct{}
	once  sync.Once
}

func newTunnelListener(l net.Listener) *tunnelListener {
	tl := &tunnelListener{Listener: l, conns: make(chan net.Conn), errs: make(chan error, 1), done: make(chan struct{})}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				tl.errs <- err
				return
			}
			select {
			case tl.conns <- c:
			case <-tl.done:
				c.Close()
				return
			}
		}
	}()
	return tl
}

func (tl *tunnelListener) Accept() (net.Conn, error) {
	select {
	case c := <-tl.conns:
		return c, nil
	case err := <-tl.errs:
		return nil, err
	case <-tl.done:
		return nil, net.ErrClosed
	}
}

func (tl *tunnelListener) Close() error {
	tl.once.Do(func() { close(tl.done) })
	return tl.Listener.Close()
}

// push queues a tunnel's connection, wrapped in TLS when the client's first
// byte opens a handshake record.
func (tl *tunnelListener) push(c *tunnelConn, ca *testCA) {
	c.SetReadDeadline(time.Now().Add(20 * time.Second))
	b, err := c.r.Peek(1)
	c.SetReadDeadline(time.Time{})
	if err != nil {
		c.Close()
		return
	}
	var conn net.Conn = c
	if b[0] == 0x16 { // TLS handshake record
		conn = tls.Server(c, ca.serverConfig(c.host))
	}
	select {
	case tl.conns <- conn:
	case <-tl.done:
		conn.Close()
	}
}

// tunnelConn is the client side of a CONNECT tunnel, read through the
// buffer the proxy request was read with.
type tunnelConn struct {
	net.Conn
	r    *bufio.Reader
	host string
	port string
}

func (c *tunnelConn) Read(b []byte) (int, error) { return c.r.Read(b) }

// originsOf returns the serialized origins of a URL list.
func originsOf(urls []string) []string {
	var out []string
	for _, raw := range urls {
		if u, err := model.ParseURL(raw); err == nil {
			out = append(out, model.URLOrigin(u).String())
		}
	}
	return out
}

// tagURL adds the probe id (and, after the first, the hop number) to a
// target URL's query, where no CSP matching looks. It serializes the URL as
// the URL Standard's parser leaves it, so the engine reads the same URL as
// the model.
func tagURL(raw, probe string, hop int) (string, error) {
	u, err := model.ParseURL(raw)
	if err != nil {
		return "", err
	}
	tag := paramProbe + "=" + probe
	if hop > 0 {
		tag += "&" + paramHop + "=" + strconv.Itoa(hop)
	}
	if u.HasQuery && u.Query != "" {
		u.Query += "&" + tag
	} else {
		u.Query = tag
	}
	u.HasQuery = true
	return u.Serialize(false), nil
}

// untagURL removes the probe tags from a URL an engine reported, so that it
// can be compared with the model's blocked URI.
func untagURL(s string) string {
	base, query, ok := strings.Cut(s, "?")
	if !ok {
		return s
	}
	query, frag, hasFrag := strings.Cut(query, "#")
	var kept []string
	for _, kv := range strings.Split(query, "&") {
		if strings.HasPrefix(kv, paramProbe+"=") || strings.HasPrefix(kv, paramHop+"=") {
			continue
		}
		kept = append(kept, kv)
	}
	out := base
	if len(kept) > 0 {
		out += "?" + strings.Join(kept, "&")
	}
	if hasFrag {
		out += "#" + frag
	}
	return out
}

// probeOf returns the probe id a URL carries, if any.
func probeOf(s string) string {
	_, query, ok := strings.Cut(s, "?")
	if !ok {
		return ""
	}
	query, _, _ = strings.Cut(query, "#")
	for _, kv := range strings.Split(query, "&") {
		if v, ok := strings.CutPrefix(kv, paramProbe+"="); ok {
			return v
		}
	}
	return ""
}
