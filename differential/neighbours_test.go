package differential

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// The neighbourhood sweep holds the engine to the model on every
// single-edit neighbour of a fixed set of seeds: URLs, source expressions
// and whole policies. Each seed sits on a branch of a grammar; its
// neighbours step over that branch's edges (a byte too many or too few, a
// delimiter in the wrong place, a letter of the other case), where a bug of
// the off-by-one or wrong-character-class kind shows, and which random
// generation rarely reaches. Everything here is fixed: the same code gives
// the same cases.

// boundaryBytes are the bytes a neighbour puts in place of, or before, each
// byte of a seed: the separators and delimiters of the URL and CSP
// grammars, the ends of the digit and letter ranges, whitespace, a control
// byte, DEL and a two-byte UTF-8 letter.
var boundaryBytes = []string{
	"%", ":", "/", ".", "*", "[", "]", "@", "?", "#", ";", ",", "'", "-", "+", "=",
	"0", "9", "a", "z", "A", "Z", "_", "~", "\\", "\t", " ", "\x00", "\x7f", "\xc3\xa4",
}

// neighbours returns the single-edit neighbours of seed, in a fixed order
// and without repeats (the seed itself left out): each byte deleted,
// doubled and with its case flipped, each byte replaced by, and preceded
// by, each of boundaryBytes, and each of those appended at the end. When
// there are more than limit (limit > 0), a sample of limit of them is kept,
// drawn by a generator seeded with the seed's bytes, so that a seed always
// has the same neighbours.
func neighbours(seed string, limit int) []string {
	seen := map[string]bool{seed: true}
	var out []string
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for i := 0; i < len(seed); i++ {
		head, c, tail := seed[:i], seed[i:i+1], seed[i+1:]
		add(head + tail)
		add(head + c + c + tail)
		if f := otherCase(c[0]); f != c[0] {
			add(head + string(f) + tail)
		}
		for _, b := range boundaryBytes {
			add(head + b + tail)
			add(head + b + c + tail)
		}
	}
	for _, b := range boundaryBytes {
		add(seed + b)
	}
	if limit <= 0 || len(out) <= limit {
		return out
	}
	var h int64 = 1
	for i := 0; i < len(seed); i++ {
		h = h*131 + int64(seed[i])
	}
	rng := rand.New(rand.NewSource(h))
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out[:limit]
}

// otherCase returns an ASCII letter in the other case, any other byte as
// it is.
func otherCase(c byte) byte {
	switch {
	case 'a' <= c && c <= 'z':
		return c - 'a' + 'A'
	case 'A' <= c && c <= 'Z':
		return c - 'A' + 'a'
	}
	return c
}

// ownURLs returns URLs that a source expression names, to decide it and
// its neighbours on: the expression read as a URL with each wildcard filled
// in (a missing scheme as https), and its near misses (a label added before
// the host, the path extended by a segment and by a byte, the port left out
// and moved by one, another scheme, and where the expression has no
// scheme-part, a scheme of no special meaning). A scheme-source names URLs of its
// scheme; keywords, nonces and hashes name none.
func ownURLs(expr string) []string {
	if expr == "" || strings.HasPrefix(expr, "'") {
		return nil
	}
	u, scheme := expr, "https"
	if i := strings.Index(u, "://"); i >= 0 {
		scheme, u = u[:i], u[i+3:]
	} else if strings.HasSuffix(u, ":") && !strings.ContainsAny(u, "/.") {
		return []string{u + "//example.com/", u + "example.com", u + "//host:8080/p"}
	}
	u = strings.Replace(u, "*.", "w.", 1)
	u = strings.Replace(u, ":*", ":8443", 1)
	if u == "*" {
		u = "example.com"
	}
	host, path := u, "/"
	if i := strings.IndexAny(u, "/?#"); i >= 0 {
		host, path = u[:i], u[i:]
	}
	out := []string{
		scheme + "://" + host + path,
		scheme + "://z." + host + path,
		scheme + "://" + host + strings.TrimSuffix(path, "/") + "/x",
		scheme + "://" + host + path + "x",
	}
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.HasSuffix(host, "]") {
		out = append(out, scheme+"://"+host[:i]+path, scheme+"://"+host[:i]+":"+nextPort(host[i+1:])+path)
	}
	switch scheme {
	case "https":
		out = append(out, "http://"+host+path, "wss://"+host+path)
		if !strings.Contains(expr, "://") {
			// Without a scheme-part, the self-origin's scheme decides:
			// that of a self-origin of sourceSelves with a scheme of no
			// special meaning to CSP.
			out = append(out, "custom+1.x-y://"+host+path)
		}
	case "http":
		out = append(out, "https://"+host+path)
	case "ws":
		out = append(out, "wss://"+host+path)
	}
	return out
}

