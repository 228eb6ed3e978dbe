package model

import (
	"strings"
	"testing"
)

func trustedEvalOf(code string) Compilation {
	c := evalOf(code)
	c.BodyArg.TrustedScript = true
	return c
}

func TestCanCompileStrings(t *testing.T) {
	long := strings.Repeat("x", 45)
	fn := Compilation{
		Type:             CompileFunction,
		ParameterStrings: []string{"a"},
		BodyString:       "return a",
		CodeString:       "function anonymous(a\n) {\nreturn a\n}",
		ParameterArgs:    []ScriptValue{{Data: "a"}},
		BodyArg:          ScriptValue{Data: "return a"},
	}
	trustedFn := fn
	trustedFn.ParameterArgs = []ScriptValue{{TrustedScript: true, Data: "a"}}
	trustedFn.BodyArg = ScriptValue{TrustedScript: true, Data: "return a"}
	halfTrustedFn := trustedFn
	halfTrustedFn.ParameterArgs = []ScriptValue{{Data: "a"}}
	wrongParamFn := trustedFn
	wrongParamFn.ParameterArgs = []ScriptValue{{TrustedScript: true, Data: "b"}}
	timer := Compilation{Type: CompileTimer, CodeString: "tick()"}
	const tt = "require-trusted-types-for 'script'"
	tests := []struct {
		name     string
		policies []string
		c        Compilation
		want     Verdict
		vios     []vio
	}{
		{"no policy (3, 6)", nil, evalOf("1+1"), Allowed, nil},
		{"no script-src or default-src (5.3)", []string{"img-src 'none'"}, evalOf("1+1"), Allowed, nil},
		{"script-src without unsafe-eval (5.3.4-5.3.8)", []string{"script-src 'self'"}, evalOf("1+1"), Blocked,
			[]vio{{"script-src", "script-src", "eval", "enforce", "", "eval", "document"}}},
		{"default-src stands in (5.2)", []string{"default-src 'self'"}, evalOf("1+1"), Blocked,
			[]vio{{"default-src", "script-src", "eval", "enforce", "", "eval", "document"}}},
		{"script-src wins over default-src (5.2)", []string{"default-src 'none'; script-src 'unsafe-eval'"}, evalOf("1+1"), Allowed, nil},
		{"script-src-elem is not used (5.2)", []string{"script-src-elem 'none'; script-src-attr 'none'"}, evalOf("1+1"), Allowed, nil},
		{"unsafe-eval (5.3.3)", []string{"script-src 'unsafe-eval'"}, evalOf("1+1"), Allowed, nil},
		{"UNSAFE-EVAL (5.3.3)", []string{"script-src 'UNSAFE-EVAL'"}, evalOf("1+1"), Allowed, nil},
		{"wasm-unsafe-eval does not allow eval", []string{"script-src 'wasm-unsafe-eval'"}, evalOf("1+1"), Blocked,
			[]vio{{"script-src", "script-src", "eval", "enforce", "", "eval", "document"}}},
		{"report-only reports and allows (5.3.8)", []string{"report:script-src 'none'"}, evalOf("1+1"), Allowed,
			[]vio{{"script-src", "script-src", "eval", "report", "", "eval", "document"}}},
		{"report-sample (5.3.6)", []string{"script-src 'report-sample'"}, evalOf(long), Blocked,
			[]vio{{"script-src", "script-src", "eval", "enforce", long[:40], "eval", "document"}}},
		{"each policy (5)", []string{"script-src 'unsafe-eval'", "default-src 'none'", "report:script-src 'self'"}, evalOf("1+1"), Blocked,
			[]vio{{"default-src", "script-src", "eval", "enforce", "", "eval", "document"}, {"script-src", "script-src", "eval", "report", "", "eval", "document"}}},
		{"a timer's string (1.1)", []string{"script-src 'report-sample'"}, timer, Blocked,
			[]vio{{"script-src", "script-src", "eval", "enforce", "tick()", "eval", "document"}}},
		{"Function (2.1)", []string{"script-src 'report-sample'"}, fn, Blocked,
			[]vio{{"script-src", "script-src", "eval", "enforce", fn.CodeString, "eval", "document"}}}, // 35 characters: whole
		{"trusted-types-eval without Trusted Types required (5.3.2)", []string{"script-src 'trusted-types-eval'"}, evalOf("1+1"), Blocked,
			[]vio{{"script-src", "script-src", "eval", "enforce", "", "eval", "document"}}},
		{"trusted-types-eval with Trusted Types required (5.3.1-5.3.2)", []string{"script-src 'trusted-types-eval'; " + tt}, trustedEvalOf("1+1"), Allowed, nil},
		{"trusted-types-eval with Trusted Types required by report-only policy only (5.3.1)", []string{"script-src 'trusted-types-eval'", "report:" + tt}, evalOf("1+1"), Blocked,
			[]vio{{"require-trusted-types-for", "require-trusted-types-for", "trusted-types-sink", "report", "eval|1+1", "eval", "document"}, {"script-src", "script-src", "eval", "enforce", "", "eval", "document"}}},
		{"Trusted Types refuse a plain string: D4 (2.6-2.7)", []string{tt + "; script-src 'unsafe-eval'"}, evalOf("1+1"), Blocked,
			[]vio{{"require-trusted-types-for", "require-trusted-types-for", "trusted-types-sink", "enforce", "eval|1+1", "eval", "document"}}},
		{"a TrustedScript passes Trusted Types (2.2, 2.6)", []string{tt + "; script-src 'unsafe-eval'"}, trustedEvalOf("1+1"), Allowed, nil},
		{"a TrustedScript of other text is a plain string (2.3.1)", []string{tt}, Compilation{Type: CompileEval, BodyString: "1+1", CodeString: "1+1", BodyArg: ScriptValue{TrustedScript: true, Data: "2+2"}}, Blocked,
			[]vio{{"require-trusted-types-for", "require-trusted-types-for", "trusted-types-sink", "enforce", "eval|1+1", "eval", "document"}}},
		{"Function with trusted parameters passes (2.4.2.2)", []string{tt + "; script-src 'unsafe-eval'"}, trustedFn, Allowed, nil},
		{"Function with a plain parameter is untrusted (2.4.2.3); its sample drops the header", []string{tt}, halfTrustedFn, Blocked,
			[]vio{{"require-trusted-types-for", "require-trusted-types-for", "trusted-types-sink", "enforce", "Function|(a\n) {\nreturn a\n}", "eval", "document"}}},
		{"Function with a parameter of other text is untrusted (2.4.2.2.1)", []string{tt}, wrongParamFn, Blocked,
			[]vio{{"require-trusted-types-for", "require-trusted-types-for", "trusted-types-sink", "enforce", "Function|(a\n) {\nreturn a\n}", "eval", "document"}}},
		{"report-only Trusted Types let the string through (TT 6.2), then CSP decides", []string{"report:" + tt, "script-src 'unsafe-eval'"}, evalOf("1+1"), Allowed,
			[]vio{{"require-trusted-types-for", "require-trusted-types-for", "trusted-types-sink", "report", "eval|1+1", "eval", "document"}}},
		{"Trusted Types for another sink group do not apply", []string{"require-trusted-types-for 'style'"}, evalOf("1+1"), Allowed, nil},
		{"a timer is not checked by Trusted Types here (1)", []string{tt + "; script-src 'unsafe-eval'"}, timer, Allowed, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tr Trace
			d, err := DecideEval(env(tt.policies...), tt.c, &tr)
			if err != nil {
				t.Fatalf("DecideEval: %v", err)
			}
			if d.Verdict != tt.want || !sameVios(vios(d), tt.vios) {
				t.Errorf("DecideEval(%q, %+v) = %v %+v, want %v %+v\n%s", tt.policies, tt.c, d.Verdict, vios(d), tt.want, tt.vios, tr.String())
			}
		})
	}
}

