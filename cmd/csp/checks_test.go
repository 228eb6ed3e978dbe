package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/model"
)

// noHashImplementation decides every case with the model, except that it
// drops the hash-sources of an inline case's policies: an implementation
// that gets one check (hashes of inline scripts, styles and attributes)
// wrong.
func noHashImplementation() int {
	hash := regexp.MustCompile(`'sha(256|384|512)-[^']*'`)
	_, err := corpus.RunLines(os.Stdin, os.Stdout, func(c corpus.Case) corpus.Result {
		if c.CheckName() != corpus.CheckInline {
			return corpus.RunModel(c, nil)
		}
		// Decide without the hashes, and report the policies as given.
		original := map[string]string{}
		stripped := c
		stripped.Policies = append([]corpus.PolicyInput(nil), c.Policies...)
		for i, p := range c.Policies {
			stripped.Policies[i].Value = hash.ReplaceAllString(p.Value, "")
			for _, member := range strings.Split(p.Value, ",") {
				original[strings.Join(strings.Fields(hash.ReplaceAllString(member, "")), " ")] = strings.TrimSpace(member)
			}
		}
		res := corpus.RunModel(stripped, nil)
		for i, v := range res.Violations {
			if o, ok := original[strings.Join(strings.Fields(v.OriginalPolicy), " ")]; ok {
				res.Violations[i].OriginalPolicy = o
			}
		}
		return res
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// TestCheckEveryCheck runs csp check once for each check, in text, JSON and
// with the trace: the verdict, what the check adds to a violation, and the
// algorithm that decided.
func TestCheckEveryCheck(t *testing.T) {
	self := []string{"--self-origin", "https://example.com"}
	tests := []struct {
		name    string
		args    []string
		verdict string
		text    []string // in the text output
		anchor  string   // in the trace
	}{
		{"inline nonce", []string{"--check", "inline", "--inline-type", "script", "--element", "script", "--attr", "nonce=abc", "--source", "alert(1)", "--policy", "script-src 'nonce-abd' 'report-sample'"},
			"blocked", []string{"blocked URI inline (inline check", `element <script>, sample "alert(1)"`}, "#match-element-to-source-list step 6"},
		{"inline handler hash", []string{"--check", "inline", "--inline-type", "script attribute", "--element", "button", "--attr", "onclick=doSubmit()", "--source", "doSubmit()", "--policy", "script-src 'unsafe-hashes' 'sha256-jzgBGA4UWFFmpOBq0JpdsySukE1FrEN5bUpoK8Z29fY='"},
			"allowed", []string{"violations: none"}, "#match-element-to-source-list step 5.2.2.5.3"},
		{"eval", []string{"--check", "eval", "--code", "1+1", "--policy", "script-src 'self'"},
			"blocked", []string{"blocked URI eval (eval check"}, "#can-compile-strings step 5.3.8"},
		{"function trusted", []string{"--check", "eval", "--eval-type", "FUNCTION", "--parameter", "a", "--body", "return a", "--code", "function anonymous(a\n) {\nreturn a\n}", "--trusted-body", "--trusted-parameters", "--policy", "script-src 'unsafe-eval'; require-trusted-types-for 'script'"},
			"allowed", []string{"violations: none"}, "#can-compile-strings step 5.3.3"},
		{"timer", []string{"--check", "eval", "--eval-type", "TIMER", "--code", "tick()", "--policy", "default-src 'none'", "--global-kind", "worker"},
			"blocked", []string{"violated by default-src; effective directive script-src; blocked URI eval"}, "#can-compile-strings step 5.3.8"},
		{"wasm", []string{"--check", "wasm", "--policy", "script-src 'self'"},
			"blocked", []string{"blocked URI wasm-eval (wasm check"}, "#can-compile-wasm-bytes step 3.3.4"},
		{"form submission", []string{"--check", "navigation-request", "--navigation-type", "form-submission", "--redirect-from", "https://example.com/submit", "--url", "https://evil.example/", "--policy", "form-action 'self'"},
			"blocked", []string{"blocked URI https://example.com/submit (navigation-request check, redirect count 1)"}, "#form-action-pre-navigate step 2.1"},
		{"javascript URL", []string{"--check", "navigation-request", "--url", "javascript:void(0)", "--policy", "script-src 'self'"},
			"blocked", []string{"effective directive script-src-elem; blocked URI inline (navigation-request check"}, "#should-block-navigation-request step 4.1.1.6"},
		{"frame-ancestors", []string{"--check", "navigation-response", "--url", "https://example.com/framed", "--response-csp", "img-src *", "--response-csp-report-only", "frame-ancestors 'self'", "--ancestor", "https://evil.example"},
			"allowed", []string{"policy 1 (report, \"frame-ancestors 'self'\") violated by frame-ancestors", "a policy of the response"}, "#frame-ancestors-navigation-response step 6.3"},
		{"base", []string{"--check", "base", "--base-url", "https://evil.com", "--policy", "base-uri 'none'"},
			"blocked", []string{"blocked URI inline (base check"}, "#allow-base-for-document step 2.4.4"},
		{"sandbox", []string{"--check", "sandbox", "--policy", "sandbox allow-scripts allow-same-origin allow-forms allow-popups allow-modals allow-downloads allow-pointer-lock allow-orientation-lock allow-presentation allow-top-navigation allow-popups-to-escape-sandbox"},
			"allowed", []string{"sandbox flags:\n  sandboxed document.domain browsing context flag\n  sandboxed navigation browsing context flag\n"}, "#html#csp-derived-sandboxing-flags step 5"},
		{"sandbox none", []string{"--check", "sandbox", "--report-only", "sandbox"},
			"allowed", []string{"sandbox flags: none"}, "#html#csp-derived-sandboxing-flags step 3"},
		{"worker sandbox", []string{"--check", "sandbox", "--global-kind", "worker", "--policy", "sandbox allow-same-origin"},
			"blocked", []string{"sandboxed scripts browsing context flag"}, "#sandbox-init step 4"},
		{"rtc", []string{"--check", "rtc", "--policy", "webrtc 'block'"},
			"blocked", []string{"violated by webrtc; effective directive webrtc; blocked URI  (rtc check"}, "#webrtc-pre-connect step 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append(append([]string{"check"}, self...), tt.args...)
			out, errOut, code := runCLI(t, "", args...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			for _, want := range append([]string{"verdict: " + tt.verdict + "\n"}, tt.text...) {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
			out, errOut, code = runCLI(t, "", append(args, "--json")...)
			var res corpus.Result
			if code != exitOK || json.Unmarshal([]byte(out), &res) != nil || res.Verdict != tt.verdict {
				t.Errorf("--json: exit %d, %s%s", code, out, errOut)
			}
			out, _, _ = runCLI(t, "", append(args, "--trace")...)
			if !strings.Contains(out, tt.anchor) {
				t.Errorf("--trace lacks %q:\n%s", tt.anchor, out)
			}
			out, _, _ = runCLI(t, "", append(args, "--trace", "--json")...)
			var traced struct {
				Trace []model.TraceStep `json:"trace"`
			}
			if json.Unmarshal([]byte(out), &traced) != nil || len(traced.Trace) == 0 {
				t.Errorf("--trace --json gave no trace:\n%s", out)
			}
		})
	}
}

// shellWords splits a command line as CheckCommand writes it: words
// separated by spaces, single-quoted where they need it ('\” for a
// quote), and a trailing "  # comment".
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	var words []string
	var w strings.Builder
	inWord, quoted := false, false
	for i := 0; i < len(line); i++ {
		ch := line[i]
		switch {
		case quoted && ch == '\'':
			quoted = false
		case quoted:
			w.WriteByte(ch)
		case ch == '\'':
			quoted, inWord = true, true
		case ch == '"':
			// A double-quoted string: \" and \\ are its only escapes.
			inWord = true
			for i++; i < len(line) && line[i] != '"'; i++ {
				if line[i] == '\\' && i+1 < len(line) && (line[i+1] == '"' || line[i+1] == '\\') {
					i++
				}
				w.WriteByte(line[i])
			}
		case ch == '\\' && i+1 < len(line):
			i++
			w.WriteByte(line[i])
			inWord = true
		case ch == ' ':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		case ch == '#' && !inWord:
			return words
		default:
			w.WriteByte(ch)
			inWord = true
		}
	}
	if quoted {
		t.Fatalf("unterminated quote in %s", line)
	}
	if inWord {
		words = append(words, w.String())
	}
	return words
}

// TestCheckCommandReproduces: the csp check command CheckCommand writes for
// every corpus case, of every check, gives the model's result on the case.
func TestCheckCommandReproduces(t *testing.T) {
	cases, err := corpus.Load()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range cases {
		line := c.CheckCommand()
		words := shellWords(t, line)
		if len(words) < 2 || words[0] != "csp" {
			t.Fatalf("%s: %s", c.ID, line)
		}
		out, errOut, code := runCLI(t, "", append(words[1:], "--json")...)
		refused := c.Expect != nil && c.Expect.Verdict == corpus.VerdictError
		if code != exitOK && !(refused && code == exitInput) {
			t.Errorf("%s: %s: exit %d: %s", c.ID, line, code, errOut)
			continue
		}
		var got corpus.Result
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%s: %v", c.ID, err)
		}
		want := corpus.RunModel(c, nil)
		got.ID = want.ID
		if diffs := corpus.Compare(want, got, nil); len(diffs) > 0 {
			t.Errorf("%s: %s:\n%v", c.ID, line, diffs)
		}
		seen[c.CheckName()] = true
	}
	for _, ck := range corpus.Checks {
		if !seen[ck] {
			t.Errorf("no corpus case of check %s", ck)
		}
	}
}

// TestCheckUsageErrorsOfChecks: a flag of another check, a check's missing
// input, an unknown check or value, and the engine asked for a check it
// does not decide are usage errors that say so.
func TestCheckUsageErrorsOfChecks(t *testing.T) {
	base := []string{"check", "--self-origin", "https://example.com", "--policy", "script-src 'self'"}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--check", "inlined"}, `--check "inlined" is not one of`},
		{[]string{"--check", "rtc", "--kind", "fetch"}, "--kind is for --check request, not rtc"},
		{[]string{"--check", "eval", "--code", "1", "--source", "x"}, "--source is for --check inline, not eval"},
		{[]string{"--kind", "fetch", "--url", "https://a.example/", "--code", "1"}, "--code is for --check eval, not request"},
		{[]string{"--check", "navigation-request", "--url", "https://a.example/", "--ancestor", "https://b.example"}, "--ancestor is for --check navigation-response, not navigation-request"},
		{[]string{"--check", "base", "--url", "https://a.example/"}, "--url is for --check request or navigation-request or navigation-response, not base"},
		{[]string{"--check", "inline"}, "--check inline needs --inline-type"},
		{[]string{"--check", "inline", "--inline-type", "scripts"}, `inline.type "scripts"`},
		{[]string{"--check", "inline", "--inline-type", "style attribute"}, "needs --element"},
		{[]string{"--check", "inline", "--inline-type", "script", "--attr", "nonce"}, `--attr "nonce" is not name=value`},
		{[]string{"--check", "eval"}, "--check eval needs --code"},
		{[]string{"--check", "eval", "--code", "1", "--eval-type", "TIMER", "--body", "1"}, "a TIMER has only eval.code"},
		{[]string{"--check", "navigation-request"}, "--check navigation-request needs --url"},
		{[]string{"--check", "navigation-request", "--url", "https://a.example/", "--navigation-type", "form"}, `navigation.type "form"`},
		{[]string{"--check", "base"}, "--check base needs --base-url"},
		{[]string{"--check", "sandbox", "--global-kind", "service"}, `global.kind "service"`},
		{[]string{"--check", "sandbox", "--global-status", "ok"}, `--global-status "ok" is not a number`},
		{[]string{"--check", "wasm", "--check", "rtc"}, "given twice"},
		{[]string{"--check", "base", "--base-url", "https://a.example/", "--base-url", "https://b.example/"}, "given twice"},
		{[]string{"--check", "wasm", "--engine", "engine", "--report-body"}, "--report-body needs --engine model"},
	}
	for _, tt := range tests {
		_, errOut, code := runCLI(t, "", append(base, tt.args...)...)
		if code != exitUsage || !strings.Contains(errOut, tt.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit %d and %q", tt.args, code, errOut, exitUsage, tt.want)
		}
	}
	// --vectors takes no flag of a case.
	for _, f := range [][]string{{"--check", "rtc"}, {"--code", "1"}, {"--ancestor", "https://a.example"}, {"--global-kind", "worker"}} {
		_, errOut, code := runCLI(t, "", append([]string{"check", "--vectors", "-"}, f...)...)
		if code != exitUsage || !strings.Contains(errOut, "does not go with --vectors") {
			t.Errorf("--vectors %q: exit %d, %q", f, code, errOut)
		}
	}
}

// TestCheckReportBody: --report-body prints each violation's report-uri
// body, from the global object's flags, in text, in JSON and for a file of
// vectors; without it no result carries one.
func TestCheckReportBody(t *testing.T) {
	args := []string{"check", "--check", "inline", "--inline-type", "script", "--source", "alert(1)", "--policy", "script-src 'self' 'report-sample'",
		"--self-origin", "https://example.com", "--global-url", "https://example.com/page#x", "--global-referrer", "https://ref.example/", "--global-status", "200", "--report-body"}
	out, errOut, code := runCLI(t, "", args...)
	want := `"document-uri": "https://example.com/page",` + "\n" + `      "referrer": "https://ref.example/",`
	if code != exitOK || !strings.Contains(out, "report body: {") || !strings.Contains(out, want) || !strings.Contains(out, `"status-code": 200,`) {
		t.Errorf("exit %d %s\n%s", code, errOut, out)
	}
	out, _, _ = runCLI(t, "", append(args, "--json")...)
	if !strings.Contains(out, `"report_body":{"csp-report":{"document-uri":"https://example.com/page","referrer":"https://ref.example/","blocked-uri":"inline"`) {
		t.Errorf("--json:\n%s", out)
	}
	line := `{"id":"r","check":"rtc","policies":[{"value":"webrtc 'block'"}],"self_origin":"https://example.com"}`
	out, _, _ = runCLI(t, line, "check", "--vectors", "-", "--report-body")
	if !strings.Contains(out, `"report_body":{"csp-report":{"document-uri":"https://example.com/","referrer":"","blocked-uri":""`) {
		t.Errorf("--vectors --report-body:\n%s", out)
	}
	out, _, _ = runCLI(t, line, "check", "--vectors", "-")
	if strings.Contains(out, "report_body") {
		t.Errorf("a report body without --report-body:\n%s", out)
	}
}

// TestVectorsRunWrongCheck runs an implementation that ignores the hashes of
// inline checks over the corpus: it agrees on every other case, disagrees
// on each inline case a hash allowed, keeps each minimized case a verdict
// difference that still holds a hash, and labels it with the step of
// #match-element-to-source-list where the hash matched.
func TestVectorsRunWrongCheck(t *testing.T) {
	exported, _, code := runCLI(t, "", "vectors", "export")
	if code != exitOK {
		t.Fatal("export failed")
	}
	file := casesFile(t, strings.TrimSpace(exported))
	out, errOut, code := runCLI(t, "", "vectors", "run", "--json", "--vectors", file, "--impl", self(t, "nohash"))
	if code != runDisagree {
		t.Fatalf("exit %d, want %d\n%s%s", code, runDisagree, out, errOut)
	}
	var rep runReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Unsupported) != 0 || len(rep.Disagreements) < 4 {
		t.Fatalf("%d disagreements, %d unsupported", len(rep.Disagreements), len(rep.Unsupported))
	}
	for _, d := range rep.Disagreements {
		if d.Case.CheckName() != corpus.CheckInline || d.Kind != "verdict+violations" && d.Kind != "verdict" {
			t.Errorf("%s: a %s disagreement of kind %s", d.ID, d.Case.CheckName(), d.Kind)
		}
		if d.Rule != "#match-element-to-source-list step 5.2.2.5.3" {
			t.Errorf("%s: labelled %q", d.ID, d.Rule)
		}
		m := d.Minimized
		if len(m.Policies) != 1 || !strings.Contains(m.Policies[0].Value, "'sha256-") || d.Model.Verdict != corpus.VerdictAllowed {
			t.Errorf("%s: minimized to %+v (model %s)", d.ID, m.Policies, d.Model.Verdict)
		}
		// The attributes (an id, the handler's own) do not matter: they go.
		if m.Inline == nil || m.Inline.Element != nil && len(m.Inline.Element.Attributes) > 0 {
			t.Errorf("%s: minimized inline input %+v", d.ID, m.Inline)
		}
	}
}

