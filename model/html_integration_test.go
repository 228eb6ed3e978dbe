package model

import (
	"strings"
	"testing"
)

func TestShouldBlockInline(t *testing.T) {
	long := strings.Repeat("a", 39) + "😀" + "tail" // the 40th code unit starts a surrogate pair
	tests := []struct {
		name     string
		policies []string
		element  *Element
		typ      string
		source   string
		want     Verdict
		vios     []vio
	}{
		{"no policy (2, 4)", nil, script(), InlineScript, "x", Allowed, nil},
		{"no script directive (3.1.1)", []string{"img-src 'none'"}, script(), InlineScript, "x", Allowed, nil},
		{"default-src 'self' blocks inline script (3.1.3-3.1.8)", []string{"default-src 'self'"}, script(), InlineScript, "x", Blocked,
			[]vio{{"default-src", "script-src-elem", "inline", "enforce", "", "inline", "element"}}},
		{"script-src-attr names the event handler directive (3.1.2)", []string{"script-src 'self'"}, script(), InlineScriptAttribute, "x", Blocked,
			[]vio{{"script-src", "script-src-attr", "inline", "enforce", "", "inline", "element"}}},
		{"style attribute (3.1.2)", []string{"style-src 'self'"}, &Element{LocalName: "div"}, InlineStyleAttribute, "color:red", Blocked,
			[]vio{{"style-src", "style-src-attr", "inline", "enforce", "", "inline", "element"}}},
		{"report-only reports and allows (3.1.8)", []string{"report:script-src 'none'"}, script(), InlineScript, "x", Allowed,
			[]vio{{"script-src", "script-src-elem", "inline", "report", "", "inline", "element"}}},
		{"report-sample gives a sample (3.1.6)", []string{"script-src 'report-sample'"}, script(), InlineScript, "alert(1)", Blocked,
			[]vio{{"script-src", "script-src-elem", "inline", "enforce", "alert(1)", "inline", "element"}}},
		{"REPORT-SAMPLE in any case (3.1.6)", []string{"script-src 'REPORT-SAMPLE'"}, script(), InlineScript, "alert(1)", Blocked,
			[]vio{{"script-src", "script-src-elem", "inline", "enforce", "alert(1)", "inline", "element"}}},
		{"the sample is cut to 40 characters (3.1.6)", []string{"style-src 'report-sample'"}, &Element{LocalName: "style"}, InlineStyle, strings.Repeat("b", 50), Blocked,
			[]vio{{"style-src", "style-src-elem", "inline", "enforce", strings.Repeat("b", 40), "inline", "element"}}},
		{"a surrogate pair is not split: A16 (3.1.6)", []string{"script-src 'report-sample'"}, script(), InlineScript, long, Blocked,
			[]vio{{"script-src", "script-src-elem", "inline", "enforce", strings.Repeat("a", 39) + "😀", "inline", "element"}}},
		{"the sample comes from the violated directive's list (3.1.6)", []string{"default-src 'report-sample'; script-src 'none'"}, script(), InlineScript, "x", Blocked,
			[]vio{{"script-src", "script-src-elem", "inline", "enforce", "", "inline", "element"}}},
		{"each policy reports (3)", []string{"script-src 'none'", "report:default-src 'none'", "script-src 'unsafe-inline'"}, script(), InlineScript, "x", Blocked,
			[]vio{{"script-src", "script-src-elem", "inline", "enforce", "", "inline", "element"}, {"default-src", "script-src-elem", "inline", "report", "", "inline", "element"}}},
		{"a disconnected element's event goes to the document (report-violation 3.1)", []string{"script-src 'none'"}, &Element{LocalName: "script", Disconnected: true}, InlineScript, "x", Blocked,
			[]vio{{"script-src", "script-src-elem", "inline", "enforce", "", "inline", "document"}}},
		{"nonce allows (3.1.1)", []string{"script-src 'nonce-abc'"}, script("nonce", "abc"), InlineScript, "x", Allowed, nil},
		{"two directives, one allowing (3.1)", []string{"script-src 'unsafe-inline'; script-src-elem 'none'"}, script(), InlineScript, "x", Blocked,
			[]vio{{"script-src-elem", "script-src-elem", "inline", "enforce", "", "inline", "element"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tr Trace
			d, err := DecideInline(env(tt.policies...), *tt.element, tt.typ, tt.source, &tr)
			if err != nil {
				t.Fatalf("DecideInline: %v", err)
			}
			if d.Verdict != tt.want || !sameVios(vios(d), tt.vios) {
				t.Errorf("DecideInline(%q, %q, %q) = %v %+v, want %v %+v\n%s", tt.policies, tt.typ, tt.source, d.Verdict, vios(d), tt.want, tt.vios, tr.String())
			}
			for _, v := range d.Violations {
				if v.Element == nil || v.Element.LocalName != tt.element.LocalName || v.Resource.Text != ResourceInline {
					t.Errorf("violation element %v, resource %v; want the element and \"inline\"", v.Element, v.Resource)
				}
			}
		})
	}
}

func TestShouldBlockInlineAssertions(t *testing.T) {
	if got := ShouldBlockInline(nil, InlineScript, "x", nil); got != Blocked {
		t.Errorf("ShouldBlockInline(nil) = %v, want Blocked", got)
	}
	if got := ShouldBlockInline(script(), InlineScript, "x", nil); got != Blocked {
		t.Errorf("ShouldBlockInline of an element without a document = %v, want Blocked", got)
	}
	orphan := &Element{LocalName: "script", Document: &Document{Global: &GlobalObject{}}}
	if got := ShouldBlockInline(orphan, InlineScript, "x", nil); got != Blocked {
		t.Errorf("ShouldBlockInline in a global object without a CSP list = %v, want Blocked", got)
	}
}

func TestGetCSPOfObject(t *testing.T) {
	list := &PolicyContainer{CSPList: env("script-src 'none'").CSPList}
	for name, tt := range map[string]struct {
		object CSPObject
		want   *CSPList
	}{
		"Document (1)":           {&Document{PolicyContainer: list}, &list.CSPList},
		"Document, no container": {&Document{}, nil},
		"Window (2)":             {&GlobalObject{PolicyContainer: list}, &list.CSPList},
		"worker (2)":             {&GlobalObject{Kind: WorkerGlobal, PolicyContainer: list}, &list.CSPList},
		"worklet (2)":            {&GlobalObject{Kind: WorkletGlobal, PolicyContainer: list}, &list.CSPList},
		"another global (3)":     {&GlobalObject{Kind: 7, PolicyContainer: list}, nil},
		"nil global (3)":         {(*GlobalObject)(nil), nil},
	} {
		if got := GetCSPOfObject(tt.object, nil); got != tt.want {
			t.Errorf("%s: GetCSPOfObject = %p, want %p", name, got, tt.want)
		}
	}
}