func TestCanCompileStringsAssertions(t *testing.T) {
	e := env("script-src 'unsafe-eval'")
	c := Compilation{Type: CompileFunction, ParameterStrings: []string{"a"}, BodyArg: ScriptValue{TrustedScript: true}}
	if got := CanCompileStrings(e.NewGlobalObject(), c, nil); got != Blocked {
		t.Errorf("step 2.4.1 broken: %v, want Blocked", got)
	}
	if got := CanCompileStrings(&GlobalObject{}, evalOf("1"), nil); got != Blocked {
		t.Errorf("no CSP list: %v, want Blocked", got)
	}
	if got := ShouldSinkTypeMismatchViolationBeBlocked(&GlobalObject{}, "eval", "script", "1", nil); got != Blocked {
		t.Errorf("no CSP list: %v, want Blocked", got)
	}
	if DoesSinkTypeRequireTrustedTypes(&GlobalObject{}, "script", true, nil) {
		t.Errorf("no CSP list requires Trusted Types")
	}
	// Step 2.8: a compliant string that is not the code.
	global := env("require-trusted-types-for 'script'").NewGlobalObject()
	if s, err := GetTrustedTypeCompliantString(global, ScriptValue{TrustedScript: true, Data: "x"}, "eval", "script", nil); err != nil || s != "x" {
		t.Errorf("GetTrustedTypeCompliantString(TrustedScript x) = %q, %v", s, err)
	}
}