// nextPort returns the decimal one more than p (p itself when it is not
// all digits).
func nextPort(p string) string {
	b := []byte(p)
	for _, c := range b {
		if c < '0' || c > '9' {
			return p
		}
	}
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < '9' {
			b[i]++
			return string(b)
		}
		b[i] = '0'
	}
	return "1" + string(b)
}

// sweep counts the cases the sweep decides and holds the failures, so that
// a bug that shows on a thousand neighbours is reported a few times, not a
// thousand.
type sweep struct {
	t      *testing.T
	cases  int
	failed int
}

const maxReported = 5

func (s *sweep) fail(format string, args ...any) {
	s.t.Helper()
	s.failed++
	if s.failed <= maxReported {
		s.t.Errorf(format, args...)
	}
}

// check decides c with the model and the engine and reports any
// disagreement with its reproducer.
func (s *sweep) check(c corpus.Case) {
	s.t.Helper()
	s.cases++
	if d := disagreement(c, corpus.RunModel(c, nil)); d != "" {
		s.fail("%s", d)
	}
}

// checkAll checks each of cases (which share their policies and
// self-origin), then decides them all again, in turn, on one list compiled
// once: the engine compiles each request type's part of a list on first
// use, and a list that has decided other requests must decide as a fresh
// one. reverse decides them last to first, so that each request type also
// comes after the others.
func (s *sweep) checkAll(cases []corpus.Case, reverse bool) {
	s.t.Helper()
	want := make([]corpus.Result, len(cases))
	for i, c := range cases {
		s.cases++
		want[i] = corpus.RunModel(c, nil)
		if d := disagreement(c, want[i]); d != "" {
			s.fail("%s", d)
		}
	}
	var csp *engine.CSP
	var d engine.Decision
	for k := range cases {
		i := k
		if reverse {
			i = len(cases) - 1 - k
		}
		c := cases[i]
		fresh, req, err := corpus.CompileCase(c)
		if err != nil || want[i].Error != "" {
			continue
		}
		if csp == nil {
			csp = fresh
		}
		if err := csp.Decide(&req, &d); err != nil {
			s.fail("case %s decided on a list that decided the cases before it (reverse=%v): engine error %v, model %s\nreproduce: %s",
				caseJSON(c), reverse, err, resultSummary(want[i]), c.CheckCommand())
			continue
		}
		if got := decisionSummary(&d); got != resultSummary(want[i]) {
			s.fail("case %s decided on a list that decided the cases before it (reverse=%v): model %s, engine %s\nreproduce: %s",
				caseJSON(c), reverse, resultSummary(want[i]), got, c.CheckCommand())
		}
	}
}

// decisionSummary and resultSummary write a decision's verdict and
// violations (delivery, directive, effective directive, blocked URI) the
// same way, for comparing an engine decision with a model result.
func decisionSummary(d *engine.Decision) string {
	var b strings.Builder
	if d.Verdict == model.Allowed {
		b.WriteString(corpus.VerdictAllowed)
	} else {
		b.WriteString(corpus.VerdictBlocked)
	}
	for i := range d.Violations {
		v := &d.Violations[i]
		fmt.Fprintf(&b, " [%d %s %s %s]", v.Policy(), v.Directive(), v.EffectiveDirective(), v.BlockedURI())
	}
	return b.String()
}

