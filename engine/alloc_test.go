package engine

import (
	"testing"

	"cspmodel/model"
)

// TestDecideDoesNotAllocate holds the engine to its promise: once a Decision
// has room for the violations, deciding a request on parsed URLs allocates
// nothing, whatever the verdict, the kind or the number of hops.
func TestDecideDoesNotAllocate(t *testing.T) {
	self, err := ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	c := Compile([]model.PolicyDelivery{
		{Value: "connect-src 'self' https://api.example.com/v1/ *.cdn.example.net:* wss://chat.example.com; img-src *", Disposition: model.Enforce},
		{Value: "default-src https://example.com/only/", Disposition: model.Report},
	}, self)
	parse := func(s string) model.URL {
		u, err := ParseURL(s)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	for _, tc := range []struct {
		name string
		req  Request
		want model.Verdict
	}{
		{"fetch self", Request{Kind: KindFetch, URLs: []model.URL{parse("https://example.com/x")}}, model.Allowed},
		{"fetch path", Request{Kind: KindFetch, URLs: []model.URL{parse("https://api.example.com/v1/users?id=1")}}, model.Allowed},
		{"xhr blocked", Request{Kind: KindXHR, URLs: []model.URL{parse("https://evil.example.org/")}}, model.Blocked},
		{"wildcard port", Request{Kind: KindBeacon, URLs: []model.URL{parse("https://a.b.cdn.example.net:8443/p")}}, model.Allowed},
		{"websocket", Request{Kind: KindWebSocket, URLs: []model.URL{parse("wss://chat.example.com/s")}}, model.Allowed},
		{"redirect", Request{Kind: KindFetch, URLs: []model.URL{parse("https://api.example.com/v1/r"), parse("https://api.example.com/elsewhere")}}, model.Allowed},
		{"image", Request{Destination: "image", URLs: []model.URL{parse("http://img.example.org/a.png")}}, model.Allowed},
	} {
		d := Decision{Violations: make([]Violation, 0, 8)}
		if err := c.Decide(&tc.req, &d); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if d.Verdict != tc.want {
			t.Errorf("%s: verdict %v, want %v", tc.name, d.Verdict, tc.want)
		}
		allocs := testing.AllocsPerRun(200, func() {
			_ = c.Decide(&tc.req, &d)
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per decision, want 0", tc.name, allocs)
		}
	}
}
