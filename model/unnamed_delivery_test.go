package model

import (
	"errors"
	"strings"
	"testing"
)

// TestUnnamedDeliveryIsRefused: a delivery or policy whose disposition or
// source is none of the named values (a misspelt "Enforce") would be neither
// enforced nor reported, so a list holding it would be decided as if it were
// not there: Allowed where the caller's policy blocks. Every entry point
// refuses such a list (D6), Blocked, where it checks the global object:
// after the check's own input, before its kind (here each is asked in a
// kind that does not exist), and names the first delivery at fault.
func TestUnnamedDeliveryIsRefused(t *testing.T) {
	self := MustParseOrigin("https://example.com")
	good := PolicyDelivery{Value: "script-src 'none'; connect-src 'none'"}
	lists := []struct {
		name string
		list CSPList
		want string // in the error
	}{
		{"disposition Enforce", NewCSPList([]PolicyDelivery{good, {Value: "connect-src 'none'", Disposition: "Enforce"}}, self, nil),
			`delivery 1: disposition "Enforce" is not "enforce" or "report"`},
		{"source carrier-pigeon", NewCSPList([]PolicyDelivery{good, {Value: "connect-src 'none'", Source: "carrier-pigeon"}}, self, nil),
			`delivery 1: source "carrier-pigeon" is not "header" or "meta"`},
		{"both, and a later one", NewCSPList([]PolicyDelivery{good, {Disposition: "report-only", Source: "Meta"}, {Disposition: "x"}}, self, nil),
			`delivery 1: disposition "report-only"`},
		{"an empty value", NewCSPList([]PolicyDelivery{{Disposition: "x"}}, self, nil),
			`delivery 0: disposition "x"`},
		{"a hand-built policy of no disposition", CSPList{SelfOrigin: self, Policies: []Policy{{Source: HeaderSource, Delivery: 3}}},
			`delivery 3: disposition ""`},
		{"a hand-built policy of no source", CSPList{SelfOrigin: self, Policies: []Policy{{Disposition: Report, Delivery: 2}}},
			`delivery 2: source ""`},
		// NewCSPList puts the deliveries it refuses first; a hand-built list
		// may hold one after a policy that is fine.
		{"a hand-built policy after a good one", CSPList{SelfOrigin: self, Policies: []Policy{
			{Disposition: Enforce, Source: HeaderSource}, {Disposition: "enforced", Source: HeaderSource, Delivery: 1}}},
			`delivery 1: disposition "enforced"`},
	}
	u := MustParseURL("https://example.com/")
	bad := GlobalKind(9)
	entries := map[string]func(env Environment) (Decision, error){
		"request": func(env Environment) (Decision, error) { return DecideRequest(env, Request{URLList: []URL{u}}, nil) },
		"inline": func(env Environment) (Decision, error) {
			return DecideInline(env, Element{LocalName: "script"}, InlineScript, "", nil)
		},
		"eval": func(env Environment) (Decision, error) { return DecideEval(env, Compilation{Type: CompileEval}, nil) },
		"wasm": func(env Environment) (Decision, error) { return DecideWasm(env, nil) },
		"navigation request": func(env Environment) (Decision, error) {
			return DecideNavigationRequest(env, Request{URLList: []URL{u}}, NavigationOther, nil)
		},
		"navigation response": func(env Environment) (Decision, error) {
			return DecideNavigationResponse(env, Request{URLList: []URL{u}}, NavigationOther, Response{}, Navigable{}, nil)
		},
		"base":    func(env Environment) (Decision, error) { return DecideBase(env, u, nil) },
		"sandbox": func(env Environment) (Decision, error) { return DecideSandbox(env, nil) },
		"rtc":     func(env Environment) (Decision, error) { return DecideRTC(env, nil) },
	}
	for _, l := range lists {
		for name, decide := range entries {
			d, err := decide(Environment{CSPList: l.list, Kind: bad})
			if !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), l.want) {
				t.Errorf("%s, %s: error %v, want ErrBadInput naming %s", l.name, name, err, l.want)
			}
			if d.Verdict != Blocked || len(d.Violations) != 0 {
				t.Errorf("%s, %s: %+v, want Blocked and nothing else", l.name, name, d)
			}
		}
	}
	// The check's own input comes first.
	if _, err := DecideInline(Environment{CSPList: lists[0].list}, Element{}, "no such type", "", nil); err == nil || strings.Contains(err.Error(), "delivery") {
		t.Errorf("an inline check of no type: error %v, want the type's refusal", err)
	}
	if _, err := DecideRequest(Environment{CSPList: lists[0].list}, Request{}, nil); !errors.Is(err, ErrBadRequest) {
		t.Errorf("a request of no URL: error %v, want the request's refusal", err)
	}
	// Decide is DecideRequest in a Window.
	if _, err := Decide(lists[0].list, Request{URLList: []URL{u}}, nil); err == nil || !strings.Contains(err.Error(), lists[0].want) {
		t.Errorf("Decide: error %v, want %s", err, lists[0].want)
	}
	// The named values, and the zero ones of a delivery, are decided.
	for _, d := range []PolicyDelivery{good, {Value: good.Value, Disposition: Enforce, Source: HeaderSource}, {Value: good.Value, Source: MetaSource}, {Value: good.Value, Disposition: Report}} {
		list := NewCSPList([]PolicyDelivery{d}, self, nil)
		if _, err := Decide(list, Request{URLList: []URL{u}}, nil); err != nil {
			t.Errorf("%+v: refused: %v", d, err)
		}
	}
}

// TestUnnamedRequestFieldsAreRefused: a destination, initiator, mode or
// parser metadata none of Fetch's values is refused (D6), before the
// global object, rather than decided as if it were another value.
func TestUnnamedRequestFieldsAreRefused(t *testing.T) {
	list := NewCSPList([]PolicyDelivery{{Value: "img-src 'none'; connect-src *"}}, MustParseOrigin("https://example.com"), nil)
	u := MustParseURL("https://example.org/x.png")
	for name, r := range map[string]Request{
		"destination img":   {Destination: "img", URLList: []URL{u}},
		"initiator":         {Destination: "image", Initiator: "Prefetch", URLList: []URL{u}},
		"mode":              {Destination: "image", Mode: "no_cors", URLList: []URL{u}},
		"parser metadata":   {Destination: "image", ParserMetadata: "parser", URLList: []URL{u}},
		"and a bad kind of": {Destination: "img", URLList: []URL{u}},
	} {
		env := Environment{CSPList: list}
		if name == "and a bad kind of" {
			env.Kind = GlobalKind(9)
		}
		d, err := DecideRequest(env, r, nil)
		if !errors.Is(err, ErrBadRequest) || d.Verdict != Blocked || len(d.Violations) != 0 {
			t.Errorf("%s: %+v, %v; want ErrBadRequest and Blocked alone", name, d, err)
		}
	}
	for _, v := range Initiators() {
		if _, err := Decide(list, Request{Destination: "image", Initiator: v, URLList: []URL{u}}, nil); err != nil {
			t.Errorf("initiator %q: %v", v, err)
		}
	}
	for _, v := range Modes() {
		if _, err := Decide(list, Request{Destination: "image", Mode: v, URLList: []URL{u}}, nil); err != nil {
			t.Errorf("mode %q: %v", v, err)
		}
	}
	for _, v := range ParserMetadatas() {
		if _, err := Decide(list, Request{Destination: "script", ParserMetadata: v, URLList: []URL{u}}, nil); err != nil {
			t.Errorf("parser metadata %q: %v", v, err)
		}
	}
}