func resultSummary(r corpus.Result) string {
	var b strings.Builder
	b.WriteString(r.Verdict)
	for _, v := range r.Violations {
		fmt.Fprintf(&b, " [%d %s %s %s]", v.Policy, v.Directive, v.EffectiveDirective, v.BlockedURI)
	}
	return b.String()
}

func (s *sweep) done(start time.Time) {
	s.t.Helper()
	if s.failed > maxReported {
		s.t.Errorf("%d more disagreements not shown", s.failed-maxReported)
	}
	s.t.Logf("%d cases in %v", s.cases, time.Since(start).Round(time.Millisecond))
}

func request(kind string, url string) corpus.RequestInput {
	if d, ok := strings.CutPrefix(kind, "dest:"); ok {
		return corpus.RequestInput{Destination: &d, URLList: []string{url}}
	}
	return corpus.RequestInput{Kind: kind, URLList: []string{url}}
}

func enforced(values ...string) []corpus.PolicyInput {
	out := make([]corpus.PolicyInput, len(values))
	for i, v := range values {
		out[i] = corpus.PolicyInput{Value: v}
	}
	return out
}

// neighbourURLs are the URL seeds: every scheme family, hosts of every
// shape, ports at and past their ends, paths with dot segments (in the
// middle and last) and percent-encodings, queries and fragments.
var neighbourURLs = []string{
	"https://example.com/", "http://example.com", "HTTPS://EXAMPLE.COM/A", "wss://a.b.example.com:8443/chat?x=1#f",
	"ws://example.com:80/", "https://example.com:443", "https://example.com:0/", "https://example.com:65535/",
	"https://example.com:65536/", "https://example.com:/", "https://example.com:00443/", "ftp://example.com:21/f",
	"https://127.0.0.1/", "https://127.0.0.01/", "https://1.2.3.4/", "https://0x7f.1/", "https://example.123/",
	"https://[::1]/", "https://[1:2:3:4:5:6:7:8]:8080/", "https://[::ffff:1.2.3.4]/", "https://[a::b:0:0:c]/",
	"https://xn--bcher-kva.example/", "https://xn--a.example/", "https://a.xn--9a/", "https://xn--zca.xn--tdaaaaaa.de/", "https://ex%41mple.com/",
	"https://user:pass@example.com/", "https://example.com/a/../b/./c", "https://example.com/a/b/..", "https://example.com/a/.?q",
	"https://example.com/../a/..#f", "https://example.com/%2e%2E/x",
	"https://example.com/a%2fb?q=%zz#%41", "https://example.com/a b?c d#e f", "https://example.com/ä?ä#ä",
	"https://example.com/{a}`b`^c|d", "https://example.com\\path\\x", "https:example.com", "https:///example.com/",
	"https://example.com./", "https://a-b.c_d.example/", "data:,x", "data:text/plain;base64,QUJD",
	"blob:https://example.com/uuid", "about:blank", "javascript:alert(1)", "mailto:a@b.example?x#y",
	"file:///etc/passwd", "file://host/x", "custom://Host.Example:8080/a/../b?x'y#z", "custom+1.x-y://h/p",
	"custom:opaque path", "custom:///x", "custom://[::1]:0/", "custom://h%41st/",
}

// fixedPolicies are the policies every URL neighbour is decided under,
// with the request kind each is asked for.
var fixedPolicies = []struct{ policy, kind string }{
	{"connect-src https://example.com:443/ *.example.com wss: 127.0.0.1 [::1]", "fetch"},
	{"default-src 'self' http://*.b.example.com:* https://example.com/a/ data: blob:", "dest:image"},
	{"script-src custom: ftp://example.com/ https://xn--bcher-kva.example/ 'strict-dynamic' 'nonce-n'", "dest:script"},
	{"connect-src *; img-src 'none'", "websocket"},
}

