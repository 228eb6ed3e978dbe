package model

import (
	"strings"
	"testing"
)

// TestSpecExamples holds the examples of the spec's prose that concern the
// checks beyond requests, one row each, with the section it comes from.
// Every digest is computed from its text here; where the spec prints one,
// the row checks that the printed digest is the computed one.
func TestSpecExamples(t *testing.T) {
	const nonce = "DhcnhD3khTMePgXwdayK9BsMqXjhguVV"
	// #unsafe-hashes-usage prints the hash of doSubmit().
	const doSubmitHash = "'sha256-jzgBGA4UWFFmpOBq0JpdsySukE1FrEN5bUpoK8Z29fY='"
	if got := digest("sha256", "doSubmit()", false, false); got != doSubmitHash {
		t.Fatalf("the #unsafe-hashes-usage example's digest is %s, but doSubmit() hashes to %s", doSubmitHash, got)
	}
	button := Element{LocalName: "button", Attributes: []Attribute{{"id", "action"}, {"onclick", "doSubmit()"}}}
	nonced := Element{LocalName: "script", Attributes: []Attribute{{"nonce", nonce}}}
	inlineScript := "document.body.className = 'ready';"
	dangling := Element{LocalName: "script", Attributes: []Attribute{{"src", "https://evil.com/evil.js"}, {"</p>", ""}, {"<script", ""}, {"nonce", "abc"}}}
	duplicated := Element{LocalName: "script", Attributes: []Attribute{{"src", "https://evil.com/evil.js"}, {"x", ""}, {"nonce", "abcd"}}, DuplicateAttribute: true}

	type row struct {
		source, policy string
		run            func(Environment) (Decision, error)
		want           Verdict
		blockedURI     string // of the first violation, when Blocked or reported
		sample         string
	}
	inline := func(e Element, typ, src string) func(Environment) (Decision, error) {
		return func(env Environment) (Decision, error) { return DecideInline(env, e, typ, src, nil) }
	}
	script := func(url, nonce, parser string) func(Environment) (Decision, error) {
		return func(env Environment) (Decision, error) {
			r := Request{URLList: []URL{MustParseURL(url)}, Destination: "script", CryptographicNonceMetadata: nonce, ParserMetadata: parser}
			return DecideRequest(env, r, nil)
		}
	}
	base := func(url string) func(Environment) (Decision, error) {
		return func(env Environment) (Decision, error) { return DecideBase(env, MustParseURL(url), nil) }
	}
	framedBy := func(ancestor string) func(Environment) (Decision, error) {
		return func(env Environment) (Decision, error) {
			resp := Response{URLList: []URL{MustParseURL("https://example.com/framed")}, HeaderList: []Header{{"Content-Security-Policy", env.CSPList.Policies[0].Text}}}
			return DecideNavigationResponse(Environment{}, Request{URLList: resp.URLList, Destination: "iframe"}, NavigationOther, resp,
				Navigable{AncestorOrigins: []Origin{URLOrigin(MustParseURL(ancestor))}}, nil)
		}
	}
	rows := []row{
		{"#unsafe-hashes-usage: the onclick handler's hash allows it", "script-src 'unsafe-hashes' " + doSubmitHash,
			inline(button, InlineScriptAttribute, "doSubmit()"), Allowed, "", ""},
		{"#unsafe-hashes-usage: another handler is blocked", "script-src 'unsafe-hashes' " + doSubmitHash,
			inline(button, InlineScriptAttribute, "transferAllMyMoney()"), Blocked, "inline", ""},
		{"#unsafe-hashes-usage: without 'unsafe-hashes' the hash does not apply to handlers", "script-src " + doSubmitHash,
			inline(button, InlineScriptAttribute, "doSubmit()"), Blocked, "inline", ""},
		{"#unsafe-hashes-usage: the handler's text as an inline <script> is allowed by the same hash", "script-src 'unsafe-hashes' " + doSubmitHash,
			inline(Element{LocalName: "script"}, InlineScript, "doSubmit()"), Allowed, "", ""},
		{"#strict-dynamic-usage: script.js, with the nonce, loads", "script-src 'nonce-" + nonce + "' 'strict-dynamic'",
			script("https://cdn.example.com/script.js", nonce, "parser-inserted"), Allowed, "", ""},
		{"#strict-dynamic-usage: dependency.js, created by createElement(), loads", "script-src 'nonce-" + nonce + "' 'strict-dynamic'",
			script("https://othercdn.not-example.net/dependency.js", "", "not-parser-inserted"), Allowed, "", ""},
		{"#strict-dynamic-usage: sadness.js, written by document.write(), does not", "script-src 'nonce-" + nonce + "' 'strict-dynamic'",
			script("https://example.com/sadness.js", "", "parser-inserted"), Blocked, "https://example.com/sadness.js", ""},
		{"#strict-dynamic-usage: an inline script with the nonce runs", "script-src 'nonce-" + nonce + "' 'strict-dynamic'",
			inline(nonced, InlineScript, inlineScript), Allowed, "", ""},
		{"#strict-dynamic-usage: CSP3 reads 'unsafe-inline' https: 'nonce-…' 'strict-dynamic' as the nonce and 'strict-dynamic'", "script-src 'unsafe-inline' https: 'nonce-abcdefg' 'strict-dynamic'",
			inline(Element{LocalName: "script"}, InlineScript, inlineScript), Blocked, "inline", ""},
		{"#strict-dynamic-usage: … so the nonce still allows", "script-src 'unsafe-inline' https: 'nonce-abcdefg' 'strict-dynamic'",
			inline(Element{LocalName: "script", Attributes: []Attribute{{"nonce", "abcdefg"}}}, InlineScript, inlineScript), Allowed, "", ""},
		{"#strict-csp: nonce-based Strict CSP allows the nonced inline script", "script-src 'strict-dynamic' 'nonce-" + nonce + "'; base-uri 'self'",
			inline(nonced, InlineScript, inlineScript), Allowed, "", ""},
		{"#strict-csp: and refuses an injected <base>", "script-src 'strict-dynamic' 'nonce-" + nonce + "'; base-uri 'self'",
			base("https://evil.com/"), Blocked, "inline", ""},
		{"#strict-csp: hash-based Strict CSP allows the hashed inline script", "script-src 'strict-dynamic' " + digest("sha256", inlineScript, false, false) + "; base-uri 'self'",
			inline(Element{LocalName: "script"}, InlineScript, inlineScript), Allowed, "", ""},
		{"#strict-csp: and nothing else inline", "script-src 'strict-dynamic' " + digest("sha256", inlineScript, false, false) + "; base-uri 'self'",
			inline(Element{LocalName: "script"}, InlineScript, "alert(1)"), Blocked, "inline", ""},
		{"#security-nonce-retargeting: base-uri 'none' refuses <base href=https://evil.com>", "script-src 'nonce-abc'; base-uri 'none'",
			base("https://evil.com"), Blocked, "inline", ""},
		{"#dangling-markup-attacks: the element with a <script attribute is not nonceable", "script-src 'nonce-abc'",
			inline(dangling, InlineScript, "evil()"), Blocked, "inline", ""},
		{"#dangling-markup-attacks: nor is one with a duplicate attribute", "script-src 'nonce-abcd'",
			inline(duplicated, InlineScript, "evil()"), Blocked, "inline", ""},
		{"#directive-script-src item 3: inline script needs every policy to allow it", "script-src 'unsafe-inline', script-src 'nonce-abc'",
			inline(Element{LocalName: "script"}, InlineScript, inlineScript), Blocked, "inline", ""},
		{"#directive-script-src item 3: a policy without script-src or default-src allows it", "img-src 'none'",
			inline(Element{LocalName: "script"}, InlineScript, inlineScript), Allowed, "", ""},
		{"#directive-script-src item 4: eval() needs 'unsafe-eval'", "script-src 'self'",
			func(env Environment) (Decision, error) { return DecideEval(env, evalOf("1+1"), nil) }, Blocked, "eval", ""},
		{"#directive-script-src item 4: setTimeout() with a string needs it too", "script-src 'self' 'unsafe-eval'",
			func(env Environment) (Decision, error) {
				return DecideEval(env, Compilation{Type: CompileTimer, CodeString: "tick()"}, nil)
			}, Allowed, "", ""},
		{"#directive-script-src item 5: WebAssembly needs 'wasm-unsafe-eval' or 'unsafe-eval'", "script-src 'self' 'wasm-unsafe-eval'",
			func(env Environment) (Decision, error) { return DecideWasm(env, nil) }, Allowed, "", ""},
		{"#directive-script-src item 5: 'wasm-unsafe-eval' does not allow eval()", "script-src 'self' 'wasm-unsafe-eval'",
			func(env Environment) (Decision, error) { return DecideEval(env, evalOf("1+1"), nil) }, Blocked, "eval", ""},
		{"#directive-script-src item 6: a javascript: navigation is inline script", "script-src 'self'",
			func(env Environment) (Decision, error) {
				return DecideNavigationRequest(env, Request{URLList: []URL{MustParseURL("javascript:void(0)")}}, NavigationOther, nil)
			}, Blocked, "inline", ""},
		{"#directive-default-src example: default-src 'self' stands for style-src-attr 'self'", "default-src 'self'",
			inline(Element{LocalName: "p"}, InlineStyleAttribute, "color: red"), Blocked, "inline", ""},
		{"#frame-ancestors-and-frame-options: 'none' is like DENY", "frame-ancestors 'none'",
			framedBy("https://example.com/"), Blocked, "https://example.com/framed", ""},
		{"#frame-ancestors-and-frame-options: 'self' is like SAMEORIGIN (same origin)", "frame-ancestors 'self'",
			framedBy("https://example.com/"), Allowed, "", ""},
		{"#frame-ancestors-and-frame-options: 'self' is like SAMEORIGIN (other origin)", "frame-ancestors 'self'",
			framedBy("https://evil.example/"), Blocked, "https://example.com/framed", ""},
		{"#directive-webrtc example: webrtc 'block' blocks every connection", "webrtc 'block'",
			func(env Environment) (Decision, error) { return DecideRTC(env, nil) }, Blocked, "", ""},
		{"#changes-from-level-2 items 4 and 11: inline script reports \"inline\" and, with 'report-sample', a sample", "script-src 'self' 'report-sample'",
			inline(Element{LocalName: "script"}, InlineScript, inlineScript+" // and more than forty characters"), Blocked, "inline", "document.body.className = 'ready'; // an"},
		{"#changes-from-level-2 item 4: eval reports \"eval\"", "script-src 'self' 'report-sample'",
			func(env Environment) (Decision, error) { return DecideEval(env, evalOf("alert(document.cookie)"), nil) }, Blocked, "eval", "alert(document.cookie)"},
		{"#changes-from-level-2 item 8: 'unsafe-hashes' lets a style attribute match a hash", "style-src 'unsafe-hashes' " + digest("sha256", "color: red", false, false),
			inline(Element{LocalName: "p"}, InlineStyleAttribute, "color: red"), Allowed, "", ""},
		{"#example-basic: script-src https://cdn.example.com/scripts/ blocks inline script", "script-src https://cdn.example.com/scripts/; object-src 'none'",
			inline(Element{LocalName: "script"}, InlineScript, inlineScript), Blocked, "inline", ""},
	}
	for _, r := range rows {
		t.Run(r.source, func(t *testing.T) {
			// A comma separates policies of one header (#directive-script-src item 3).
			var policies []string
			for _, p := range strings.Split(r.policy, ",") {
				policies = append(policies, strings.TrimSpace(p))
			}
			d, err := r.run(env(policies...))
			if err != nil {
				t.Fatal(err)
			}
			if d.Verdict != r.want {
				t.Errorf("under %q: %v, want %v", r.policy, d.Verdict, r.want)
			}
			if r.want == Blocked && len(d.Violations) == 0 {
				t.Fatalf("Blocked without a violation")
			}
			if len(d.Violations) > 0 {
				v := d.Violations[0]
				if got := ObtainViolationBlockedURI(v.Resource); got != r.blockedURI || v.Sample != r.sample {
					t.Errorf("violation: blocked-uri %q, sample %q; want %q, %q", got, v.Sample, r.blockedURI, r.sample)
				}
			}
		})
	}
}
