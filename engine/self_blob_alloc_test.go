package engine

import (
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// TestSchemePrefixedAsTheParser holds schemePrefixed to the full parser:
// every string it parses to an http: or https: URL is prefixed by that
// scheme, and none it parses to another scheme is.
func TestSchemePrefixedAsTheParser(t *testing.T) {
	parts := []string{" ", "\x01", "\t", "h", "H", "t", "T", "p", "P", "s", "S", ":", "\n", "/", "0"}
	var build func(prefix string, n int)
	checked := 0
	build = func(s string, n int) {
		if n == 0 {
			return
		}
		for _, p := range parts {
			in := s + p
			for _, tail := range []string{"", ":", "s:", "://example.com/", "ttp://example.com/", "tp://example.com/", "p://example.com/", "ps://example.com/"} {
				u, err := model.ParseURL(in + tail)
				for _, scheme := range []string{"http", "https"} {
					got := schemePrefixed(in+tail, scheme)
					if err == nil && (u.Scheme == scheme) != got {
						t.Fatalf("schemePrefixed(%q, %q) = %v; the parser reads scheme %q", in+tail, scheme, got, u.Scheme)
					}
				}
				checked++
			}
			build(in, n-1)
		}
	}
	build("", 4)
	if checked < 100000 {
		t.Fatalf("only %d strings checked", checked)
	}
}

// TestSelfMatchesBlobsWithoutAllocating decides, again, requests for blob:
// URLs whose paths are not URLs of the self-origin's scheme (other
// schemes, none, refused ones) under 'self': no such decision may parse
// the path, and so none may allocate; their verdicts must be the model's.
// A path of the self-origin's scheme that the fast path takes allocates
// nothing either.
func TestSelfMatchesBlobsWithoutAllocating(t *testing.T) {
	for _, selfText := range []string{"http://0.0.0.0", "https://example.com"} {
		self, err := ParseOrigin(selfText)
		if err != nil {
			t.Fatal(err)
		}
		deliveries := []model.PolicyDelivery{{Value: "img-src 'self'"}}
		env := model.Environment{CSPList: model.NewCSPList(deliveries, self, nil)}
		c := Compile(deliveries, self)
		for _, s := range []string{"BloB:", "blob:null/x", "blob:ftp://0/", "blob:data:x", "blob:htt://0/", "blob:httpx://0/",
			"blob:%20http://0/", "blob:http", "blob:https//example.com/", "blob:wss://example.com/", "blob:https://example.com/a", "blob:http://0.0.0.0/"} {
			u, err := ParseURL(s)
			if err != nil {
				t.Fatal(err)
			}
			r := &Request{Destination: "image", URLs: []model.URL{u}}
			var d Decision
			if err := c.Decide(r, &d); err != nil {
				t.Fatal(err)
			}
			md, err := model.DecideRequest(env, model.Request{URLList: r.URLs, Destination: "image"}, nil)
			if err != nil || md.Verdict != d.Verdict {
				t.Errorf("self %s, %s: the engine %v, the model %v (%v)", selfText, s, d.Verdict, md.Verdict, err)
			}
			if n := testing.AllocsPerRun(20, func() { _ = c.Decide(r, &d) }); n != 0 {
				t.Errorf("self %s, %s: %v allocations a decision, want 0", selfText, s, n)
			}
		}
	}
}