// TestNeighboursParseURLAsModel holds the engine's URL parser to the full
// parser on every neighbour of every URL seed: both refuse, or both give
// equal URLs.
func TestNeighboursParseURLAsModel(t *testing.T) {
	start, n, failed := time.Now(), 0, 0
	for _, seed := range neighbourURLs {
		for _, s := range append([]string{seed}, neighbours(seed, 0)...) {
			n++
			want, werr := model.ParseURL(s)
			got, gerr := engine.ParseURL(s)
			if (werr == nil) != (gerr == nil) {
				failed++
				if failed <= maxReported {
					t.Errorf("ParseURL(%q): model error %v, engine error %v", s, werr, gerr)
				}
				continue
			}
			if d := cmp.Diff(want, got); d != "" {
				failed++
				if failed <= maxReported {
					t.Errorf("ParseURL(%q) (-model +engine):\n%s", s, d)
				}
			}
		}
	}
	if failed > maxReported {
		t.Errorf("%d more disagreements not shown", failed-maxReported)
	}
	t.Logf("%d URLs in %v", n, time.Since(start).Round(time.Millisecond))
}

// TestNeighboursURLDecideAsModel decides neighbours of every URL seed (a
// sample of each seed's, those the model parses) under fixed policies, with
// the engine and the model.
func TestNeighboursURLDecideAsModel(t *testing.T) {
	s, start := &sweep{t: t}, time.Now()
	for i, seed := range neighbourURLs {
		for j, u := range append([]string{seed}, neighbours(seed, urlDecideLimit)...) {
			if _, err := model.ParseURL(u); err != nil {
				continue
			}
			p := fixedPolicies[(i+j)%len(fixedPolicies)]
			s.check(corpus.Case{ID: "url-neighbour", Policies: enforced(p.policy),
				SelfOrigin: "https://example.com", Request: request(p.kind, u)})
		}
	}
	s.done(start)
}

const (
	urlDecideLimit     = 150
	sourceLimit        = 60
	sharedPerNeighbour = 2
	policyLimit        = 400
	hashB64            = "LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564="
	hashB64URL         = "LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564="
	hash384            = "OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb"
	hash512            = "z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=="
	sourceDirective    = "connect-src"
)

// sourceSeeds are the source expressions and lists whose neighbours the
// sweep decides: scheme-sources, host-sources with every part in and out,
// wildcards at every depth, ports at their ends, paths with and without a
// final '/', percent-encodings, every keyword, nonces and hashes of every
// algorithm in base64 and base64url, in mixed case.
var sourceSeeds = []string{
	"https:", "http:", "HTTPS:", "ws:", "wss:", "data:", "blob:", "ftp:", "custom+1.x-y:", "a:",
	"example.com", "EXAMPLE.com", "*.example.com", "*.b.example.com", "*.c.b.example.com", "*", "*.com",
	"https://example.com", "http://example.com", "HTTP://Example.COM", "https://*.example.com", "wss://example.com",
	"ws://example.com", "ftp://example.com", "custom://host", "https://*",
	"example.com:443", "example.com:*", "example.com:0", "example.com:65535", "example.com:65536",
	"example.com:00443", "example.com:", "example.com:8080", "https://example.com:8443", "http://example.com:80",
	"https://*.example.com:*", "https://example.com:443/", "*:443",
	"https://example.com/", "https://example.com/a/b", "https://example.com/a/b/", "example.com/a", "example.com/a/",
	"https://example.com/path%20x", "https://example.com/a%2Fb", "example.com/%41", "example.com/a%2",
	"example.com/a;b", "example.com/a,b", "https://example.com/a?b", "https://example.com/a#b",
	"https://example.com/a/../b", "https://example.com/ä",
	"127.0.0.1", "https://127.0.0.1:8080", "10.0.0.1", "[::1]", "https://[::1]:443", "localhost",
	"xn--bcher-kva.example", "*.xn--bcher-kva.example", "a-b.example", "a_b.example", "1.example",
	"'self'", "'none'", "'unsafe-inline'", "'unsafe-eval'", "'strict-dynamic'", "'unsafe-hashes'",
	"'report-sample'", "'wasm-unsafe-eval'", "'SELF'", "'unsafe-allow-redirects'", "'inline-speculation-rules'",
	"'nonce-abc'", "'nonce-YWJj'", "'nonce-a+b/c='", "'nonce-a-b_c'", "'NONCE-abc'", "'nonce-abc=='", "'nonce-'",
	"'sha256-" + hashB64 + "'", "'sha256-" + hashB64URL + "'", "'SHA256-" + hashB64 + "'",
	"'sha384-" + hash384 + "'", "'sha512-" + hash512 + "'", "'sha256-" + hashB64[:43] + "'",
	"https: 'self'", "'self' example.com", "example.com *.example.org:8080", "'none' https:",
	"https://a.example.com https://b.example.com/p/", "'self' 'nonce-abc' 'sha256-" + hashB64 + "'",
	"'strict-dynamic' 'nonce-abc' https:", "* data: blob:",
}