func TestShouldSinkTypeMismatchViolationBeBlocked(t *testing.T) {
	for _, tt := range []struct{ sink, source, sample string }{
		{"Function", "function anonymous(\n) {\nx\n}", "Function|(\n) {\nx\n}"},
		{"Function", "async function anonymous(\n) {}", "Function|(\n) {}"},
		{"Function", "function* anonymous() {}", "Function|() {}"},
		{"Function", "async function* anonymous() {}", "Function|() {}"},
		{"Function", "function notanonymous() {}", "Function|function notanonymous() {}"},
		// Steps 3.1-3.4 strip one prefix only, even when another follows.
		{"Function", "function anonymousasync function anonymous() {}", "Function|async function anonymous() {}"},
		{"eval", "function anonymous() {}", "eval|function anonymous() {}"},
		{"eval", strings.Repeat("y", 50), "eval|" + strings.Repeat("y", 40)},
	} {
		global := env("require-trusted-types-for 'SCRIPT'").NewGlobalObject()
		if got := ShouldSinkTypeMismatchViolationBeBlocked(global, tt.sink, "script", tt.source, nil); got != Blocked {
			t.Errorf("%s %q: %v, want Blocked", tt.sink, tt.source, got)
		}
		if len(global.Reported) != 1 || global.Reported[0].Sample != tt.sample {
			t.Errorf("%s %q: reported %+v, want one violation with sample %q", tt.sink, tt.source, global.Reported, tt.sample)
		}
	}
}