// TestRuleOfChecks: the label of a difference on a check other than a
// request names the step that decided it.
func TestRuleOfChecks(t *testing.T) {
	const head = `{"id":"x","self_origin":"https://example.com",`
	tests := []struct {
		line, kind, want string
	}{
		{head + `"check":"inline","policies":[{"value":"script-src 'nonce-abc'"}],"inline":{"type":"script","element":{"attributes":[["<script",""],["nonce","abc"]]},"source":"x"}}`, "verdict", "#is-element-nonceable step 2.1"},
		{head + `"check":"inline","policies":[{"value":"script-src 'unsafe-inline' 'nonce-abc'"}],"inline":{"type":"script","source":"x"}}`, "verdict", "#allow-all-inline step 2.1"},
		{head + `"check":"inline","policies":[{"value":"default-src 'self'"}],"inline":{"type":"style attribute","element":{"local_name":"p"},"source":"x"}}`, "verdict", "#match-element-to-source-list step 6"},
		{head + `"check":"inline","policies":[{"value":"script-src 'strict-dynamic'"}],"inline":{"type":"script","element":{"not_parser_inserted":true},"source":"x"}}`, "verdict", "#match-element-to-source-list step 5.2.1.1"},
		{head + `"check":"inline","policies":[{"value":"script-src 'self' 'report-sample'"}],"inline":{"type":"script","source":"x"}}`, "sample", "violation sample: #should-block-inline step 3.1.6"},
		{head + `"check":"inline","policies":[{"value":"script-src 'self'"}],"inline":{"type":"script","source":"x"}}`, "element", "violation element: #should-block-inline step 3.1.5"},
		{head + `"check":"eval","policies":[{"value":"script-src 'unsafe-eval'"}],"eval":{"type":"EVAL","code":"x"}}`, "verdict", "#can-compile-strings step 5.3.3"},
		{head + `"check":"eval","policies":[{"value":"script-src 'unsafe-eval'; require-trusted-types-for 'script'"}],"eval":{"type":"EVAL","code":"x"}}`, "verdict", "#trusted-types#get-trusted-type-compliant-string-algorithm step 6.3"},
		{head + `"check":"eval","policies":[{"value":"script-src 'none'","disposition":"report"}],"eval":{"type":"EVAL","code":"x"}}`, "verdict", "#can-compile-strings step 5.3.8 (report-only: no block)"},
		{head + `"check":"wasm","policies":[{"value":"default-src 'self'"}]}`, "verdict", "#can-compile-wasm-bytes step 3.3.4"},
		{head + `"check":"navigation-request","policies":[{"value":"form-action https://example.com/a/"}],"navigation":{"type":"form-submission","url_list":["https://example.com/b"]}}`, "verdict", "#match-paths step 5"},
		{head + `"check":"navigation-response","policies":[],"navigation":{"type":"other","url_list":["https://example.com/f"],"response":{"policies":[{"value":"frame-ancestors https://a.example"}]},"ancestors":["https://a.example","https://b.example"]}}`, "verdict", "#match-hosts step 4"},
		{head + `"check":"navigation-response","policies":[],"navigation":{"type":"other","url_list":["https://example.com/f"],"response":{"policies":[{"value":"frame-ancestors 'self'"}]},"ancestors":["https://a.example"]}}`, "response_policy", "violation response_policy: #should-block-navigation-response step 2.1.2"},
		{head + `"check":"base","policies":[{"value":"base-uri 'self'","disposition":"report"}],"base_url":"https://evil.example/"}`, "verdict", "#allow-base-for-document step 2.4.4 (report-only: no block)"},
		{head + `"check":"sandbox","policies":[{"value":"sandbox"}],"global":{"kind":"worker"}}`, "verdict", "#sandbox-init step 4"},
		{head + `"check":"sandbox","policies":[{"value":"sandbox allow-forms"}]}`, "sandbox_flags", "#html#csp-derived-sandboxing-flags step 5"},
		{head + `"check":"rtc","policies":[{"value":"webrtc 'allow' 'block'"}]}`, "verdict", "#webrtc-pre-connect step 2"},
	}
	for _, tt := range tests {
		c, err := corpus.DecodeCase([]byte(tt.line))
		if err != nil {
			t.Fatal(err)
		}
		if got := ruleOf(c, tt.kind); got != tt.want {
			t.Errorf("%s (%s):\n got %q\nwant %q", tt.line, tt.kind, got, tt.want)
		}
	}
}

