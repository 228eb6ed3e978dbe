package fuzz

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cspmodel/cspmodel/corpus"
)

// TestCheckArgsKeepTheirInput: every inline and eval case of the corpus,
// and ones whose input the arguments' plain forms cannot spell (an
// attribute name holding '=', line feeds in attributes, an explicitly
// empty body, as new Function("") has), written as FuzzInlineCheck's and
// FuzzGlobalCheck's arguments and read back, is the same element, text,
// code, body and parameters: a target can reach every such input.
func TestCheckArgsKeepTheirInput(t *testing.T) {
	cases, err := loadedCorpus()
	if err != nil {
		t.Fatal(err)
	}
	empty, x := "", "x"
	inline := func(attrs ...corpus.Attribute) corpus.Case {
		return corpus.Case{CheckType: corpus.CheckInline, Inline: &corpus.InlineInput{Type: "script", Source: "f()",
			Element: &corpus.ElementInput{LocalName: "script", Attributes: attrs}}}
	}
	eval := func(typ, code string, body *string, params ...string) corpus.Case {
		return corpus.Case{CheckType: corpus.CheckEval, Eval: &corpus.EvalInput{Type: typ, Code: code, Body: body, Parameters: params}}
	}
	cases = append(cases,
		inline(corpus.Attribute{"nonce=", "abc"}),
		inline(corpus.Attribute{"=nonce", "abc"}, corpus.Attribute{"nonce", "=abc"}),
		inline(corpus.Attribute{"nonce", "ab\nc"}, corpus.Attribute{"a\nb", ""}, corpus.Attribute{"", "a=b"}),
		eval("FUNCTION", "function anonymous(\n) {\n\n}", &empty),
		eval("FUNCTION", "function anonymous(a\n) {\n\n}", &empty, "a"),
		eval("EVAL", "", &empty),
		eval("EVAL", "x", &empty),
		eval("EVAL", "x", nil),
		eval("FUNCTION", "function anonymous(\n) {\nx\n}", &x),
	)
	checked := 0
	for _, c := range cases {
		switch {
		case c.CheckName() == corpus.CheckInline && c.Inline != nil && c.Inline.Element != nil:
			got := inlineArgsOf(c).toCase().Inline
			if diff := cmp.Diff(c.Inline, got); diff != "" {
				t.Errorf("case %s: inline input read back differs (-case +read back):\n%s", c.ID, diff)
			}
		case c.CheckName() == corpus.CheckEval && c.Eval != nil:
			a, ok := globalArgsOf(c)
			if !ok {
				t.Fatalf("case %s: an eval check is not one of FuzzGlobalCheck's", c.ID)
			}
			want := *c.Eval
			if want.Body != nil && *want.Body == want.Code && want.Code != "" {
				want.Body = nil // the code's own body, as the arguments spell it
			}
			want.BodyArg, want.ParameterArgs = nil, nil // only whether the body is a TrustedScript is kept
			got := *a.toCase().Eval
			got.BodyArg, got.ParameterArgs = nil, nil
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("case %s: eval input read back differs (-case +read back):\n%s", c.ID, diff)
			}
		default:
			continue
		}
		checked++
	}
	if checked < 20 {
		t.Errorf("only %d cases checked", checked)
	}
}
