package engine_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// TestDeliveryLimitRefusesOnlyMore: a policy keeps its delivery's number in
// 32 bits, so Compile refuses a list of more than 2^31-1 deliveries (every
// decision Blocked, with an error) rather than leave the rest out, which
// could only allow more. No test can hold 100 GB of deliveries; with the
// limit lowered to 2, two deliveries decide as the model does, and a third,
// even one that allows everything, makes every decision refused: a request
// and a check.
func TestDeliveryLimitRefusesOnlyMore(t *testing.T) {
	self, err := engine.ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	u := model.MustParseURL("https://other.example/x")
	two := []model.PolicyDelivery{
		{Value: "img-src 'none'; form-action 'none'", Disposition: model.Report},
		{Value: "img-src 'self'; form-action 'self'"},
	}
	three := append(append([]model.PolicyDelivery(nil), two...), model.PolicyDelivery{Value: "img-src *; form-action *"})
	restore := engine.SetMaxDeliveries(2)
	defer restore()
	for _, deliveries := range [][]model.PolicyDelivery{two, three} {
		c := engine.Compile(deliveries, self)
		var d engine.Decision
		reqErr := c.Decide(&engine.Request{Destination: "image", URLs: []model.URL{u}}, &d)
		var cd engine.CheckDecision
		navErr := c.DecideNavigationRequest(model.WindowGlobal, []model.URL{u}, "form-submission", &cd)
		if len(deliveries) == 2 {
			origin, err := model.ParseOrigin("https://example.com")
			if err != nil {
				t.Fatal(err)
			}
			want, err := model.Decide(model.NewCSPList(deliveries, origin, nil), model.Request{Destination: "image", URLList: []model.URL{u}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if c.Err() != nil || reqErr != nil || navErr != nil || d.Verdict != want.Verdict || len(d.Violations) != len(want.Violations) || cd.Verdict != model.Blocked {
				t.Errorf("two deliveries, at the limit: Err %v, request %v %v (%d violations), navigation %v %v; the model's request: %v (%d violations)",
					c.Err(), d.Verdict, reqErr, len(d.Violations), cd.Verdict, navErr, want.Verdict, len(want.Violations))
			}
			continue
		}
		for what, got := range map[string]struct {
			err     error
			verdict model.Verdict
		}{"Err": {c.Err(), model.Blocked}, "an image": {reqErr, d.Verdict}, "a form submission": {navErr, cd.Verdict}} {
			if !errors.Is(got.err, model.ErrBadInput) || !strings.Contains(got.err.Error(), "3 policy deliveries") || got.verdict != model.Blocked {
				t.Errorf("three deliveries, over the limit of 2: %s gives %v, %v; want Blocked and a refusal that counts them", what, got.verdict, got.err)
			}
		}
	}
}