// TestReadmeCheckCommands runs the README's command for each check other
// than a request, and expects the verdict its comment describes.
func TestReadmeCheckCommands(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"blocked", "allowed", "blocked", "allowed", "blocked", "blocked", "blocked", "allowed", "blocked"}
	checks := map[string]bool{}
	n := 0
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(line, "csp check --check ") {
			continue
		}
		words := shellWords(t, line)
		checks[words[3]] = true
		out, errOut, code := runCLI(t, "", words[1:]...)
		if code != exitOK {
			t.Errorf("%s: exit %d: %s", line, code, errOut)
			continue
		}
		if n < len(want) && !strings.Contains(out, "verdict: "+want[n]) && !strings.Contains(out, `"verdict":"`+want[n]+`"`) {
			t.Errorf("%s: want %s:\n%s", line, want[n], out)
		}
		n++
	}
	if n != len(want) {
		t.Errorf("%d README commands, want %d", n, len(want))
	}
	for _, ck := range corpus.Checks[1:] {
		if !checks[ck] {
			t.Errorf("the README shows no command for --check %s", ck)
		}
	}
}

// TestReadmeDialectCommands runs the README's --dialect commands that
// decide one case, and expects the verdicts their comments describe:
// Chromium blocks fetch() under connect-src ws:, and WebKit blocks a
// sandboxed document's fetch of its own origin under connect-src
// example.com, which the model allows.
func TestReadmeDialectCommands(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := regexp.MustCompile(`\\\n\s*`).ReplaceAllString(string(data), "")
	want := []string{"blocked", "blocked"}
	n := 0
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "csp check --dialect ") {
			continue
		}
		words := shellWords(t, line)
		out, errOut, code := runCLI(t, "", words[1:]...)
		if code != exitOK {
			t.Errorf("%s: exit %d: %s", line, code, errOut)
			continue
		}
		if n < len(want) && !strings.Contains(out, "verdict: "+want[n]) {
			t.Errorf("%s: want %s:\n%s", line, want[n], out)
		}
		n++
	}
	if n != len(want) {
		t.Errorf("%d README --dialect commands of one case, want %d", n, len(want))
	}
}
