//go:build linux

package browser

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/model"
)

// The generator makes cases a page can run, from a seed. It works in
// scenarios: a page origin and one to three policy deliveries, then a dozen
// or so requests from that page. Each scenario draws from its own random
// source, seeded by the run's seed and the scenario's number, so the first
// scenarios of a large set are the scenarios of a small one: a seeded
// subset is a prefix, and a case's id names the same case whatever the
// size of the set.
//
// Unlike differential.Generate, whose cases each bring their own policies
// (model against engine, where a case costs microseconds), this generator
// lets a dozen or so requests share a scenario's page, since loading a page
// is what costs in a browser.
//
// The parts are drawn from small pools that hold the edges that matter:
// http and https pages, hostnames and IP addresses, default and custom
// ports; 'self', *, 'none', scheme-sources and host-sources of every shape
// (wildcard hosts and ports, explicit default ports, leading zeros, path
// parts with trailing slashes, percent-encoding and capitals); every
// connection kind; redirects; several policies, report-only and <meta>.
// About half of the requests are derived from a source expression of the
// scenario's own policies, with at most one part changed, so that allowed
// and blocked verdicts both occur and sit next to each other.

// GeneratedPrefix starts the id of every generated case.
const GeneratedPrefix = "gen/"

// Generate returns the first n cases of the set seeded by seed.
func Generate(seed uint64, n int) []corpus.Case {
	var cases []corpus.Case
	for s := 0; len(cases) < n; s++ {
		cases = append(cases, scenario(seed, s)...)
	}
	return cases[:n]
}

// weighted picks one of the choices, in proportion to their weights.
type weighted[T any] []struct {
	w int
	v T
}

func (ws weighted[T]) pick(r *rand.Rand) T {
	total := 0
	for _, c := range ws {
		total += c.w
	}
	n := r.IntN(total)
	for _, c := range ws {
		if n < c.w {
			return c.v
		}
		n -= c.w
	}
	return ws[len(ws)-1].v
}

func pickOne[T any](r *rand.Rand, vs ...T) T { return vs[r.IntN(len(vs))] }

// pageOrigins are the page origins: http and https, hostnames and IP
// addresses, default and custom ports.
var pageOrigins = weighted[string]{
	{14, "http://example.com"},
	{20, "http://example.com:8080"},
	{12, "https://example.com"},
	{12, "https://example.com:8443"},
	{6, "http://sub.example.com:8000"},
	{4, "https://a.b.example.com"},
	{10, "http://127.0.0.1:8080"},
	{6, "http://127.0.0.1"},
	{5, "https://127.0.0.1:8443"},
	{3, "http://localhost:8080"},
	{3, "http://[::1]:8080"},
	{5, "http://example.org:81"},
}

// hosts are the hosts of source expressions and URLs.
var hosts = weighted[string]{
	{30, "example.com"},
	{10, "sub.example.com"},
	{6, "a.b.example.com"},
	{8, "example.org"},
	{6, "not-example.com"},
	{8, "127.0.0.1"},
	{3, "localhost"},
	{2, "EXAMPLE.COM"},
	{1, "example.com."},
	{2, "xn--tdaaaaaa.de"},
}

// sourceHosts adds the wildcard host-parts.
var sourceHosts = append(weighted[string]{{8, "*"}, {10, "*.example.com"}, {2, "*.com"}}, hosts...)

// urlHosts adds an IPv6 address, which no host-part can name.
var urlHosts = append(weighted[string]{{2, "[::1]"}}, hosts...)

// ports are explicit ports of URLs (none of them a Fetch bad port).
var ports = weighted[string]{{30, ""}, {8, "80"}, {8, "443"}, {14, "8080"}, {8, "8443"}, {6, "8000"}, {4, "81"}}

// sourcePorts adds the port-parts no URL has.
var sourcePorts = append(weighted[string]{{8, "*"}, {2, "0443"}, {2, "080"}, {1, "99999"}, {1, "0"}}, ports...)

// urlPaths are the paths of target URLs.
var urlPaths = weighted[string]{
	{14, "/"}, {6, ""}, {6, "/api"}, {8, "/api/"}, {10, "/api/x"}, {4, "/apix"}, {4, "/API/x"},
	{3, "/api/x/y"}, {3, "/a%20b/c"}, {2, "/a b/c"}, {3, "/~user/x"}, {3, "/%7Euser/x"},
	{2, "/%7euser/x"}, {3, "/p%2Fq"}, {3, "/p/q"}, {2, "/caf%C3%A9/x"}, {2, "/café/x"}, {2, "/api/x?y=1"},
}

// sourcePaths are the path-parts of host-sources.
var sourcePaths = weighted[string]{
	{60, ""}, {8, "/"}, {6, "/api"}, {10, "/api/"}, {3, "/API/"}, {3, "/a%20b/"}, {3, "/~user/"},
	{3, "/%7Euser/"}, {3, "/p/"}, {3, "/p%2Fq"}, {3, "/api/x"}, {2, "/caf%C3%A9/"},
}

