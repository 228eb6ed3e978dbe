package engine

import (
	"errors"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// A CSP that Compile did not make (a nil pointer, a zero value) and a nil
// decision are inputs a caller can pass to every decision method of a
// CSP. None may panic, and none may leave an Allowed verdict: the CSP
// refuses with ErrNotCompiled and a Blocked verdict, and a nil decision is
// refused with ErrNoDecision. A compiled list (Checks) does not test its
// pointers, but a zero Checks must not allow anything either.

// decideCalls calls each decision method of a CSP, on input it decides
// without error when the CSP is compiled, writing into d (a *Decision for
// Decide, a *CheckDecision for the others; nil when d is).
var decideCalls = map[string]func(c *CSP, d any) error{
	"Decide": func(c *CSP, d any) error {
		u, _ := ParseURL("https://example.com/")
		dd, _ := d.(*Decision)
		return c.Decide(&Request{URLs: []model.URL{u}}, dd)
	},
	"DecideInline": func(c *CSP, d any) error {
		return c.DecideInline(model.WindowGlobal, &model.Element{LocalName: "script"}, model.InlineScript, "x", checkDecision(d))
	},
	"DecideEval": func(c *CSP, d any) error {
		return c.DecideEval(model.WindowGlobal, &model.Compilation{Type: model.CompileEval, CodeString: "x"}, checkDecision(d))
	},
	"DecideWasm": func(c *CSP, d any) error { return c.DecideWasm(model.WindowGlobal, checkDecision(d)) },
	"DecideRTC":  func(c *CSP, d any) error { return c.DecideRTC(model.WindowGlobal, checkDecision(d)) },
	"DecideSandbox": func(c *CSP, d any) error {
		return c.DecideSandbox(model.WorkerGlobal, checkDecision(d))
	},
	"DecideBase": func(c *CSP, d any) error {
		u, _ := ParseURL("https://example.com/")
		return c.DecideBase(model.WindowGlobal, &u, checkDecision(d))
	},
	"DecideNavigationRequest": func(c *CSP, d any) error {
		u, _ := ParseURL("https://example.com/")
		return c.DecideNavigationRequest(model.WindowGlobal, []model.URL{u}, "form-submission", checkDecision(d))
	},
	"DecideNavigationResponse": func(c *CSP, d any) error {
		u, _ := ParseURL("https://example.com/")
		top, _ := ParseOrigin("https://example.com")
		return c.DecideNavigationResponse(model.WindowGlobal, []model.URL{u}, "other", c, []*model.URL{AncestorURL(top)}, checkDecision(d))
	},
}

// listCalls calls each decision method of a Checks, as decideCalls.
var listCalls = map[string]func(l *Checks, d *CheckDecision) error{
	"DecideInline": func(l *Checks, d *CheckDecision) error {
		return l.DecideInline(model.WindowGlobal, &model.Element{LocalName: "script"}, InlineScript, "x", d)
	},
	"DecideEval": func(l *Checks, d *CheckDecision) error {
		comp, _ := PrepareCompilation(&model.Compilation{Type: model.CompileEval, CodeString: "x"})
		return l.DecideEval(model.WindowGlobal, &comp, d)
	},
	"DecideWasm":    func(l *Checks, d *CheckDecision) error { return l.DecideWasm(model.WindowGlobal, d) },
	"DecideRTC":     func(l *Checks, d *CheckDecision) error { return l.DecideRTC(model.WindowGlobal, d) },
	"DecideSandbox": func(l *Checks, d *CheckDecision) error { return l.DecideSandbox(model.WorkerGlobal, d) },
	"DecideBase": func(l *Checks, d *CheckDecision) error {
		u, _ := ParseURL("https://example.com/")
		b := PrepareURL(&u)
		return l.DecideBase(model.WindowGlobal, &b, d)
	},
	"DecideNavigationRequest": func(l *Checks, d *CheckDecision) error {
		u, _ := ParseURL("https://example.com/")
		nav, _ := PrepareNavigation([]model.URL{u}, "form-submission")
		return l.DecideNavigationRequest(model.WindowGlobal, &nav, d)
	},
	"DecideNavigationResponse": func(l *Checks, d *CheckDecision) error {
		u, _ := ParseURL("https://example.com/")
		nav, _ := PrepareNavigation([]model.URL{u}, "other")
		top, _ := ParseOrigin("https://example.com")
		a := PrepareAncestors([]*model.URL{AncestorURL(top)})
		// The list decides as the response's own list: the navigating
		// document's has no say.
		return l.DecideNavigationResponse(model.WindowGlobal, &nav, l, &a, d)
	},
}

func checkDecision(d any) *CheckDecision {
	cd, _ := d.(*CheckDecision)
	return cd
}

// TestEveryDecisionMethodIsCalled holds decideCalls and listCalls to the
// methods the types have, so that a new decision method is tested too.
func TestEveryDecisionMethodIsCalled(t *testing.T) {
	for typ, calls := range map[reflect.Type][]string{
		reflect.TypeFor[*CSP]():    slices.Collect(maps.Keys(decideCalls)),
		reflect.TypeFor[*Checks](): slices.Collect(maps.Keys(listCalls)),
	} {
		var methods []string
		for i := range typ.NumMethod() {
			if name := typ.Method(i).Name; strings.HasPrefix(name, "Decide") {
				methods = append(methods, name)
			}
		}
		slices.Sort(methods)
		slices.Sort(calls)
		if !slices.Equal(methods, calls) {
			t.Errorf("%v's decision methods are %v; the table calls %v", typ, methods, calls)
		}
	}
}

// inlinedListCalls are the methods of Checks that Go inlines, which decide
// a zero Checks Blocked with no error (the Checks documentation).
var inlinedListCalls = []string{"DecideWasm", "DecideRTC", "DecideSandbox"}

// TestUncompiledCSPsRefuse decides with a nil CSP, a zero CSP, a CSP's
// list from a nil or zero CSP, and a zero Checks: each decision must
// return ErrNotCompiled with a Blocked verdict (the decision held Allowed
// before), never panic, but for the inlined methods of a zero Checks,
// which must still decide Blocked. The same calls on a compiled CSP that
// allows everything must decide Allowed without error, so that the
// refusals come from the CSP, not from the input.
func TestUncompiledCSPsRefuse(t *testing.T) {
	self, err := ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	compiled := Compile([]model.PolicyDelivery{{Value: "img-src 'none'"}}, self)
	csps := map[string]*CSP{"nil CSP": nil, "zero CSP": new(CSP), "compiled CSP": compiled}
	for name, call := range decideCalls {
		for what, c := range csps {
			for _, d := range []any{&Decision{Verdict: model.Allowed}, &CheckDecision{Verdict: model.Allowed}} {
				if (name == "Decide") != (reflect.TypeOf(d) == reflect.TypeFor[*Decision]()) {
					continue
				}
				err := noPanic(t, name+" on a "+what, func() error { return call(c, d) })
				verdict := reflect.ValueOf(d).Elem().FieldByName("Verdict").Interface().(model.Verdict)
				if c == compiled {
					if err != nil || verdict != model.Allowed {
						t.Errorf("%s on a %s: %v, %v; want Allowed, no error", name, what, verdict, err)
					}
					continue
				}
				if !errors.Is(err, ErrNotCompiled) || verdict != model.Blocked {
					t.Errorf("%s on a %s: %v, %v; want Blocked, ErrNotCompiled", name, what, verdict, err)
				}
			}
		}
	}
	lists := map[string]*Checks{
		"zero Checks": new(Checks), "nil CSP's Checks": (*CSP)(nil).Checks(),
		"zero CSP's Checks": new(CSP).Checks(), "compiled Checks": compiled.Checks(),
	}
	for name, call := range listCalls {
		for what, l := range lists {
			inlined := slices.Contains(inlinedListCalls, name)
			d := &CheckDecision{Verdict: model.Allowed}
			err := noPanic(t, name+" on a "+what, func() error { return call(l, d) })
			if what == "compiled Checks" {
				if err != nil || d.Verdict != model.Allowed {
					t.Errorf("%s on a %s: %v, %v; want Allowed, no error", name, what, d.Verdict, err)
				}
				continue
			}
			if inlined && what == "zero Checks" {
				if err != nil || d.Verdict != model.Blocked {
					t.Errorf("%s on a %s: %v, %v; want Blocked, no error", name, what, d.Verdict, err)
				}
				continue
			}
			if !errors.Is(err, ErrNotCompiled) || d.Verdict != model.Blocked {
				t.Errorf("%s on a %s: %v, %v; want Blocked, ErrNotCompiled", name, what, d.Verdict, err)
			}
		}
	}
	for what, c := range csps {
		if err := c.Err(); (err != nil) != (c != compiled) || err != nil && !errors.Is(err, ErrNotCompiled) {
			t.Errorf("Err of a %s = %v", what, err)
		}
	}
}

// TestNilDecisionsRefuse decides into a nil decision with every method of
// a compiled CSP and of uncompiled ones: each must return ErrNoDecision,
// never panic.
func TestNilDecisionsRefuse(t *testing.T) {
	self, err := ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	compiled := Compile([]model.PolicyDelivery{{Value: "img-src 'none'"}}, self)
	for _, c := range []*CSP{compiled, nil, new(CSP)} {
		for name, call := range decideCalls {
			var d any = (*CheckDecision)(nil)
			if name == "Decide" {
				d = (*Decision)(nil)
			}
			if err := noPanic(t, name, func() error { return call(c, d) }); !errors.Is(err, ErrNoDecision) {
				t.Errorf("%s into a nil decision on %p: %v; want ErrNoDecision", name, c, err)
			}
		}
	}
	(*CheckDecision)(nil).Reset() // must not panic either
}

// noPanic runs f, failing the test (and returning an error) if it panics.
func noPanic(t *testing.T, what string, f func() error) (err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s panicked: %v", what, r)
			err = errors.New("panicked")
		}
	}()
	return f()
}