// sourceSelves are the self-origins the source neighbours are decided
// with, in turn: 'self' and host-sources without a scheme-part read the
// self-origin's scheme, port and opaqueness.
var sourceSelves = []string{
	"https://example.com", "http://example.com:8080", "custom+1.x-y://h", "null", "wss://example.com",
	"https://example.com:8443", "http://127.0.0.1", "data:,x",
}

// sourceURLs are the URLs every source-expression neighbour is decided on,
// with its own (ownURLs of the seed): around the self-origin and the
// seeds' hosts.
var sourceURLs = []string{
	"https://example.com/", "http://example.com/", "https://example.com:8443/a/b", "https://a.example.com/",
	"https://c.b.example.com/", "https://example.org/", "wss://example.com/", "data:,x", "blob:https://example.com/u",
	"custom+1.x-y://h/p", "https://127.0.0.1/", "https://[::1]/", "ftp://example.com/",
}

// sourceRequests returns the requests a source-list neighbour is decided
// on: its seed's own URLs as fetch (connect-src, and default-src's
// fallback), the first of them as a script (script-src), and where the
// seed holds a nonce or a hash, a script carrying that nonce or that
// integrity metadata and near misses of it. The shared URLs (sourceURLs)
// are added by the caller, a few to each neighbour in turn.
func sourceRequests(seed string) []corpus.RequestInput {
	own := ownURLs(seed)
	var out []corpus.RequestInput
	for _, u := range own {
		out = append(out, request("fetch", u))
	}
	if len(own) > 0 {
		out = append(out, request("dest:script", own[0]))
	}
	script := func(nonce, integrity string) {
		r := request("dest:script", "https://evil.example/s.js")
		r.Nonce, r.Integrity = nonce, integrity
		out = append(out, r)
	}
	for _, tok := range strings.Fields(seed) {
		tok = strings.Trim(tok, "'")
		lower := strings.ToLower(tok)
		switch {
		case strings.HasPrefix(lower, "nonce-"):
			v := tok[len("nonce-"):]
			script(v, "")
			script(v+"x", "")
		case strings.HasPrefix(lower, "sha"):
			script("", tok)
			script("", strings.ToLower(tok[:6])+tok[6:]+"?opt")
			script("", "sha256-"+hashB64+" "+tok)
		}
	}
	return out
}

