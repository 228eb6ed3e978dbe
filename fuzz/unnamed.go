package fuzz

import (
	"errors"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// A model.PolicyDelivery is a Go value whose Disposition and Source are
// strings; the vector format names only the values that exist, so no case
// writes one that is none of them (a misspelt "Enforce"). Such a delivery
// would be neither enforced nor reported: the model refuses a list that
// holds one where it checks the global object (docs/spec-mapping.md, D6),
// and the engine's CSP compiled from one refuses every decision with the
// model's words, in the model's order (engine/decide_checks.go's header).
// unnamedDeliveryDifference holds every case a target decides to that.

// unnamedChanges are the ways a case's deliveries are given a value none
// of the named ones: a delivery of disposition "Enforce" added after the
// case's (a list of several deliveries, unless the case has none), and the
// last of the case's given the source "Meta" (of one delivery, when the
// case has one), then another fault after it, which must not be the one
// named.
var unnamedChanges = []struct {
	name   string
	change func([]model.PolicyDelivery) []model.PolicyDelivery
}{
	{"a delivery of disposition \"Enforce\" added", func(ds []model.PolicyDelivery) []model.PolicyDelivery {
		value := "connect-src 'none'"
		if len(ds) > 0 {
			value = ds[0].Value
		}
		return append(ds[:len(ds):len(ds)], model.PolicyDelivery{Value: value, Disposition: "Enforce"})
	}},
	{"the last delivery of source \"Meta\"", func(ds []model.PolicyDelivery) []model.PolicyDelivery {
		if len(ds) == 0 {
			return nil
		}
		out := append([]model.PolicyDelivery(nil), ds...)
		out[len(out)-1].Source = "Meta"
		return out
	}},
	{"the last delivery of source \"Meta\", then one of disposition \"x\"", func(ds []model.PolicyDelivery) []model.PolicyDelivery {
		if len(ds) == 0 {
			return nil
		}
		out := append([]model.PolicyDelivery(nil), ds...)
		out[len(out)-1].Source = "Meta"
		return append(out, model.PolicyDelivery{Disposition: "x"})
	}},
}

// unnamedDeliveryDifference describes how the engine, given c's deliveries
// changed each way unnamedChanges has, departs from the model: Compile's
// CSP must say why it refuses (Err) as the model's list does, and every
// door must refuse c's decision with the model's words for the same
// deliveries, Blocked with nothing else left in a stale decision; an input
// the model has no form of is refused with the list's words too. It
// returns "" when there is nothing to say. The caller has compiled c: ec
// is its check, or req its request (the other nil).
func unnamedDeliveryDifference(c corpus.Case, ec *corpus.EngineCheck, req *engine.Request) string {
	deliveries, err := c.Deliveries()
	if err != nil {
		return ""
	}
	self, err := engine.ParseOrigin(c.SelfOrigin)
	if err != nil {
		return ""
	}
	for _, u := range unnamedChanges {
		changed := u.change(deliveries)
		if changed == nil {
			continue
		}
		// The list's own refusal: a check with no input of its own.
		_, listErr := model.DecideWasm(model.Environment{CSPList: model.NewCSPList(changed, self, nil)}, nil)
		if listErr == nil {
			return "the model decides under " + u.name
		}
		csp := engine.Compile(changed, self)
		if err := csp.Err(); err == nil || err.Error() != listErr.Error() {
			return "the engine's CSP with " + u.name + " says otherwise than the model why it refuses:\nmodel error: " + quote(listErr.Error()) + "\nErr: " + quoteErr(err)
		}
		m := corpus.RunModelWithDeliveries(c, u.change, nil)
		if m.Error == "" {
			return "the model decides a case with " + u.name
		}
		if msg := unnamedDecisionDifference(ec, req, csp, u.name, m.Error, listErr.Error()); msg != "" {
			return msg
		}
	}
	return ""
}

// unnamedDecisionDifference decides a case (its check ec, or its request
// req) on csp, compiled from deliveries the model refuses with listErr,
// through every door, and describes the first that does not refuse with
// want (the model's words for the case), or leaves more than a Blocked
// verdict.
func unnamedDecisionDifference(ec *corpus.EngineCheck, req *engine.Request, csp *engine.CSP, name, want, listErr string) string {
	if req != nil {
		// A request the model refuses for itself is refused by the
		// engine for itself, in its own words (ErrRequest); any other by
		// the list. No request is an input the model has no form of: the
		// list's refusal comes first.
		for _, door := range []struct {
			name, want string
			r          *engine.Request
		}{{"the request", want, req}, {"no request", listErr, nil}} {
			d := staleDecision()
			err := csp.Decide(door.r, &d)
			ok := err != nil && err.Error() == door.want
			if door.want != listErr {
				ok = errors.Is(err, engine.ErrRequest)
			}
			if !ok || d.Verdict != model.Blocked || len(d.Violations) != 0 {
				return "the engine does not refuse " + door.name + " on a CSP with " + name + " as the model does:\nmodel error: " + quote(door.want) +
					"\nengine error: " + quoteErr(err) + "\nleft: " + leftovers(d.Verdict, len(d.Violations), 0) + " in a stale Decision"
			}
		}
		return ""
	}
	// The model checks the list where it checks the global object: after
	// the check's own input, before the kind. So the model's words for c
	// are want in any kind, a kind outside the three included.
	for _, kind := range []model.GlobalKind{ec.Kind, outsideKind} {
		refused := *ec
		refused.CSP, refused.Kind = csp, kind
		for _, door := range []struct {
			name   string
			decide func(*engine.CheckDecision) error
		}{{"CSP", refused.Decide}, {"prepared", refused.Prepare()}} {
			d := staleCheckDecision()
			err := door.decide(&d)
			if err == nil || err.Error() != want {
				return "the engine's " + door.name + " door refuses a check in " + kind.String() + " on a CSP with " + name + " otherwise than the model:\nmodel error: " + quote(want) + "\nengine error: " + quoteErr(err)
			}
			if !onlyBlocked(&d) {
				return "the engine's " + door.name + " door, refusing a check in " + kind.String() + " on a CSP with " + name + ", leaves more than a Blocked verdict: " + leftovers(d.Verdict, len(d.Violations), d.SandboxFlags)
			}
		}
		// Inputs the model has no form of come after the list's refusal.
		for _, in := range missingInputs(&refused) {
			d := staleCheckDecision()
			err := in.decide(kind, &d)
			if err == nil || !errors.Is(err, model.ErrBadInput) || err.Error() != listErr || !onlyBlocked(&d) {
				return "the engine refuses " + in.name + " in " + kind.String() + " on a CSP with " + name + " without the list's refusal first:\nmodel error: " + quote(listErr) +
					"\nengine error: " + quoteErr(err) + "\nleft: " + leftovers(d.Verdict, len(d.Violations), d.SandboxFlags)
			}
		}
	}
	return ""
}
