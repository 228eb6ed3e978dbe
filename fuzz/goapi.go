package fuzz

import (
	"errors"
	"strings"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// The engine's Go API takes values the vector format cannot write, so no
// case reaches them: a kind of global object outside model.GlobalKind's
// three (a number), nil pointers, and the zero values of the prepared
// inputs (Navigation, Ancestors, Compilation, CheckURL, InlineType). Each
// must be refused, Blocked with nothing else left in the decision, and
// with the right words (engine/decide_checks.go's header gives the order):
//   - in a kind outside the three, by either door, the model's refusal of
//     the same case in that kind (corpus.RunModelInKind), whatever else is
//     wrong with it;
//   - for an input the model has no form of, the model's refusal of the
//     global object alone when it has one (the kind; a check that needs a
//     Window), else the refusal naming the missing input;
//   - on a CSP Compile did not make (nil, zero), engine.ErrNotCompiled
//     once the input itself is fine, and into a nil decision,
//     engine.ErrNoDecision (missingCSPDifference).
// goAPIDifference holds every check case a target decides to these, in
// the case's kind and in the first number past the three.

// outsideKind is the first number that is no kind of global object.
const outsideKind = model.WorkletGlobal + 1

// goAPIDifference describes how the engine's refusals of c's check, asked
// through its Go API with what the vector format cannot write, differ
// from the above, or returns "" (also for a request, whose Request has no
// kind, and for a case the engine cannot compile, which RunEngine
// reports). ec is c compiled.
func goAPIDifference(c corpus.Case, ec *corpus.EngineCheck) string {
	if msg := missingCSPDifference(ec); msg != "" {
		return msg
	}
	if msg := strayInputDifference(ec); msg != "" {
		return msg
	}
	m := corpus.RunModelInKind(c, outsideKind, nil)
	if m.Error == "" {
		return "the model decides a check in a global object of no kind (" + outsideKind.String() + ")"
	}
	outside := *ec
	outside.Kind = outsideKind
	doors := []struct {
		name   string
		decide func(*engine.CheckDecision) error
	}{{"CSP", outside.Decide}, {"prepared", outside.Prepare()}}
	for _, door := range doors {
		d := staleCheckDecision()
		err := door.decide(&d)
		if err == nil || err.Error() != m.Error {
			return "the engine's " + door.name + " door refuses a check in " + outsideKind.String() + " otherwise than the model:\nmodel error: " + quote(m.Error) + "\nengine error: " + quoteErr(err)
		}
		if !onlyBlocked(&d) {
			return "the engine's " + door.name + " door, refusing a check in " + outsideKind.String() + ", leaves more than a Blocked verdict: " + leftovers(d.Verdict, len(d.Violations), d.SandboxFlags)
		}
	}
	missing := missingInputs(ec)
	if len(missing) == 0 {
		return "" // wasm, rtc, sandbox: no input to leave out
	}
	for _, kind := range []model.GlobalKind{ec.Kind, outsideKind} {
		global := globalRefusal(ec.Check, kind)
		for _, u := range missing {
			d := staleCheckDecision()
			err := u.decide(kind, &d)
			switch {
			case err == nil || !errors.Is(err, model.ErrBadInput):
				return "the engine does not refuse " + u.name + " in " + kind.String() + " as input that cannot occur: " + quoteErr(err)
			case !onlyBlocked(&d):
				return "the engine, refusing " + u.name + " in " + kind.String() + ", leaves more than a Blocked verdict: " + leftovers(d.Verdict, len(d.Violations), d.SandboxFlags)
			case global != nil && err.Error() != global.Error():
				return "the engine refuses " + u.name + " in " + kind.String() + " without the model's refusal of that global object:\nmodel error: " + quote(global.Error()) + "\nengine error: " + quote(err.Error())
			case global == nil && !strings.Contains(err.Error(), u.cause):
				return "the engine's refusal of " + u.name + " in " + kind.String() + " does not name it (" + quote(u.cause) + "): " + quote(err.Error())
			}
		}
	}
	return ""
}

// missingCSPDifference asks ec's check on a CSP that Compile did not make
// (nil, and a zero CSP) by both doors, and into a nil decision, and
// describes how the engine let such a decision through or refused it in
// other words, or returns "". A missing CSP must refuse, Blocked with
// nothing else, as input that cannot occur, and with ErrNotCompiled when
// the compiled CSP decides the same input without error (a refusal of
// the input itself may come first). A nil decision must be refused with
// ErrNoDecision by the CSP's door. (A navigation response's prepared door
// takes a nil list for the navigating document, which has no say: it is
// asked only by the CSP's door.)
func missingCSPDifference(ec *corpus.EngineCheck) string {
	var fresh engine.CheckDecision
	decides := ec.Decide(&fresh) == nil
	for name, csp := range map[string]*engine.CSP{"a nil CSP": nil, "a zero CSP": new(engine.CSP)} {
		missing := *ec
		missing.CSP = csp
		doors := []struct {
			name   string
			decide func(*engine.CheckDecision) error
		}{{"CSP", missing.Decide}, {"prepared", missing.Prepare()}}
		if ec.Check == corpus.CheckNavigationResponse {
			doors = doors[:1]
		}
		for _, door := range doors {
			d := staleCheckDecision()
			err := door.decide(&d)
			switch {
			case !errors.Is(err, model.ErrBadInput):
				return "the engine's " + door.name + " door does not refuse a check on " + name + " as input that cannot occur: " + quoteErr(err)
			case !onlyBlocked(&d):
				return "the engine's " + door.name + " door, refusing a check on " + name + ", leaves more than a Blocked verdict: " + leftovers(d.Verdict, len(d.Violations), d.SandboxFlags)
			case decides && !errors.Is(err, engine.ErrNotCompiled):
				return "the engine's " + door.name + " door refuses a check on " + name + ", whose input the compiled CSP decides, without engine.ErrNotCompiled: " + quoteErr(err)
			}
		}
	}
	// (The prepared door takes a decision it does not test for nil.)
	if err := ec.Decide(nil); !errors.Is(err, engine.ErrNoDecision) {
		return "the engine's CSP door does not refuse a check into a nil decision with engine.ErrNoDecision: " + quoteErr(err)
	}
	return ""
}

// globalRefusal is the model's refusal of a check in a global object of
// the given kind for the global object alone, or nil when it decides
// there: the check asked with an input nothing is wrong with, under no
// policy.
func globalRefusal(check string, kind model.GlobalKind) error {
	env := model.Environment{Kind: kind, URL: &warmUpURL}
	var err error
	switch check {
	case corpus.CheckInline:
		_, err = model.DecideInline(env, model.Element{LocalName: "script"}, model.InlineScript, "", nil)
	case corpus.CheckBase:
		_, err = model.DecideBase(env, warmUpURL, nil)
	default:
		_, err = model.DecideWasm(env, nil)
	}
	return err
}

// refusingCSP is a CSP compiled from a delivery whose disposition is none
// of the named values: it refuses every decision (CSP.Err).
var refusingCSP = engine.Compile([]model.PolicyDelivery{{Value: "frame-ancestors *", Disposition: "Enforce"}}, model.NewOpaqueOrigin())

// missingInput is a way of asking ec's check with an input the model has
// no form of, and what the engine's refusal of it must name.
type missingInput struct {
	name   string
	cause  string
	decide func(model.GlobalKind, *engine.CheckDecision) error
}

// missingInputs are the ways of asking ec's check with an input missing:
// nil, or a prepared input's zero value. The rest of the input is ec's.
func missingInputs(ec *corpus.EngineCheck) []missingInput {
	l := ec.CSP.Checks()
	switch ec.Check {
	case corpus.CheckInline:
		typ, _ := engine.ParseInlineType(ec.InlineType)
		return []missingInput{
			{"an inline check without an element", "needs an element", func(k model.GlobalKind, d *engine.CheckDecision) error {
				return l.DecideInline(k, nil, typ, ec.Source, d)
			}},
			{"an inline check of no type", "ParseInlineType", func(k model.GlobalKind, d *engine.CheckDecision) error {
				return l.DecideInline(k, &ec.Element, 0, ec.Source, d)
			}},
			{"an inline check of a type past the four", "ParseInlineType", func(k model.GlobalKind, d *engine.CheckDecision) error {
				return l.DecideInline(k, &ec.Element, engine.InlineStyleAttribute+1, ec.Source, d)
			}},
		}
	case corpus.CheckEval:
		return []missingInput{
			{"an unprepared compilation", "PrepareCompilation", func(k model.GlobalKind, d *engine.CheckDecision) error {
				return l.DecideEval(k, &engine.Compilation{}, d)
			}},
			{"a nil prepared compilation", "PrepareCompilation", func(k model.GlobalKind, d *engine.CheckDecision) error {
				return l.DecideEval(k, nil, d)
			}},
			{"the CSP's eval of no compilation", "needs a compilation", func(k model.GlobalKind, d *engine.CheckDecision) error {
				return ec.CSP.DecideEval(k, nil, d)
			}},
		}
	case corpus.CheckBase:
		return []missingInput{
			{"an unprepared base URL", "PrepareURL", func(k model.GlobalKind, d *engine.CheckDecision) error {
				return l.DecideBase(k, &engine.CheckURL{}, d)
			}},
			{"a nil prepared base URL", "PrepareURL", func(k model.GlobalKind, d *engine.CheckDecision) error {
				return l.DecideBase(k, nil, d)
			}},
			{"the CSP's base check of no URL", "needs a URL", func(k model.GlobalKind, d *engine.CheckDecision) error {
				return ec.CSP.DecideBase(k, nil, d)
			}},
		}
	case corpus.CheckNavigationRequest:
		return []missingInput{
			{"an unprepared navigation", "PrepareNavigation", func(k model.GlobalKind, d *engine.CheckDecision) error {
				return l.DecideNavigationRequest(k, &engine.Navigation{}, d)
			}},
			{"a nil navigation", "PrepareNavigation", func(k model.GlobalKind, d *engine.CheckDecision) error {
				return l.DecideNavigationRequest(k, nil, d)
			}},
		}
	case corpus.CheckNavigationResponse:
		response := ec.Response.Checks()
		top := engine.PrepareAncestors(ec.Ancestors)
		ins := []missingInput{
			{"an unprepared navigation", "PrepareNavigation", func(k model.GlobalKind, d *engine.CheckDecision) error {
				return l.DecideNavigationResponse(k, &engine.Navigation{}, response, &top, d)
			}},
			{"a nil navigation and nil ancestors", "PrepareNavigation", func(k model.GlobalKind, d *engine.CheckDecision) error {
				return l.DecideNavigationResponse(k, nil, response, nil, d)
			}},
		}
		nav, err := engine.PrepareNavigation(ec.URLs, ec.NavigationType)
		if err != nil {
			// The case's own navigation is refused: the variants that
			// need it prepared have none.
			return ins
		}
		return append(ins,
			missingInput{"unprepared ancestors", "PrepareAncestors", func(k model.GlobalKind, d *engine.CheckDecision) error {
				return l.DecideNavigationResponse(k, &nav, response, &engine.Ancestors{}, d)
			}},
			missingInput{"nil ancestors", "PrepareAncestors", func(k model.GlobalKind, d *engine.CheckDecision) error {
				return l.DecideNavigationResponse(k, &nav, response, nil, d)
			}},
			missingInput{"a navigation response without its CSP list", "its CSP list", func(k model.GlobalKind, d *engine.CheckDecision) error {
				return l.DecideNavigationResponse(k, &nav, nil, &top, d)
			}},
			missingInput{"the CSP's navigation response without its CSP list", "its CSP list", func(k model.GlobalKind, d *engine.CheckDecision) error {
				return ec.CSP.DecideNavigationResponse(k, ec.URLs, ec.NavigationType, nil, ec.Ancestors, d)
			}},
			missingInput{"a navigation response whose CSP list refuses every decision", "the navigation response's CSP list", func(k model.GlobalKind, d *engine.CheckDecision) error {
				return l.DecideNavigationResponse(k, &nav, refusingCSP.Checks(), &top, d)
			}},
			missingInput{"the CSP's navigation response whose CSP list refuses every decision", "the navigation response's CSP list", func(k model.GlobalKind, d *engine.CheckDecision) error {
				return ec.CSP.DecideNavigationResponse(k, ec.URLs, ec.NavigationType, refusingCSP, ec.Ancestors, d)
			}},
		)
	}
	return nil
}

// strayInputDifference asks ec's check through the CSP's door with what
// the vector format refuses before either side sees it (an inline type,
// a compilation type or a navigation type misspelt, one parameter value
// more than parameter strings) and describes how the engine's refusal
// differs from the model's refusal of the same input, or returns "". The
// model reads these before anything else, so its refusal does not depend
// on the rest of the input.
func strayInputDifference(ec *corpus.EngineCheck) string {
	env := model.Environment{Kind: ec.Kind, URL: &warmUpURL}
	type stray struct {
		name   string
		engine func(*engine.CheckDecision) error
		model  func() error
	}
	var strays []stray
	add := func(name string, e func(*engine.CheckDecision) error, m func() error) {
		strays = append(strays, stray{name, e, m})
	}
	switch ec.Check {
	case corpus.CheckInline:
		typ := strings.ToUpper(ec.InlineType) // the names are lower case
		add("an inline check of type "+quote(typ), func(d *engine.CheckDecision) error {
			return ec.CSP.DecideInline(ec.Kind, &ec.Element, typ, ec.Source, d)
		}, func() error {
			_, err := model.DecideInline(env, ec.Element, typ, ec.Source, nil)
			return err
		})
	case corpus.CheckEval:
		lower := ec.Compilation
		lower.Type = strings.ToLower(lower.Type)
		add("a compilation of type "+quote(lower.Type), func(d *engine.CheckDecision) error {
			return ec.CSP.DecideEval(ec.Kind, &lower, d)
		}, func() error {
			_, err := model.DecideEval(env, lower, nil)
			return err
		})
		extra := ec.Compilation
		extra.ParameterArgs = append(extra.ParameterArgs[:len(extra.ParameterArgs):len(extra.ParameterArgs)], model.ScriptValue{})
		add("a compilation with a parameter value more than its strings", func(d *engine.CheckDecision) error {
			return ec.CSP.DecideEval(ec.Kind, &extra, d)
		}, func() error {
			_, err := model.DecideEval(env, extra, nil)
			return err
		})
	case corpus.CheckNavigationRequest:
		typ := strings.ToUpper(ec.NavigationType)
		add("a navigation of type "+quote(typ), func(d *engine.CheckDecision) error {
			return ec.CSP.DecideNavigationRequest(ec.Kind, ec.URLs, typ, d)
		}, func() error {
			_, err := model.DecideNavigationRequest(env, model.Request{URLList: ec.URLs}, typ, nil)
			return err
		})
	}
	for _, s := range strays {
		want := s.model()
		if want == nil {
			return "the model decides " + s.name
		}
		d := staleCheckDecision()
		err := s.engine(&d)
		switch {
		case err == nil || err.Error() != want.Error():
			return "the engine refuses " + s.name + " otherwise than the model:\nmodel error: " + quote(want.Error()) + "\nengine error: " + quoteErr(err)
		case !onlyBlocked(&d):
			return "the engine, refusing " + s.name + ", leaves more than a Blocked verdict: " + leftovers(d.Verdict, len(d.Violations), d.SandboxFlags)
		}
	}
	return ""
}
