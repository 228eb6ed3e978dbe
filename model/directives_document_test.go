package model

import (
	"strings"
	"testing"
)

func TestAllowBaseForDocument(t *testing.T) {
	tests := []struct {
		name     string
		policies []string
		base     string
		want     Verdict
		vios     []vio
	}{
		{"no policy (3)", nil, "https://evil.example/", Allowed, nil},
		{"no base-uri (2.3)", []string{"default-src 'none'"}, "https://evil.example/", Allowed, nil},
		{"base-uri 'self' matches the page's origin (2.4)", []string{"base-uri 'self'"}, "https://example.com/static/", Allowed, nil},
		{"base-uri 'self' refuses another origin (2.4.1-2.4.4)", []string{"base-uri 'self'"}, "https://evil.example/", Blocked,
			[]vio{{"base-uri", "base-uri", "inline", "enforce", "", "base", "document"}}},
		{"base-uri 'none' (2.4)", []string{"base-uri 'none'"}, "https://example.com/", Blocked,
			[]vio{{"base-uri", "base-uri", "inline", "enforce", "", "base", "document"}}},
		{"an empty base-uri matches nothing (2.4)", []string{"base-uri"}, "https://example.com/", Blocked,
			[]vio{{"base-uri", "base-uri", "inline", "enforce", "", "base", "document"}}},
		{"a path: redirect count 0 compares it (2.4)", []string{"base-uri https://cdn.example/app/"}, "https://cdn.example/other/", Blocked,
			[]vio{{"base-uri", "base-uri", "inline", "enforce", "", "base", "document"}}},
		{"report-only reports and goes on (2.4.4)", []string{"report:base-uri 'none'", "base-uri https:"}, "https://evil.example/", Allowed,
			[]vio{{"base-uri", "base-uri", "inline", "report", "", "base", "document"}}},
		{"an enforced violation stops at once (2.4.4)", []string{"base-uri 'none'", "report:base-uri 'none'"}, "https://evil.example/", Blocked,
			[]vio{{"base-uri", "base-uri", "inline", "enforce", "", "base", "document"}}},
		{"data: needs its scheme (2.4)", []string{"base-uri https:"}, "data:text/html,x", Blocked,
			[]vio{{"base-uri", "base-uri", "inline", "enforce", "", "base", "document"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := DecideBase(env(tt.policies...), MustParseURL(tt.base), nil)
			if err != nil {
				t.Fatal(err)
			}
			if d.Verdict != tt.want || !sameVios(vios(d), tt.vios) {
				t.Errorf("DecideBase(%q, %s) = %v %+v, want %v %+v", tt.policies, tt.base, d.Verdict, vios(d), tt.want, tt.vios)
			}
		})
	}
	if got := AllowBaseForDocument(MustParseURL("https://a/"), &Document{Global: &GlobalObject{}}, nil); got != Blocked {
		t.Errorf("no CSP list: %v, want Blocked", got)
	}
}

func TestParseSandboxingDirective(t *testing.T) {
	tests := []struct {
		input string
		want  SandboxingFlagSet
	}{
		{"", AllSandboxingFlags},
		{"  \t\n", AllSandboxingFlags},
		{"allow-bogus", AllSandboxingFlags},
		{"allow-popups", AllSandboxingFlags &^ (SandboxedAuxiliaryNavigation | SandboxedCustomProtocolsNavigation)},
		{"allow-top-navigation", AllSandboxingFlags &^ (SandboxedTopLevelNavigationWithoutUserActivation | SandboxedTopLevelNavigationWithUserActivation | SandboxedCustomProtocolsNavigation)},
		{"allow-top-navigation-by-user-activation", AllSandboxingFlags &^ SandboxedTopLevelNavigationWithUserActivation},
		{"allow-same-origin", AllSandboxingFlags &^ SandboxedOrigin},
		{"allow-forms", AllSandboxingFlags &^ SandboxedForms},
		{"allow-pointer-lock", AllSandboxingFlags &^ SandboxedPointerLock},
		{"allow-scripts", AllSandboxingFlags &^ (SandboxedScripts | SandboxedAutomaticFeatures)},
		{"allow-popups-to-escape-sandbox", AllSandboxingFlags &^ SandboxPropagatesToAuxiliaryBrowsingContexts},
		{"allow-modals", AllSandboxingFlags &^ SandboxedModals},
		{"allow-orientation-lock", AllSandboxingFlags &^ SandboxedOrientationLock},
		{"allow-presentation", AllSandboxingFlags &^ SandboxedPresentation},
		{"allow-downloads", AllSandboxingFlags &^ SandboxedDownloads},
		{"allow-top-navigation-to-custom-protocols", AllSandboxingFlags &^ SandboxedCustomProtocolsNavigation},
		{"ALLOW-SCRIPTS\tAllow-Same-Origin", AllSandboxingFlags &^ (SandboxedScripts | SandboxedAutomaticFeatures | SandboxedOrigin)}, // A22
		{"allow-scripts allow-scripts", AllSandboxingFlags &^ (SandboxedScripts | SandboxedAutomaticFeatures)},
		// Nothing lifts the navigation and document.domain flags.
		{"allow-popups allow-top-navigation allow-top-navigation-by-user-activation allow-same-origin allow-forms allow-pointer-lock allow-scripts allow-popups-to-escape-sandbox allow-modals allow-orientation-lock allow-presentation allow-downloads allow-top-navigation-to-custom-protocols",
			SandboxedNavigation | SandboxedDocumentDomain},
	}
	for _, tt := range tests {
		if got := ParseSandboxingDirective(tt.input, nil); got != tt.want {
			t.Errorf("ParseSandboxingDirective(%q) = %v\nwant %v", tt.input, got, tt.want)
		}
	}
	if got := SandboxingFlagSet(0).String(); got != "empty" {
		t.Errorf("empty set: %q", got)
	}
	if got := (SandboxedNavigation | SandboxedModals).String(); got != "sandboxed navigation browsing context flag, sandboxed modals flag" {
		t.Errorf("String() = %q", got)
	}
	if n := len(AllSandboxingFlags.Names()); n != 16 {
		t.Errorf("AllSandboxingFlags has %d flags, want 16", n)
	}
}

func TestDecideSandbox(t *testing.T) {
	tests := []struct {
		name     string
		policies []string
		meta     string
		kind     GlobalKind
		want     Verdict
		flags    SandboxingFlagSet
	}{
		{"no sandbox (3)", []string{"script-src 'none'"}, "", WindowGlobal, Allowed, 0},
		{"sandbox on a document (5)", []string{"sandbox"}, "", WindowGlobal, Allowed, AllSandboxingFlags},
		{"report-only sandbox is ignored (2.1)", []string{"report:sandbox"}, "", WindowGlobal, Allowed, 0},
		{"the last enforced sandbox wins (4)", []string{"sandbox allow-scripts", "report:sandbox allow-forms", "sandbox allow-forms"}, "", WindowGlobal, Allowed, AllSandboxingFlags &^ SandboxedForms},
		{"a <meta> sandbox is removed before it gets here", nil, "sandbox allow-forms", WindowGlobal, Allowed, 0},
		{"a worker under sandbox cannot run", []string{"sandbox"}, "", WorkerGlobal, Blocked, AllSandboxingFlags},
		{"a worker under sandbox allow-scripts allow-same-origin runs", []string{"sandbox allow-scripts allow-same-origin"}, "", WorkerGlobal, Allowed, AllSandboxingFlags &^ (SandboxedScripts | SandboxedAutomaticFeatures | SandboxedOrigin)},
		{"a worklet is not a worker (sandbox-init 1)", []string{"sandbox"}, "", WorkletGlobal, Allowed, AllSandboxingFlags},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := env(tt.policies...)
			if tt.meta != "" {
				e.CSPList = NewCSPList([]PolicyDelivery{{Value: tt.meta, Source: MetaSource}}, e.CSPList.SelfOrigin, nil)
			}
			e.Kind = tt.kind
			d, err := DecideSandbox(e, nil)
			if err != nil {
				t.Fatal(err)
			}
			if d.Verdict != tt.want || d.SandboxFlags != tt.flags || len(d.Violations) != 0 {
				t.Errorf("DecideSandbox(%q, %s) = %v, %v, %d violations; want %v, %v", tt.policies, tt.kind, d.Verdict, d.SandboxFlags, len(d.Violations), tt.want, tt.flags)
			}
		})
	}
}