// kinds are the request kinds, with an image now and then.
var kinds = weighted[string]{
	{24, "fetch"}, {20, "websocket"}, {12, "xhr"}, {12, "eventsource"}, {11, "beacon"}, {11, "ping"}, {6, "image"},
}

// scenario returns the cases of scenario s.
func scenario(seed uint64, s int) []corpus.Case {
	r := rand.New(rand.NewPCG(seed, uint64(s)))
	origin := pageOrigins.pick(r)
	sc := &scene{r: r, origin: model.URLOrigin(model.MustParseURL(origin))}
	nPolicies := weighted[int]{{70, 1}, {22, 2}, {8, 3}}.pick(r)
	var policies []corpus.PolicyInput
	for range nPolicies {
		p := corpus.PolicyInput{Disposition: "enforce", Source: "header"}
		choice := weighted[string]{{60, "header"}, {20, "report"}, {15, "meta"}, {5, "meta-report"}}.pick(r)
		switch choice {
		case "report":
			p.Disposition = "report"
		case "meta":
			p.Source = "meta"
		case "meta-report":
			p.Source, p.Disposition = "meta", "report"
		}
		p.Value = sc.policy(p.Source == "header")
		policies = append(policies, p)
	}
	n := 14 + r.IntN(15)
	cases := make([]corpus.Case, 0, n)
	for i := range n {
		kind := kinds.pick(r)
		c := corpus.Case{
			ID:         fmt.Sprintf("%s%d/%04d/%02d", GeneratedPrefix, seed, s, i),
			Policies:   policies,
			SelfOrigin: origin,
			Source:     fmt.Sprintf("generated (seed %d, scenario %d)", seed, s),
		}
		if kind == "image" {
			d := "image"
			c.Request.Destination = &d
		} else {
			c.Request.Kind = kind
		}
		c.Request.URLList = sc.urlList(kind)
		cases = append(cases, c)
	}
	return cases
}

// scene holds one scenario's random source and what its requests derive
// from.
type scene struct {
	r       *rand.Rand
	origin  model.Origin
	sources []string // every source expression written so far
}

// policy returns one delivery's value: usually one policy, and in a header
// sometimes two joined by a comma.
func (sc *scene) policy(header bool) string {
	if header && sc.r.IntN(10) == 0 {
		return sc.onePolicy() + ", " + sc.onePolicy()
	}
	return sc.onePolicy()
}

func (sc *scene) onePolicy() string {
	r := sc.r
	var ds []string
	choice := weighted[string]{{62, "connect"}, {18, "default"}, {12, "both"}, {8, "img"}}.pick(r)
	switch choice {
	case "connect":
		ds = append(ds, "connect-src"+sc.sourceList())
	case "default":
		ds = append(ds, "default-src"+sc.sourceList())
	case "both":
		ds = append(ds, "default-src"+sc.sourceList(), "connect-src"+sc.sourceList())
	case "img":
		ds = append(ds, "img-src"+sc.sourceList(), "connect-src"+sc.sourceList())
	}
	if r.IntN(6) == 0 {
		ds = append(ds, "img-src"+sc.sourceList())
	}
	if r.IntN(8) == 0 {
		ds = append(ds, "script-src 'self'")
	}
	r.Shuffle(len(ds), func(i, j int) { ds[i], ds[j] = ds[j], ds[i] })
	return strings.Join(ds, "; ")
}

// sourceList returns a directive's value, with its leading space.
func (sc *scene) sourceList() string {
	r := sc.r
	if r.IntN(14) == 0 {
		return pickOne(r, " 'none'", " 'NONE'", "")
	}
	n := weighted[int]{{40, 1}, {35, 2}, {17, 3}, {8, 4}}.pick(r)
	var b strings.Builder
	for range n {
		e := sc.sourceExpression()
		sc.sources = append(sc.sources, e)
		b.WriteString(" " + e)
	}
	return b.String()
}

func (sc *scene) sourceExpression() string {
	r := sc.r
	choice := weighted[string]{{14, "self"}, {7, "star"}, {12, "scheme"}, {62, "host"}, {3, "noise"}, {2, "none"}}.pick(r)
	switch choice {
	case "self":
		return weighted[string]{{9, "'self'"}, {1, "'SELF'"}}.pick(r)
	case "star":
		return "*"
	case "scheme":
		return weighted[string]{{5, "http:"}, {5, "https:"}, {5, "ws:"}, {4, "wss:"}, {1, "HTTPS:"}}.pick(r)
	case "noise":
		return pickOne(r, "'unsafe-inline'", "'nonce-abc'", "data:", "'strict-dynamic'")
	case "none":
		return "'none'"
	}
	var b strings.Builder
	if s := (weighted[string]{{40, ""}, {22, "http"}, {20, "https"}, {10, "ws"}, {8, "wss"}}).pick(r); s != "" {
		b.WriteString(s + "://")
	}
	host := sourceHosts.pick(r)
	if r.IntN(3) == 0 && !sc.origin.Opaque {
		host = sc.origin.Host.Serialized // often the page's own host
	}
	if strings.HasPrefix(host, "[") {
		host = "example.com" // IPv6 addresses are not in the host-part grammar
	}
	b.WriteString(host)
	if r.IntN(2) == 0 {
		p := sourcePorts.pick(r)
		if r.IntN(3) == 0 && sc.origin.Port > 0 {
			p = fmt.Sprint(sc.origin.Port)
		}
		if p != "" {
			b.WriteString(":" + p)
		}
	}
	b.WriteString(sourcePaths.pick(r))
	return b.String()
}

