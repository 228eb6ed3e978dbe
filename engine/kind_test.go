package engine

import (
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// TestKindIgnoresDestination: a request made by an API (a Kind) has
// destination "" and initiator "" whatever the Request's fields say, so it
// is decided by connect-src, never by the directive its Destination would
// pick (Request's documentation says so). A Destination left over from
// another use of the struct must not move the decision to another list.
func TestKindIgnoresDestination(t *testing.T) {
	self, err := ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	c := Compile([]model.PolicyDelivery{{Value: "connect-src 'self'; script-src 'none'; img-src 'none'"}}, self)
	u, err := ParseURL("https://example.com/api")
	if err != nil {
		t.Fatal(err)
	}
	var d Decision
	for _, k := range []Kind{KindFetch, KindXHR, KindEventSource, KindBeacon, KindPing} {
		for _, dest := range []string{"", "script", "image"} {
			r := Request{Kind: k, Destination: dest, URLs: []model.URL{u}}
			if err := c.Decide(&r, &d); err != nil {
				t.Fatalf("kind %d, destination %q: %v", k, dest, err)
			}
			if d.Verdict != model.Allowed {
				t.Errorf("kind %d, destination %q: %v, want Allowed (connect-src 'self')", k, dest, d.Verdict)
			}
		}
	}
}
