package engine

import (
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// TestSampleCutAsModel cuts violation samples where the 40th code unit
// meets every kind of character on either side: ASCII, two- and three-byte
// UTF-8, four-byte UTF-8 (a surrogate pair) from U+10000 to U+10FFFF, lone
// high and low surrogates at both ends of their ranges (in the three-byte
// form the model reads), the characters just outside those ranges, and a
// byte that is not UTF-8. The engine's sample, of an inline check and of
// eval, must be the model's: a pair is kept whole across the cut, anything
// else is cut at 40 code units.
func TestSampleCutAsModel(t *testing.T) {
	pieces := []string{
		"x", "é", "€", "😀",
		"\uFFFF", "\U00010000", "\U0010FFFF", // the last one-unit and the first and last two-unit characters
		"\xED\xA0\x80", "\xED\xAF\xBF", // lone high surrogates U+D800, U+DBFF
		"\xED\xB0\x80", "\xED\xBF\xBF", // lone low surrogates U+DC00, U+DFFF
		"\uD7FF", "\uE000", // the characters either side of the surrogates
		"\xFF",
	}
	deliveries := []model.PolicyDelivery{{Value: "script-src 'report-sample'"}}
	c := checkCSP(t, deliveries...)
	env := model.Environment{CSPList: model.NewCSPList(deliveries, model.Origin{}, nil)}
	button := model.Element{LocalName: "button"}
	d := CheckDecision{Violations: make([]CheckViolation, 0, 2)}
	n := 0
	for _, lead := range []int{37, 38, 39, 40} {
		for _, a := range pieces {
			for _, b := range pieces {
				for _, tail := range []string{"", "y", "\xED\xB0\x80"} {
					text := strings.Repeat("a", lead) + a + b + tail
					comp := model.Compilation{Type: model.CompileEval, CodeString: text, BodyString: text, BodyArg: model.ScriptValue{Data: text}}
					for _, check := range []struct {
						name   string
						engine func() error
						model  func() (model.Decision, error)
					}{
						{"inline", func() error { return c.DecideInline(model.WindowGlobal, &button, "script attribute", text, &d) },
							func() (model.Decision, error) { return model.DecideInline(env, button, "script attribute", text, nil) }},
						{"eval", func() error { return c.DecideEval(model.WindowGlobal, &comp, &d) },
							func() (model.Decision, error) { return model.DecideEval(env, comp, nil) }},
					} {
						if err := check.engine(); err != nil {
							t.Fatalf("%s %q: %v", check.name, text, err)
						}
						want, err := check.model()
						if err != nil {
							t.Fatalf("%s %q: model: %v", check.name, text, err)
						}
						if len(d.Violations) != 1 || !strings.HasPrefix(d.Violations[0].Sample(), strings.Repeat("a", 37)) {
							t.Fatalf("%s %q: violations %+v, want one with a sample", check.name, text, d.Violations)
						}
						if got, w := violationStrings(d.Violations), modelViolationStrings(want.Violations); got != w {
							t.Errorf("%s %q: engine violations\n%s\nmodel's\n%s", check.name, text, got, w)
						}
					}
					n++
				}
			}
		}
	}
	if n != 4*len(pieces)*len(pieces)*3 {
		t.Fatalf("%d texts", n)
	}
}