func TestCanCompileWasmBytes(t *testing.T) {
	tests := []struct {
		policies []string
		want     Verdict
		vios     []vio
	}{
		{nil, Allowed, nil},                        // 2, 4
		{[]string{"img-src 'none'"}, Allowed, nil}, // 3.3: no source list
		{[]string{"script-src 'wasm-unsafe-eval'"}, Allowed, nil},
		{[]string{"script-src 'WASM-UNSAFE-EVAL'"}, Allowed, nil},
		{[]string{"script-src 'unsafe-eval'"}, Allowed, nil},
		{[]string{"default-src 'wasm-unsafe-eval'"}, Allowed, nil}, // 3.2
		{[]string{"script-src 'self'"}, Blocked, []vio{{"script-src", "script-src", "wasm-eval", "enforce", "", "wasm", "document"}}},
		{[]string{"default-src 'self'"}, Blocked, []vio{{"default-src", "script-src", "wasm-eval", "enforce", "", "wasm", "document"}}},
		{[]string{"default-src 'wasm-unsafe-eval'; script-src 'self'"}, Blocked, []vio{{"script-src", "script-src", "wasm-eval", "enforce", "", "wasm", "document"}}},
		{[]string{"script-src-elem 'none'"}, Allowed, nil},
		{[]string{"report:script-src 'none'"}, Allowed, []vio{{"script-src", "script-src", "wasm-eval", "report", "", "wasm", "document"}}},
		{[]string{"script-src 'none' 'report-sample'"}, Blocked, []vio{{"script-src", "script-src", "wasm-eval", "enforce", "", "wasm", "document"}}}, // no sample for wasm
	}
	for _, tt := range tests {
		d, err := DecideWasm(env(tt.policies...), nil)
		if err != nil {
			t.Fatal(err)
		}
		if d.Verdict != tt.want || !sameVios(vios(d), tt.vios) {
			t.Errorf("DecideWasm(%q) = %v %+v, want %v %+v", tt.policies, d.Verdict, vios(d), tt.want, tt.vios)
		}
	}
	if got := CanCompileWasmBytes(&GlobalObject{}, nil); got != Blocked {
		t.Errorf("no CSP list: %v, want Blocked", got)
	}
}

func TestShouldBlockRTCConnection(t *testing.T) {
	tests := []struct {
		policies []string
		want     Verdict
		vios     []vio
	}{
		{nil, Allowed, nil},
		{[]string{"default-src 'none'"}, Allowed, nil}, // webrtc has no fallback
		{[]string{"webrtc 'allow'"}, Allowed, nil},     // pre-connect 1
		{[]string{"webrtc 'ALLOW'"}, Allowed, nil},     // pre-connect 1
		{[]string{"webrtc 'block'"}, Blocked, []vio{{"webrtc", "webrtc", "", "enforce", "", "rtc", "document"}}}, // pre-connect 2
		{[]string{"webrtc"}, Blocked, []vio{{"webrtc", "webrtc", "", "enforce", "", "rtc", "document"}}},
		{[]string{"webrtc allow"}, Blocked, []vio{{"webrtc", "webrtc", "", "enforce", "", "rtc", "document"}}},
		{[]string{"webrtc 'allow' 'block'"}, Blocked, []vio{{"webrtc", "webrtc", "", "enforce", "", "rtc", "document"}}}, // A26
		{[]string{"report:webrtc 'block'"}, Allowed, []vio{{"webrtc", "webrtc", "", "report", "", "rtc", "document"}}},
		{[]string{"webrtc 'allow'", "webrtc 'block'"}, Blocked, []vio{{"webrtc", "webrtc", "", "enforce", "", "rtc", "document"}}},
	}
	for _, tt := range tests {
		d, err := DecideRTC(env(tt.policies...), nil)
		if err != nil {
			t.Fatal(err)
		}
		if d.Verdict != tt.want || !sameVios(vios(d), tt.vios) {
			t.Errorf("DecideRTC(%q) = %v %+v, want %v %+v", tt.policies, d.Verdict, vios(d), tt.want, tt.vios)
		}
		for _, v := range d.Violations {
			if !v.Resource.IsNull() {
				t.Errorf("a WebRTC violation's resource is %v, want null", v.Resource)
			}
		}
	}
	worker := env("webrtc 'block'")
	worker.Kind = WorkerGlobal
	if d, _ := DecideRTC(worker, nil); d.Verdict != Blocked || d.Violations[0].EventTarget != "global" {
		t.Errorf("a worker's WebRTC: %v, event at %q; want Blocked, at the global", d.Verdict, d.Violations[0].EventTarget)
	}
	if got := ShouldBlockRTCConnection(&GlobalObject{}, nil); got != Blocked {
		t.Errorf("no CSP list: %v, want Blocked", got)
	}
}
