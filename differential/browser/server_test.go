//go:build linux

package browser

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestServer drives the server the way an engine does, through its proxy:
// a page, a redirected target over a TLS tunnel and in plain HTTP, an IP
// address, the long poll and the report.
func TestServer(t *testing.T) {
	srv, err := startServer()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.close()
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(srv.ca.PEM) {
		t.Fatal("the CA's PEM does not parse")
	}
	proxy, _ := url.Parse("http://" + srv.addr)
	client := &http.Client{
		Transport:     &http.Transport{Proxy: http.ProxyURL(proxy), TLSClientConfig: &tls.Config{RootCAs: roots}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       10 * time.Second,
	}
	get := func(u string) (*http.Response, string) {
		t.Helper()
		resp, err := client.Get(u)
		if err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}

	sess := srv.newSession("s")
	page := &pageSpec{
		ID:     "s.0",
		Origin: "https://example.com:8443",
		Policies: []policyDelivery{
			{Value: "connect-src 'self'"},
			{Value: "connect-src *", ReportOnly: true},
			{Value: "img-src 'none'", Meta: true},
		},
		Targets:  []target{{Probe: "s-0-0", Kind: "fetch", URLs: []string{"https://a.example:8443/x", "http://b.example/y"}}},
		Settings: defaultSettings.forTargets(1),
	}
	srv.addPage(page)

	// The long poll hands out the page.
	next := make(chan *http.Response, 1)
	go func() {
		resp, err := client.Get("http://csp-harness.test" + pathNext + "?s=s")
		if err != nil {
			t.Error(err)
			next <- nil
			return
		}
		resp.Body.Close()
		next <- resp
	}()
	select {
	case <-sess.contact:
	case <-time.After(5 * time.Second):
		t.Fatal("no contact")
	}
	sess.next <- page.url()
	if resp := <-next; resp == nil || resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != page.url() {
		t.Fatalf("the long poll answered %v", resp)
	}

	resp, body := get(page.url())
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "script-src 'nonce-") || !strings.HasSuffix(csp, "connect-src 'self'") {
		t.Errorf("page header: %q", csp)
	}
	if ro := resp.Header.Get("Content-Security-Policy-Report-Only"); !strings.HasSuffix(ro, "connect-src *") {
		t.Errorf("report-only header: %q", ro)
	}
	for _, want := range []string{`<meta http-equiv="Content-Security-Policy" content="script-src &#39;nonce-`, `img-src &#39;none&#39;`, `__probe=s-0-0`, `<script nonce="`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}

	// The target redirects, tagged, then answers; both arrivals count.
	resp, _ = get("https://a.example:8443/x?__probe=s-0-0")
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || loc != "http://b.example/y?__probe=s-0-0&__hop=1" {
		t.Fatalf("first hop: %d to %q", resp.StatusCode, loc)
	}
	if resp, body := get("http://b.example/y?__probe=s-0-0&__hop=1"); resp.StatusCode != http.StatusOK || body != "ok" {
		t.Fatalf("last hop: %d %q", resp.StatusCode, body)
	}
	arr := srv.arrivalsOf("s-0-0")
	if len(arr) != 2 || arr[0] != (arrival{Hop: 0, Method: "GET", Scheme: "https", Host: "a.example", Port: "8443", Path: "/x"}) ||
		arr[1].Hop != 1 || arr[1].Scheme != "http" || arr[1].Port != "80" {
		t.Errorf("arrivals: %+v", arr)
	}
	if o := observe(page.Targets[0], &attemptResult{Outcome: "load"}, arr); o.Verdict != Allowed || o.Reached != 2 {
		t.Errorf("observe: %+v", o)
	}

	// TLS for an IP address, and a WebSocket handshake.
	if resp, _ := get("https://127.0.0.1:8443/?__probe=ip"); resp.StatusCode != http.StatusOK {
		t.Errorf("https to an IP address: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest("GET", "http://b.example/ws?__probe=ws", nil)
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
	req.Header.Set("Sec-WebSocket-Version", "13")
	if resp, err := client.Do(req); err != nil {
		t.Errorf("WebSocket: %v", err)
	} else {
		if resp.StatusCode != http.StatusSwitchingProtocols || resp.Header.Get("Sec-WebSocket-Accept") != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" {
			t.Errorf("WebSocket handshake: %d %q", resp.StatusCode, resp.Header.Get("Sec-WebSocket-Accept"))
		}
		resp.Body.Close()
	}

	// The report goes back to the queue.
	form := url.Values{"r": {`{"page":"s.0","origin":"https://example.com:8443","attempts":[{"probe":"s-0-0","outcome":"load"}]}`}}
	resp, err = client.PostForm(page.Origin+pathResult+page.ID, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != pathNext+"?s=s" {
		t.Errorf("report answered %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	select {
	case res := <-page.result:
		if res.Origin != page.Origin || len(res.Attempts) != 1 {
			t.Errorf("report: %+v", res)
		}
	default:
		t.Error("the report did not reach the harness")
	}

	if resp, _ := get("http://elsewhere.example/favicon.png"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a stray request got %d", resp.StatusCode)
	}
	if stray := srv.strayRequests(); len(stray) != 1 || !strings.Contains(stray[0], "elsewhere.example") {
		t.Errorf("stray requests: %v", stray)
	}
}
