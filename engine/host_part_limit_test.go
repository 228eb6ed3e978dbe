package engine_test

import (
	"testing"

	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// TestHostPartLimitRefusesOnlyLonger: a host-source record keeps its
// host-part's length in 32 bits, so a host-part of more than 4 GiB is
// refused (it matches nothing) rather than read as its length wrapped to a
// short host. No test can hold 4 GiB; with the limit shortened, a host-part
// of exactly the limit must still match its URL (as the model's does), one
// byte longer must match nothing, fresh and through the checks' matcher.
func TestHostPartLimitRefusesOnlyLonger(t *testing.T) {
	self, err := engine.ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	for _, host := range []string{"ab.cdefg", "abc.defgh"} {
		restore := engine.SetMaxHostPart(8)
		fits := len(host) <= 8
		u := model.MustParseURL("https://" + host + "/x")
		for _, policy := range []string{
			"img-src https://" + host + "; form-action https://" + host,
			"img-src 'self' https://" + host + ":443/x; form-action 'self' https://" + host + ":443/x",
		} {
			c := engine.Compile([]model.PolicyDelivery{{Value: policy}}, self)
			var d engine.Decision
			if err := c.Decide(&engine.Request{Destination: "image", URLs: []model.URL{u}}, &d); err != nil {
				t.Fatal(err)
			}
			var cd engine.CheckDecision
			if err := c.DecideNavigationRequest(model.WindowGlobal, []model.URL{u}, "form-submission", &cd); err != nil {
				t.Fatal(err)
			}
			for what, got := range map[string]model.Verdict{"an image": d.Verdict, "a form submission": cd.Verdict} {
				if allowed := got == model.Allowed; allowed != fits {
					t.Errorf("limit 8, policy %q: %s to %s is %v; a host-part of %d bytes should %s", policy, what, "https://"+host+"/x", got,
						len(host), map[bool]string{true: "match (it fits)", false: "match nothing (it is over the limit)"}[fits])
				}
			}
		}
		restore()
	}
}