// urlList returns a request's URL list: its URL, and for HTTP requests now
// and then one or two redirects.
func (sc *scene) urlList(kind string) []string {
	list := []string{sc.url(kind)}
	if kind != "websocket" && sc.r.IntN(6) == 0 {
		for range 1 + sc.r.IntN(2) {
			list = append(list, sc.url(kind))
		}
	}
	return list
}

// url returns a URL for a request of kind. Half of them come from a source
// expression of the scenario, or the page's origin, with one part changed
// or none; the others are drawn from the pools.
func (sc *scene) url(kind string) string {
	r := sc.r
	for range 100 {
		var scheme, host, port, path string
		if r.IntN(2) == 0 {
			scheme, host, port, path = sc.near()
		} else {
			host, port, path = urlHosts.pick(r), ports.pick(r), urlPaths.pick(r)
		}
		scheme = sc.urlScheme(kind, scheme)
		if scheme == "https" || scheme == "wss" {
			host = strings.TrimSuffix(host, ".") // the test server's TLS refuses the dot
		}
		if host == "" || strings.ContainsAny(host, "*") {
			host = strings.TrimPrefix(strings.TrimPrefix(host, "*."), "*")
			if host == "" || host == "com" {
				host = "example.com"
			} else if r.IntN(2) == 0 {
				host = "sub." + host
			}
		}
		u := scheme + "://" + host
		if port != "" {
			u += ":" + port
		}
		if path != "" && !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		u += path
		if _, err := model.ParseURL(u); err == nil {
			return u
		}
	}
	return "http://example.com/"
}

// near returns the parts of a URL next to a source expression or the page.
func (sc *scene) near() (scheme, host, port, path string) {
	r := sc.r
	if len(sc.sources) == 0 || r.IntN(4) == 0 {
		scheme, host = sc.origin.Scheme, sc.origin.Host.Serialized
		if sc.origin.Port >= 0 {
			port = fmt.Sprint(sc.origin.Port)
		}
		path = urlPaths.pick(r)
	} else {
		e := model.ParseSourceExpression(sc.sources[r.IntN(len(sc.sources))])
		switch e.Kind {
		case model.SchemeSource:
			scheme, host, port, path = strings.ToLower(e.Scheme), urlHosts.pick(r), ports.pick(r), urlPaths.pick(r)
		case model.HostSource:
			scheme, host, path = strings.ToLower(e.Scheme), e.Host, e.Path
			if e.HasPort && e.Port != "*" && len(e.Port) <= 5 {
				port = strings.TrimLeft(e.Port, "0")
			} else if e.Port == "*" {
				port = ports.pick(r)
			}
			if path == "" || strings.HasSuffix(path, "/") {
				path += pickOne(r, "", "x", "x/y")
			}
		default:
			scheme, host = sc.origin.Scheme, sc.origin.Host.Serialized
			if sc.origin.Port >= 0 {
				port = fmt.Sprint(sc.origin.Port)
			}
			path = urlPaths.pick(r)
		}
	}
	// Change one part now and then.
	switch r.IntN(6) {
	case 0:
		scheme = ""
	case 1:
		host = urlHosts.pick(r)
	case 2:
		port = ports.pick(r)
	case 3:
		path = urlPaths.pick(r)
	}
	return scheme, host, port, path
}

// urlScheme returns a scheme kind can use, keeping want when it fits. On
// https pages it leans to secure schemes, since the engines block insecure
// requests from them as mixed content, before or instead of CSP, and
// always uses them for images, which engines upgrade to https before CSP
// sees them.
func (sc *scene) urlScheme(kind, want string) string {
	r := sc.r
	secure := sc.origin.Scheme == "https" && (kind == "image" || r.IntN(5) != 0)
	if kind == "websocket" {
		switch want {
		case "ws", "wss":
		case "http", "https":
			if r.IntN(5) == 0 {
				return want // the constructor turns it into ws: or wss:
			}
			want = map[string]string{"http": "ws", "https": "wss"}[want]
		default:
			want = pickOne(r, "ws", "wss")
		}
		if secure {
			want = "wss"
		}
		return want
	}
	switch want {
	case "http", "https":
	case "ws":
		want = "http"
	case "wss":
		want = "https"
	default:
		want = pickOne(r, "http", "https")
	}
	if secure {
		want = "https"
	}
	return want
}
