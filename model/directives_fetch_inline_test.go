package model

import (
	"fmt"
	"strings"
	"testing"
)

func TestEffectiveDirectiveForInlineCheck(t *testing.T) {
	for typ, want := range map[string]string{
		InlineScript:          "script-src-elem", // 1
		InlineNavigation:      "script-src-elem", // 1
		InlineScriptAttribute: "script-src-attr", // 1
		InlineStyle:           "style-src-elem",  // 1
		InlineStyleAttribute:  "style-src-attr",  // 1
		"Script":              "",                // 2: types are case-sensitive
		"":                    "",                // 2
		"worker":              "",                // 2
	} {
		if got := EffectiveDirectiveForInlineCheck(typ, nil); got != want {
			t.Errorf("EffectiveDirectiveForInlineCheck(%q) = %q, want %q", typ, got, want)
		}
	}
}

// inlineCases lists, for each directive with an inline check, a type it
// decides and a more specific directive that takes over from it (empty when
// none can).
var inlineCases = []struct {
	directive, typ, overriddenBy string
}{
	{"default-src", InlineScript, "script-src"},
	{"default-src", InlineScript, "script-src-elem"},
	{"default-src", InlineScriptAttribute, "script-src-attr"},
	{"default-src", InlineStyle, "style-src"},
	{"default-src", InlineStyleAttribute, "style-src-attr"},
	{"default-src", InlineNavigation, "script-src"},
	{"script-src", InlineScript, "script-src-elem"},
	{"script-src", InlineScriptAttribute, "script-src-attr"},
	{"script-src", InlineNavigation, "script-src-elem"},
	{"script-src-elem", InlineScript, ""},
	{"script-src-elem", InlineNavigation, ""},
	{"script-src-attr", InlineScriptAttribute, ""},
	{"style-src", InlineStyle, "style-src-elem"},
	{"style-src", InlineStyleAttribute, "style-src-attr"},
	{"style-src-elem", InlineStyle, ""},
	{"style-src-attr", InlineStyleAttribute, ""},
}

// TestInlineChecks drives every directive's inline check through its
// branches: it blocks what its list does not match, allows what it does, does
// not execute where a more specific directive is present or for a type it
// does not govern, and (for the script directives) fails closed without an
// element.
func TestInlineChecks(t *testing.T) {
	const source = "go()"
	for _, tt := range inlineCases {
		t.Run(fmt.Sprintf("%s/%s/%s", tt.directive, tt.typ, tt.overriddenBy), func(t *testing.T) {
			element := script()
			if tt.typ == InlineNavigation {
				element = nil
			}
			run := func(policyText string) Verdict {
				p := ParseSerializedPolicy(policyText, HeaderSource, Enforce, nil)
				d, _ := p.Directive(tt.directive)
				return InlineCheck(d, element, tt.typ, &p, source, nil)
			}
			if got := run(tt.directive + " 'none'"); got != Blocked {
				t.Errorf("%s 'none': %v, want Blocked", tt.directive, got)
			}
			allowing := tt.directive + " 'unsafe-inline'"
			if tt.typ == InlineNavigation || tt.typ == InlineScriptAttribute || tt.typ == InlineStyleAttribute {
				allowing = tt.directive + " 'unsafe-hashes' " + digest("sha256", source, false, false)
			}
			if got := run(allowing); got != Allowed {
				t.Errorf("%s: %v, want Allowed", allowing, got)
			}
			if tt.overriddenBy != "" {
				deferring := tt.directive + " 'none'; " + tt.overriddenBy + " 'unsafe-inline'"
				if got := run(deferring); got != Allowed {
					t.Errorf("%s: %v, want Allowed (%s does not execute)", deferring, got, tt.directive)
				}
			}
			// A type the directive does not govern: it does not execute.
			other := InlineStyle
			if strings.HasPrefix(tt.directive, "style") {
				other = InlineScript
			}
			if tt.directive != "default-src" {
				p := ParseSerializedPolicy(tt.directive+" 'none'", HeaderSource, Enforce, nil)
				if got := InlineCheck(p.DirectiveSet[0], script(), other, &p, source, nil); got != Allowed {
					t.Errorf("%s 'none' on type %q: %v, want Allowed", tt.directive, other, got)
				}
			}
			// An unknown type has a null effective directive: nothing executes.
			p := ParseSerializedPolicy(tt.directive+" 'none'", HeaderSource, Enforce, nil)
			if got := InlineCheck(p.DirectiveSet[0], script(), "bogus", &p, source, nil); got != Allowed {
				t.Errorf("%s 'none' on an unknown type: %v, want Allowed", tt.directive, got)
			}
			// Step 1 (assert) of the script checks: no element, not a navigation.
			if strings.HasPrefix(tt.directive, "script") && tt.typ != InlineNavigation {
				if got := InlineCheck(p.DirectiveSet[0], nil, tt.typ, &p, source, nil); got != Blocked {
					t.Errorf("%s without an element: %v, want Blocked", tt.directive, got)
				}
			}
		})
	}
	// Directives without an inline check allow.
	p := ParseSerializedPolicy("img-src 'none'", HeaderSource, Enforce, nil)
	if got := InlineCheck(p.DirectiveSet[0], script(), InlineScript, &p, source, nil); got != Allowed {
		t.Errorf("img-src 'none' inline check: %v, want Allowed", got)
	}
}
