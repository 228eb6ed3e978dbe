package engine

import (
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// TestCheckURLMatcherAgreesWithModel holds the checks' own URL matcher
// (checks_match.go: the scheme bits of a policy's list, 'self' and the
// host-sources read from a prepared URL) to the model, source expression by
// source expression, for base-uri and for form-action (a URL, and the same
// URL as a redirect target, whose path no path-part constrains), under
// self-origins of each kind: every port, scheme, host and path the matcher
// compares, each way it can compare them.
func TestCheckURLMatcherAgreesWithModel(t *testing.T) {
	selves := []string{"https://example.com", "http://example.com", "https://example.com:8443", "http://10.0.0.1",
		"ftp://example.com", "wss://example.com", "http://example.com:80", "null",
		// Port 0, which is no scheme's default.
		"https://example.com:0", "http://example.com:0",
		// A host longer than 16 bytes, which words alone do not tell from
		// the URLs' "abcdefgh.two.ijklmnop".
		"https://abcdefgh.one.ijklmnop",
		// A host of 17 bytes, one more than the words cover: its ninth
		// byte is in neither.
		"https://abcdefgh.ijklmnop"}
	sources := []string{"'self'", "*", "https:", "http:", "ws:", "wss:", "ftp:", "foo:", "'none'", "example.com",
		"https://example.com", "https://example.com:443", "https://example.com:8443", "http://example.com:80",
		"http://example.com:8080", "example.com:*", "example.com:8443", "*.example.com", "https://*.example.com:8443",
		"EXAMPLE.com", "Example.com", "https://Sub.Example.com", "https://example.com/app/", "https://example.com/app",
		"https://example.com/app/x", "https://example.com/a%70p/", "http://10.0.0.1", "wss://example.com", "ws://example.com:8443",
		"ftp://example.com", "*", "https://example.com:80", "*:8443", "https://*", "'self' https://evil.example",
		"https://evil.example 'self'", "https://evil.example example.com:8443/app/",
		// Lists with parts only the request path's matcher reads (a nonce,
		// a scheme without a number), whose path-parts a redirect target
		// escapes all the same.
		"'nonce-abc' https://example.com/app/", "foo: https://example.com/app/x",
		// Hosts longer than 16 bytes, which words alone do not tell apart.
		"https://abcdefgh.one.ijklmnop", "*.cdefgh.one.ijklmnop",
		// Scheme-sources without a number, which match URLs that have no
		// host (data:, about:, javascript:), alone and in a list that
		// needs the request path's matcher (a nonce).
		"data:", "about:", "javascript:", "foo:", "'nonce-abc' data:", "DATA: https://example.com",
		// A host of 17 bytes, and a URL's host that differs from it only
		// in its ninth byte.
		"https://abcdefgh.ijklmnop"}
	urls := []string{"https://example.com/", "https://example.com:8443/x", "http://example.com/", "http://example.com:8080/",
		"https://sub.example.com/app/", "https://example.com/app/x", "https://example.com/app", "https://example.com/App/x",
		"wss://example.com/", "ws://example.com:8443/", "ws://example.com/", "ftp://example.com/", "http://10.0.0.1/",
		"https://EXAMPLE.com:443/", "https://example.com:80/", "http://example.com:443/", "data:text/html,hi",
		"foo://example.com/", "blob:https://example.com/uuid", "https://example.com.evil/", "https://xexample.com/",
		"https://example.com:8443/app/y", "https://example.org/", "https://abcdefgh.two.ijklmnop/",
		"https://abcdefgh.one.ijklmnop/", "https://x.abcdefgh.one.ijklmnop/", "javascript:void(0)", "about:blank",
		"data:,x", "foo:opaque", "https://abcdefgh-ijklmnop/", "https://abcdefgh.ijklmnop/",
		// Paths with escapes, which #match-paths decodes segment by
		// segment: into a path-part's segments, and not.
		"https://example.com/a%70p/x", "https://example.com/%61pp", "https://example.com/app%2Fx", "https://example.com/app/%78",
		// A host that is a wildcard's suffix itself, leading dot and all,
		// which the suffix matches (#match-hosts step 3.2).
		"https://.example.com/", "https://.cdefgh.one.ijklmnop/"}
	first := mustURL(t, "https://example.com/app/first")
	// URLs built by hand, whose domains the parser would have lowercased.
	upper := mustURL(t, "https://example.com/")
	upper.Host.Serialized = "EXAMPLE.com"
	upperSub := mustURL(t, "https://sub.example.com/")
	upperSub.Host.Serialized = "SUB.EXAMPLE.com"
	upperFirst := mustURL(t, "https://example.com/")
	upperFirst.Host.Serialized = "Example.com"
	// One whose only upper-case letter is 'A', the first of them.
	upperA := mustURL(t, "https://example.com/")
	upperA.Host.Serialized = "exAmple.com"
	// URLs with their scheme's default port written out, which the parser
	// would have nulled: against a self-origin whose port is null, 'self'
	// matches them on an upgrade (#match-url-to-source-expression step
	// 4.2.2: both ports are their schemes' defaults).
	explicitHTTPS := mustURL(t, "https://example.com/")
	explicitHTTPS.Port = 443
	explicitWSS := mustURL(t, "wss://example.com/")
	explicitWSS.Port = 443
	explicitHTTP := mustURL(t, "http://example.com/")
	explicitHTTP.Port = 80
	for k := range len(selves) + 4 {
		var self model.Origin
		var selfText string
		switch k - len(selves) {
		case 0:
			// An origin built by hand whose scheme has no number, which
			// "*" matches as the self-origin's scheme.
			self = model.Origin{Scheme: "data", Host: model.Host{Kind: model.DomainHost, Serialized: "example.com"}, Port: -1}
			selfText = "data://example.com (by hand)"
		case 1:
			// An origin built by hand with its scheme's default port
			// written out, which the parser would have nulled: 'self'
			// matches a URL on the null port all the same.
			self = model.Origin{Scheme: "https", Host: model.Host{Kind: model.DomainHost, Serialized: "example.com"}, Port: 443}
			selfText = "https://example.com:443 (by hand)"
		case 2:
			self = model.Origin{Scheme: "http", Host: model.Host{Kind: model.DomainHost, Serialized: "example.com"}, Port: 80}
			selfText = "http://example.com:80 (by hand)"
		case 3:
			// An origin built by hand whose host is the URLs' host
			// spelled alike but of another kind: hosts of two kinds
			// are never equal, so 'self' matches none of them.
			self = model.Origin{Scheme: "https", Host: model.Host{Kind: model.OpaqueHost, Serialized: "example.com"}, Port: -1}
			selfText = "https://example.com, an opaque host (by hand)"
		default:
			var err error
			selfText = selves[k]
			if self, err = ParseOrigin(selfText); err != nil {
				t.Fatal(err)
			}
		}
		for _, src := range sources {
			deliveries := []model.PolicyDelivery{
				{Value: "base-uri " + src + "; form-action " + src, Disposition: model.Report},
				{Value: "base-uri " + src + "; form-action " + src},
			}
			c := Compile(deliveries, self)
			l := c.Checks()
			env := model.Environment{CSPList: model.NewCSPList(deliveries, self, nil)}
			// The hand-built URLs are held to the request path's matcher,
			// which (as the checks' matcher) takes a URL's domain to be
			// lowercase, as the parser leaves it; the model folds its
			// case, and allows "EXAMPLE.com" where both block.
			for _, u := range []*model.URL{&upper, &upperSub, &upperFirst, &upperA, &explicitHTTPS, &explicitWSS, &explicitHTTP} {
				tg := prepareTarget(u, 0)
				for i := range l.bases {
					e := &l.bases[i]
					got, want := l.entryMatches(e, &tg), c.matches(e.list, &view{url: u, schemeName: u.Scheme, scheme: schemeOf(u.Scheme)})
					if got != want {
						t.Errorf("self %s, %q, %s (host %s, port %d): the checks' matcher says %v, the request path's %v", selfText, src, u.Scheme, u.Host.Serialized, u.Port, got, want)
					}
				}
			}
			for _, us := range urls {
				u := mustURL(t, us)
				what := fmt.Sprintf("self %s, %q, %s", selfText, src, us)
				var d CheckDecision
				cu := PrepareURL(&u)
				err := l.DecideBase(model.WindowGlobal, &cu, &d)
				want, werr := model.DecideBase(env, u, nil)
				sameMatch(t, "base: "+what, &d, err, want, werr)
				lists := [][]model.URL{{u}}
				if model.IsHTTPSScheme(u.Scheme) {
					lists = append(lists, []model.URL{first, u})
				}
				for _, list := range lists {
					nav, err := PrepareNavigation(list, model.NavigationFormSubmission)
					if err != nil {
						t.Fatalf("%s: %v", what, err)
					}
					err = l.DecideNavigationRequest(model.WindowGlobal, &nav, &d)
					req := model.Request{URLList: list, Mode: "navigate"}
					want, werr := model.DecideNavigationRequest(env, req, model.NavigationFormSubmission, nil)
					sameMatch(t, fmt.Sprintf("form-action, %d URLs: %s", len(list), what), &d, err, want, werr)
				}
			}
		}
	}
}

// sameMatch fails unless an engine decision is the model's: verdict,
// violations and their redirect counts.
func sameMatch(t *testing.T, what string, d *CheckDecision, err error, want model.Decision, werr error) {
	t.Helper()
	if (err != nil) != (werr != nil) {
		t.Errorf("%s: engine error %v, model error %v", what, err, werr)
		return
	}
	got, w := violationStrings(d.Violations), modelViolationStrings(want.Violations)
	for i := range d.Violations {
		got += fmt.Sprint(d.Violations[i].RedirectCount)
	}
	for _, v := range want.Violations {
		w += fmt.Sprint(v.RedirectCount)
	}
	if d.Verdict != want.Verdict || got != w {
		t.Errorf("%s: engine %v\n%s\nmodel %v\n%s", what, d.Verdict, got, want.Verdict, w)
	}
}

// TestWordsDecideEquality: two strings of the same length of at most 16
// bytes have the same words exactly when they are equal, which the checks'
// matcher relies on to compare hosts without a call.
func TestWordsDecideEquality(t *testing.T) {
	const alphabet = "ab.-"
	for n := 0; n <= 16; n++ {
		base := make([]byte, n)
		for i := range base {
			base[i] = alphabet[i%len(alphabet)]
		}
		// Every string that differs from base in one byte, and base
		// itself.
		for i := -1; i < n; i++ {
			for _, c := range []byte("abz.-") {
				other := append([]byte(nil), base...)
				if i >= 0 {
					other[i] = c
				}
				a, b := string(base), string(other)
				if got, want := words(a) == words(b), a == b; got != want {
					t.Errorf("%q and %q: same words %v, equal %v", a, b, got, want)
				}
				// The words are the little-endian first and last eight
				// bytes (fewer, zero-padded), exactly.
				k := min(len(b), 8)
				var first, last [8]byte
				copy(first[:], b[:k])
				copy(last[:], b[len(b)-k:])
				if w := words(b); w != [2]uint64{binary.LittleEndian.Uint64(first[:]), binary.LittleEndian.Uint64(last[:])} {
					t.Errorf("%q: words %#x", b, w)
				}
			}
		}
	}
}

// TestCheckPathMatchesAsPathMatches holds the checks' shortcut for paths
// without "%" to pathMatches (#match-paths), for every pair of a set of
// path-parts and URL paths: exact ones, ones ending in "/", empty segments,
// the empty path, and escapes either side.
func TestCheckPathMatchesAsPathMatches(t *testing.T) {
	paths := []string{"", "/", "//", "/a", "/a/", "/a//", "/a/b", "/a/b/", "/ab", "/ab/", "/A", "/a/b/c", "//a",
		"/%61", "/%61/", "/a%2Fb", "/a%2fb/", "/%", "x", "x/", "/a/bc", "/ap", "/app", "/app/"}
	for _, a := range paths {
		if a == "" || a[0] != '/' {
			continue // a path-part is a path-absolute
		}
		h := checkHost{path: a, plainPath: !strings.Contains(a, "%")}
		for _, b := range paths {
			u := model.URL{Path: b}
			tg := target{url: &u, plainPath: !strings.Contains(b, "%")}
			if got, want := h.pathMatches(&tg), pathMatches(a, b); got != want {
				t.Errorf("path-part %q, path %q: %v, pathMatches says %v", a, b, got, want)
			}
		}
	}
}

// TestStringNavigationChecksDoNotAllocate: the CSP's navigation checks,
// which prepare their input on the stack, allocate nothing for a request's
// URL and Fetch's 20 redirects, or for eight ancestors, and decide longer
// lists (prepared on the heap) as the prepared checks do.
func TestStringNavigationChecksDoNotAllocate(t *testing.T) {
	deliveries := []model.PolicyDelivery{{Value: "form-action https://example.com/ https://*.example.com; frame-ancestors 'self' https://a.example"}}
	self, err := ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	c := Compile(deliveries, self)
	env := model.Environment{CSPList: model.NewCSPList(deliveries, self, nil)}
	var urls []model.URL
	for i := range stackURLs + 2 {
		urls = append(urls, mustURL(t, fmt.Sprintf("https://s%d.example.com/%d", i, i)))
	}
	urls = append(urls, mustURL(t, "https://evil.example/"))
	var ancestors []*model.URL
	var target model.Navigable
	for i := range stackAncestors + 2 {
		s := "https://example.com"
		if i%3 == 1 {
			s = "https://a.example"
		}
		o, err := model.ParseOrigin(s)
		if err != nil {
			t.Fatal(err)
		}
		ancestors, target.AncestorOrigins = append(ancestors, AncestorURL(o)), append(target.AncestorOrigins, o)
	}
	evil, err := model.ParseOrigin("https://evil.example")
	if err != nil {
		t.Fatal(err)
	}
	ancestors, target.AncestorOrigins = append(ancestors, AncestorURL(evil)), append(target.AncestorOrigins, evil)
	d := CheckDecision{Violations: make([]CheckViolation, 0, 4)}
	for _, n := range []int{1, stackURLs, stackURLs + 1, len(urls)} {
		list := urls[len(urls)-n:]
		err := c.DecideNavigationRequest(model.WindowGlobal, list, model.NavigationFormSubmission, &d)
		want, werr := model.DecideNavigationRequest(env, model.Request{URLList: list, Mode: "navigate"}, model.NavigationFormSubmission, nil)
		sameMatch(t, fmt.Sprintf("%d URLs", n), &d, err, want, werr)
		if n <= stackURLs {
			if allocs := testing.AllocsPerRun(50, func() {
				_ = c.DecideNavigationRequest(model.WindowGlobal, list, model.NavigationFormSubmission, &d)
			}); allocs != 0 {
				t.Errorf("%d URLs: %v allocations", n, allocs)
			}
		}
	}
	framed := []model.URL{mustURL(t, "https://example.com/framed")}
	resp := model.Response{URLList: framed, HeaderList: []model.Header{{Name: "Content-Security-Policy", Value: deliveries[0].Value}}}
	for _, n := range []int{1, stackAncestors, stackAncestors + 1, len(ancestors)} {
		as := ancestors[len(ancestors)-n:]
		err := c.DecideNavigationResponse(model.WindowGlobal, framed, model.NavigationOther, c, as, &d)
		tg := model.Navigable{AncestorOrigins: target.AncestorOrigins[len(ancestors)-n:]}
		want, werr := model.DecideNavigationResponse(env, model.Request{URLList: framed, Mode: "navigate"}, model.NavigationOther, resp, tg, nil)
		sameMatch(t, fmt.Sprintf("%d ancestors", n), &d, err, want, werr)
		if n <= stackAncestors {
			if allocs := testing.AllocsPerRun(50, func() {
				_ = c.DecideNavigationResponse(model.WindowGlobal, framed, model.NavigationOther, c, as, &d)
			}); allocs != 0 {
				t.Errorf("%d ancestors: %v allocations", n, allocs)
			}
		}
	}
}