func TestSandboxInit(t *testing.T) {
	worker := &GlobalObject{Kind: WorkerGlobal}
	enforced := &Policy{Disposition: Enforce}
	for _, tt := range []struct {
		value   string
		context CSPObject
		policy  *Policy
		want    Verdict
	}{
		{"", worker, enforced, Blocked},                                // 4
		{"allow-scripts", worker, enforced, Blocked},                   // 4: origin
		{"allow-same-origin", worker, enforced, Blocked},               // 4: scripts
		{"allow-scripts allow-same-origin", worker, enforced, Allowed}, // 5
		{"", worker, &Policy{Disposition: Report}, Allowed},            // 1
		{"", &Document{}, enforced, Allowed},                           // 1
		{"", (*GlobalObject)(nil), enforced, Allowed},                  // 1
		{"", &GlobalObject{}, enforced, Allowed},                       // 1: a Window
	} {
		d := Directive{Name: "sandbox", Value: strings.Fields(tt.value)}
		if got := SandboxInit(d, tt.context, tt.policy, nil); got != tt.want {
			t.Errorf("SandboxInit(%q, %T) = %v, want %v", tt.value, tt.context, got, tt.want)
		}
	}
	if got := Initialization(Directive{Name: "style-src"}, worker, enforced, nil); got != Allowed {
		t.Errorf("style-src's initialization: %v, want Allowed", got)
	}
}