// TestNeighboursSourceDecideAsModel decides the policies that hold each
// neighbour of each source seed (a sample of each seed's) with the engine
// and the model: three deliveries, connect-src, script-src and default-src
// each with the neighbour, so that a fetch meets connect-src and the
// fallback to default-src, and a script script-src. Each neighbour meets
// its seed's requests and, in turn, sharedPerNeighbour of the shared URLs
// as a fetch and one as a script, under one of sourceSelves in turn; then
// all of them again on one compiled list (sweep.checkAll).
func TestNeighboursSourceDecideAsModel(t *testing.T) {
	s, start := &sweep{t: t}, time.Now()
	turn := 0
	for si, seed := range sourceSeeds {
		reqs := sourceRequests(seed)
		for k, n := range append([]string{seed}, neighbours(seed, sourceLimit)...) {
			base := corpus.Case{ID: "source-neighbour", SelfOrigin: sourceSelves[(si+k)%len(sourceSelves)],
				Policies: enforced(sourceDirective+" "+n, "script-src "+n, "default-src "+n)}
			var cases []corpus.Case
			for _, r := range reqs {
				base.Request = r
				cases = append(cases, base)
			}
			for range sharedPerNeighbour {
				base.Request = request("fetch", sourceURLs[turn%len(sourceURLs)])
				cases = append(cases, base)
				turn++
			}
			base.Request = request("dest:script", sourceURLs[turn%len(sourceURLs)])
			cases = append(cases, base)
			s.checkAll(cases, k%2 == 1)
		}
	}
	s.done(start)
}

// policySeeds are whole policies, whose neighbours step on directive names
// and the separators between directives, policies and tokens.
var policySeeds = []struct {
	value string
	self  string
}{
	{"default-src 'self'; connect-src https://example.com wss:; script-src 'nonce-abc' 'strict-dynamic'", "https://example.com"},
	{"script-src-elem https:, img-src *.example.com:*; connect-src 'none'", "https://example.com"},
	{"child-src https://a.example.com; worker-src 'self'; frame-src http:; default-src data:", "http://example.com:8080"},
	{"connect-src\thttps://example.com/a/\t'self' ; ; style-src 'unsafe-inline'", "https://example.com"},
	{"media-src example.com, font-src https:, manifest-src 'self'; object-src 'none'", "https://example.com"},
}

// policyRequests are the requests every policy neighbour is decided on.
var policyRequests = []corpus.RequestInput{
	request("fetch", "https://example.com/a/b"), request("websocket", "wss://example.com/"),
	request("dest:script", "https://example.com/s.js"), request("dest:image", "https://a.example.com:8443/i.png"),
	request("dest:worker", "http://example.com:8080/w.js"), request("dest:iframe", "https://a.example.com/"),
	request("dest:style", "data:,x"), request("dest:font", "https://example.com/f"),
}

// TestNeighboursPolicyDecideAsModel decides neighbours of whole policies
// (a sample of each seed's) on a few requests with the engine and the
// model.
func TestNeighboursPolicyDecideAsModel(t *testing.T) {
	s, start := &sweep{t: t}, time.Now()
	for _, seed := range policySeeds {
		for _, n := range append([]string{seed.value}, neighbours(seed.value, policyLimit)...) {
			var cases []corpus.Case
			for _, r := range policyRequests {
				cases = append(cases, corpus.Case{ID: "policy-neighbour", SelfOrigin: seed.self, Policies: enforced(n), Request: r})
			}
			s.checkAll(cases, len(n)%2 == 1)
		}
	}
	s.done(start)
}

// TestNeighboursCoverSeeds keeps the sweep honest: each seed's neighbours
// are as many as its edits promise (so that a change that quietly empties
// them fails), and the sampled ones are a fixed function of the seed.
func TestNeighboursCoverSeeds(t *testing.T) {
	for _, seed := range []string{"a", "example.com:443", "'nonce-abc'"} {
		all := neighbours(seed, 0)
		if min := len(seed) * len(boundaryBytes); len(all) < min {
			t.Errorf("neighbours(%q): %d, want at least %d", seed, len(all), min)
		}
		for _, n := range all {
			if n == seed {
				t.Errorf("neighbours(%q) holds the seed", seed)
			}
		}
		if a, b := neighbours(seed, 10), neighbours(seed, 10); fmt.Sprint(a) != fmt.Sprint(b) || len(a) != min(10, len(all)) {
			t.Errorf("neighbours(%q, 10): %q then %q", seed, a, b)
		}
	}
}
