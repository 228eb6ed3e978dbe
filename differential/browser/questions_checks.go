//go:build linux

package browser

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"slices"

	"github.com/cspmodel/cspmodel/corpus"
)

// The focus cases of the checks other than requests, and of the requests
// only local-scheme documents make: a handful per question, each built from
// the vector format alone, that the harness runs as units (checks.go).

const pageT = "https://example.com" // the page of the check questions

// digest returns a hash-source of text: sha256 or sha384, in base64 with
// its padding, or (url) base64url without it.
func digest(algorithm, text string, url bool) string {
	var sum []byte
	if algorithm == "sha384" {
		s := sha512.Sum384([]byte(text))
		sum = s[:]
	} else {
		s := sha256.Sum256([]byte(text))
		sum = s[:]
	}
	enc := base64.StdEncoding
	if url {
		enc = base64.RawURLEncoding
	}
	return "'" + algorithm + "-" + enc.EncodeToString(sum) + "'"
}

func attrs(kv ...string) []corpus.Attribute {
	var out []corpus.Attribute
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, corpus.Attribute{kv[i], kv[i+1]})
	}
	return out
}

// inlineCase is an inline check on pageT.
func inlineCase(policies []corpus.PolicyInput, typ, text string, el *corpus.ElementInput) corpus.Case {
	return corpus.Case{CheckType: corpus.CheckInline, Policies: policies, SelfOrigin: pageT,
		Inline: &corpus.InlineInput{Type: typ, Source: text, Element: el}}
}

func script(text string, kv ...string) corpus.Case {
	return corpus.Case{Inline: &corpus.InlineInput{Type: "script", Source: text, Element: elementWith(kv)}}
}

func elementWith(kv []string) *corpus.ElementInput {
	if len(kv) == 0 {
		return nil
	}
	return &corpus.ElementInput{Attributes: attrs(kv...)}
}

// under sets the policies of an inline case built by script, style, … .
func under(c corpus.Case, policies ...corpus.PolicyInput) corpus.Case {
	return inlineCase(policies, c.Inline.Type, c.Inline.Source, c.Inline.Element)
}

func evalCase(policies []corpus.PolicyInput, typ, code string) corpus.Case {
	c := corpus.Case{CheckType: corpus.CheckEval, Policies: policies, SelfOrigin: pageT, Eval: &corpus.EvalInput{Type: typ, Code: code}}
	if typ == "FUNCTION" {
		body := code
		c.Eval.Code = "function anonymous(a\n) {\n" + body + "\n}"
		c.Eval.Body, c.Eval.Parameters = &body, []string{"a"}
	}
	return c
}

// untrustedParameter and trustedParameter give a FUNCTION case built by
// evalCase a trusted body, and its parameter as a plain string or a
// TrustedScript.
func untrustedParameter(c corpus.Case) corpus.Case {
	c = trusted(c)
	c.Eval.ParameterArgs = []corpus.ScriptValueInput{{}}
	return c
}

// noParameters drops the parameter of a FUNCTION case built by evalCase.
func noParameters(c corpus.Case) corpus.Case {
	c.Eval.Code = "function anonymous(\n) {\n" + *c.Eval.Body + "\n}"
	c.Eval.Parameters = nil
	return c
}

func trustedParameter(c corpus.Case) corpus.Case {
	c = trusted(c)
	c.Eval.ParameterArgs = []corpus.ScriptValueInput{{TrustedScript: true}}
	return c
}

// sandboxedDocument sandboxes a case's document into an opaque origin by
// a sandbox directive of its own, added to its first policy (scripts and
// forms allowed, so that the harness runs). Its self-origin, the origin
// 'self' stands for, stays the origin of its URL (#parse-response-csp
// step 4).
func sandboxedDocument(c corpus.Case) corpus.Case {
	c.Policies = slices.Clone(c.Policies)
	c.Policies[0].Value = "sandbox allow-scripts allow-forms; " + c.Policies[0].Value
	return c
}

func trusted(c corpus.Case) corpus.Case {
	c.Eval.BodyArg = &corpus.ScriptValueInput{TrustedScript: true}
	return c
}

func inWorker(c corpus.Case) corpus.Case {
	c.Global = &corpus.GlobalInput{Kind: "worker"}
	return c
}

func wasmCase(policies ...corpus.PolicyInput) corpus.Case {
	return corpus.Case{CheckType: corpus.CheckWasm, Policies: policies, SelfOrigin: pageT}
}

func navCase(policies []corpus.PolicyInput, typ string, urls ...string) corpus.Case {
	return corpus.Case{CheckType: corpus.CheckNavigationRequest, Policies: policies, SelfOrigin: pageT,
		Navigation: &corpus.NavigationInput{Type: typ, URLList: urls}}
}

// frameCase: the response at urls (its last) with response policies,
// framed by ancestors, parent first; the parent navigates, without
// policies of its own.
func frameCase(response []corpus.PolicyInput, urls []string, ancestors ...string) corpus.Case {
	return corpus.Case{CheckType: corpus.CheckNavigationResponse, SelfOrigin: ancestors[0],
		Navigation: &corpus.NavigationInput{Type: "other", URLList: urls, Response: &corpus.ResponseInput{Policies: response}, Ancestors: ancestors}}
}

func baseCase(policies []corpus.PolicyInput, base string) corpus.Case {
	return corpus.Case{CheckType: corpus.CheckBase, Policies: policies, SelfOrigin: pageT, BaseURL: base}
}

func sandboxCase(policies ...corpus.PolicyInput) corpus.Case {
	return corpus.Case{CheckType: corpus.CheckSandbox, Policies: policies, SelfOrigin: pageT}
}

// localRequest: a request of kind to url from a document or worker whose
// URL is globalURL (about:srcdoc, blob:, data:, or "" for the case's own
// document), which inherits the policies of its creator on pageT.
func localRequest(policies []corpus.PolicyInput, globalKind, globalURL, kind string, url string) corpus.Case {
	c := focusCase(pageT, policies, kind, url)
	if globalURL != "" || globalKind != "" {
		c.Global = &corpus.GlobalInput{Kind: globalKind}
		if globalURL != "" {
			u := globalURL
			c.Global.URL = &u
		}
	}
	return c
}

const (
	gifData  = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="
	blobSelf = "blob:https://example.com/7a1f3c52-1b4e-4d0c-9a43-2f6f1c8e9d10"
	textData = "data:text/plain,hello"
)

// checkQuestions are the report's questions on the other checks.
var checkQuestions = []question{
	{
		ID:    "inline-nonces-hashes",
		Title: "Inline scripts and styles: nonces, hashes and 'unsafe-inline'",
		Answer: "A nonce or a hash turns 'unsafe-inline' off for its directive; a hash matches the SHA-256 or SHA-384 digest " +
			"of the element's text; an element whose attributes carry dangling markup, or that had a duplicate attribute, is " +
			"not nonceable; a <meta> policy governs the elements after it.",
		Cases: []corpus.Case{
			under(script("alert(1)", "nonce", "abc"), header("script-src 'nonce-abc'")),
			under(script("alert(1)", "nonce", "abd"), header("script-src 'nonce-abc'")),
			under(script("alert(1)"), header("script-src 'unsafe-inline' 'nonce-abc'")),
			under(script("alert(1)"), header("script-src 'unsafe-inline' "+digest("sha256", "other()", false))),
			under(script("alert(1)"), header("script-src "+digest("sha256", "alert(1)", false))),
			under(script("alert(1)"), header("script-src "+digest("sha384", "alert(1)", false))),
			under(script("doSubmit()"), header("script-src "+digest("sha256", "doSubmit()", true))),
			under(script("alert(1)", "nonce", "abc"), header("script-src 'NONCE-abc'")),
			under(script("alert(1)", "<script", "", "nonce", "abc"), header("script-src 'nonce-abc'")),
			under(script("alert(1)", "title", "<style>", "nonce", "abc"), header("script-src 'nonce-abc'")),
			func() corpus.Case {
				c := under(script("alert(1)", "nonce", "abc"), header("script-src 'nonce-abc'"))
				c.Inline.Element.DuplicateAttribute = true
				return c
			}(),
			under(script("alert(1)"), meta("script-src 'none'")),
			under(script("alert(1)"), reportOnly("script-src 'none'")),
			under(script("alert(1)"), header("default-src 'self'; script-src-elem 'unsafe-inline'")),
			under(script("alert(1)"), header("script-src-elem 'none'; script-src 'unsafe-inline'")),
			inlineCase(hdrs("style-src 'nonce-abc'"), "style", "p { color: red }", &corpus.ElementInput{Attributes: attrs("nonce", "abc")}),
			inlineCase(hdrs("style-src 'unsafe-inline' 'nonce-abc'"), "style", "p { color: red }", nil),
			inlineCase(hdrs("style-src "+digest("sha256", "p { color: red }", false)), "style", "p { color: red }", nil),
			inlineCase(hdrs("default-src 'self'"), "style", "p { color: red }", nil),
			inlineCase(hdrs("style-src 'strict-dynamic' 'unsafe-inline'"), "style", "p { color: red }", nil),
		},
	},
	{
		ID:    "inline-strict-dynamic",
		Title: "'strict-dynamic' and inline scripts inserted by script",
		Answer: "'strict-dynamic' turns 'unsafe-inline' off for scripts, and (#match-element-to-source-list step 5.2.1.1) " +
			"matches an inline script that is not parser-inserted.",
		Cases: []corpus.Case{
			under(scripted("alert(1)"), header("script-src 'nonce-abc' 'strict-dynamic'")),
			under(scripted("alert(1)"), header("script-src 'strict-dynamic'")),
			under(scripted("alert(1)", "nonce", "abc"), header("script-src 'nonce-abc' 'strict-dynamic'")),
			under(scripted("alert(1)"), header("script-src 'nonce-abc'")),
			under(scripted("alert(1)"), header("script-src "+digest("sha256", "alert(1)", false)+" 'strict-dynamic'")),
			under(scripted("alert(1)"), header("default-src 'nonce-abc' 'strict-dynamic'")),
			under(script("alert(1)"), header("script-src 'unsafe-inline' 'strict-dynamic'")),
			under(script("alert(1)"), header("script-src "+digest("sha256", "alert(1)", false)+" 'strict-dynamic'")),
			under(scripted("alert(1)"), header("script-src 'unsafe-inline'")),
		},
	},
	{
		ID:    "unsafe-hashes",
		Title: "Event handlers and style attributes: 'unsafe-hashes', script-src-attr and style-src-attr",
		Answer: "A hash matches an event handler or a style attribute only with 'unsafe-hashes'; 'unsafe-inline' allows " +
			"them; a nonce never does; `script-src-attr` and `style-src-attr` take precedence over script-src and style-src.",
		Cases: []corpus.Case{
			inlineCase(hdrs("script-src 'unsafe-hashes' "+digest("sha256", "doSubmit()", false)), "script attribute", "doSubmit()", &corpus.ElementInput{LocalName: "button", Attributes: attrs("onclick", "doSubmit()")}),
			inlineCase(hdrs("script-src "+digest("sha256", "doSubmit()", false)), "script attribute", "doSubmit()", &corpus.ElementInput{LocalName: "button", Attributes: attrs("onclick", "doSubmit()")}),
			inlineCase(hdrs("script-src 'unsafe-inline'"), "script attribute", "doSubmit()", &corpus.ElementInput{LocalName: "button", Attributes: attrs("onclick", "doSubmit()")}),
			inlineCase(hdrs("script-src 'nonce-abc'"), "script attribute", "doSubmit()", &corpus.ElementInput{LocalName: "button", Attributes: attrs("nonce", "abc", "onclick", "doSubmit()")}),
			inlineCase(hdrs("script-src 'unsafe-inline'; script-src-attr 'none'"), "script attribute", "doSubmit()", &corpus.ElementInput{LocalName: "button", Attributes: attrs("onclick", "doSubmit()")}),
			inlineCase(hdrs("script-src 'none'; script-src-attr 'unsafe-inline'"), "script attribute", "doSubmit()", &corpus.ElementInput{LocalName: "button", Attributes: attrs("onclick", "doSubmit()")}),
			inlineCase(hdrs("script-src 'unsafe-hashes' 'strict-dynamic' "+digest("sha256", "doSubmit()", false)), "script attribute", "doSubmit()", &corpus.ElementInput{LocalName: "button", Attributes: attrs("onclick", "doSubmit()")}),
			inlineCase(hdrs("script-src 'unsafe-inline' 'strict-dynamic'"), "script attribute", "doSubmit()", &corpus.ElementInput{LocalName: "button", Attributes: attrs("onclick", "doSubmit()")}),
			inlineCase(hdrs("style-src 'unsafe-hashes' "+digest("sha256", "color: red", false)), "style attribute", "color: red", &corpus.ElementInput{LocalName: "p", Attributes: attrs("style", "color: red")}),
			inlineCase(hdrs("style-src 'unsafe-inline' 'nonce-abc'"), "style attribute", "color: red", &corpus.ElementInput{LocalName: "p", Attributes: attrs("style", "color: red")}),
			inlineCase(hdrs("style-src 'none'; style-src-attr 'unsafe-inline'"), "style attribute", "color: red", &corpus.ElementInput{LocalName: "p", Attributes: attrs("style", "color: red")}),
			inlineCase(hdrs("style-src 'unsafe-inline'; style-src-elem 'none'"), "style attribute", "color: red", &corpus.ElementInput{LocalName: "p", Attributes: attrs("style", "color: red")}),
		},
	},
	{
		ID:    "eval",
		Title: "eval(), the Function constructor and string timers",
		Answer: "'unsafe-eval' in script-src (or default-src in its place) lets code compile; 'wasm-unsafe-eval' does not; " +
			"`script-src-elem` does not govern eval; under `require-trusted-types-for` 'script' a plain string is refused and a " +
			"TrustedScript is not. Chromium departs twice under Trusted Types: 'trusted-types-eval' lets eval() compile a " +
			"plain string, with the two directives in one policy or two, in windows and workers (rule " +
			"trusted-types-eval-trusts-strings; not with Trusted Types report-only), and the Function constructor is refused " +
			"even with TrustedScript arguments (rule function-trusted-script-refused). WebKit refuses a plain parameter beside " +
			"a trusted body and honours `require-trusted-types-for` from a <meta> element, which refuted the first hypotheses " +
			"of two of its open questions.",
		Cases: []corpus.Case{
			evalCase(hdrs("script-src 'self'"), "EVAL", "alert(1)"),
			evalCase(hdrs("script-src 'unsafe-eval'"), "EVAL", "alert(1)"),
			evalCase(hdrs("default-src 'unsafe-eval'"), "FUNCTION", "alert(a)"),
			evalCase(hdrs("script-src 'self'; script-src-elem 'unsafe-eval'"), "EVAL", "alert(1)"),
			evalCase(hdrs("script-src-elem 'self'"), "EVAL", "alert(1)"),
			evalCase(hdrs("script-src 'wasm-unsafe-eval'"), "FUNCTION", "alert(a)"),
			evalCase(hdrs("script-src 'UNSAFE-EVAL'"), "TIMER", "tick()"),
			evalCase(hdrs("script-src 'self'"), "TIMER", "tick()"),
			evalCase([]corpus.PolicyInput{reportOnly("script-src 'self'")}, "EVAL", "alert(1)"),
			evalCase(hdrs("script-src 'unsafe-eval'; require-trusted-types-for 'script'"), "EVAL", "alert(1)"),
			trusted(evalCase(hdrs("script-src 'unsafe-eval'; require-trusted-types-for 'script'"), "EVAL", "alert(1)")),
			trusted(evalCase(hdrs("script-src 'trusted-types-eval'; require-trusted-types-for 'script'"), "EVAL", "alert(1)")),
			evalCase(hdrs("script-src 'trusted-types-eval'"), "EVAL", "alert(1)"),
			inWorker(evalCase(hdrs("script-src 'self'"), "EVAL", "alert(1)")),
			inWorker(evalCase(hdrs("script-src 'unsafe-eval'"), "FUNCTION", "alert(a)")),
			// Open questions' hypotheses (dialects.go): Trusted Types and
			// 'trusted-types-eval' in workers (Chromium), a Function's
			// parameters and Trusted Types from <meta> (WebKit).
			inWorker(evalCase(hdrs("script-src 'unsafe-eval'; require-trusted-types-for 'script'"), "EVAL", "alert(1)")),
			inWorker(evalCase(hdrs("script-src 'self' 'trusted-types-eval'"), "EVAL", "alert(1)")),
			inWorker(trusted(evalCase(hdrs("script-src 'self' 'trusted-types-eval'; require-trusted-types-for 'script'"), "EVAL", "alert(1)"))),
			evalCase(hdrs("require-trusted-types-for 'script'", "script-src 'self' 'trusted-types-eval'"), "EVAL", "alert(1)"),
			untrustedParameter(evalCase(hdrs("require-trusted-types-for 'script'"), "FUNCTION", "alert(a)")),
			trustedParameter(evalCase(hdrs("require-trusted-types-for 'script'"), "FUNCTION", "alert(a)")),
			evalCase([]corpus.PolicyInput{meta("require-trusted-types-for 'script'")}, "EVAL", "alert(1)"),
			evalCase([]corpus.PolicyInput{meta("script-src 'self'")}, "EVAL", "alert(1)"),
			evalCase(hdrs("script-src 'self' 'trusted-types-eval'; require-trusted-types-for 'script'"), "EVAL", "alert(1)"),
			evalCase(hdrs("require-trusted-types-for 'script'", "script-src 'unsafe-eval'"), "EVAL", "alert(1)"),
			noParameters(trusted(evalCase(hdrs("require-trusted-types-for 'script'"), "FUNCTION", "alert(1)"))),
		},
	},
	{
		ID:    "wasm",
		Title: "Compiling WebAssembly",
		Answer: "'wasm-unsafe-eval' or 'unsafe-eval' in script-src (or default-src) lets WebAssembly compile; nothing else " +
			"does, in documents and workers alike.",
		Cases: []corpus.Case{
			wasmCase(header("script-src 'self'")),
			wasmCase(header("script-src 'wasm-unsafe-eval'")),
			wasmCase(header("script-src 'unsafe-eval'")),
			wasmCase(header("default-src 'self'")),
			wasmCase(header("default-src 'wasm-unsafe-eval'")),
			wasmCase(header("script-src-elem 'self'")),
			wasmCase(reportOnly("script-src 'self'")),
			wasmCase(meta("script-src 'self'")),
			inWorker(wasmCase(header("script-src 'self'"))),
			inWorker(wasmCase(header("script-src 'wasm-unsafe-eval'"))),
		},
	},
	{
		ID:    "form-action",
		Title: "Form submissions (form-action) and javascript: URLs",
		Answer: "form-action governs form submissions only, has no default-src fallback, and is checked on every URL of a " +
			"redirect chain; a javascript: URL runs as inline script of the navigating document, checked against script-src " +
			"(and form-action when a form submits it). A document its own sandbox directive sandboxes matches form-action " +
			"'self' and a source without a scheme against the origin of its URL (#parse-response-csp step 4), in every engine.",
		Cases: []corpus.Case{
			navCase(hdrs("form-action 'self'"), "form-submission", "https://example.com/submit"),
			navCase(hdrs("form-action 'self'"), "form-submission", "https://evil.example/collect"),
			navCase(hdrs("form-action 'self'"), "form-submission", "https://example.com/submit", "https://evil.example/collect"),
			navCase(hdrs("form-action https://evil.example"), "form-submission", "https://example.com/submit", "https://evil.example/collect"),
			navCase(hdrs("form-action 'none'"), "other", "https://evil.example/collect"),
			navCase(hdrs("default-src 'none'"), "form-submission", "https://evil.example/collect"),
			navCase(hdrs("form-action https:"), "form-submission", "https://evil.example/collect"),
			navCase(hdrs("form-action https://example.com/submit"), "form-submission", "https://example.com/submit", "https://example.com/other"),
			navCase([]corpus.PolicyInput{reportOnly("form-action 'none'")}, "form-submission", "https://example.com/submit"),
			navCase([]corpus.PolicyInput{meta("form-action 'none'")}, "form-submission", "https://example.com/submit"),
			navCase(hdrs("script-src 'unsafe-inline'"), "other", "javascript:doSubmit()"),
			navCase(hdrs("script-src 'self'"), "other", "javascript:doSubmit()"),
			navCase(hdrs("script-src 'unsafe-hashes' "+digest("sha256", "javascript:doSubmit()", false)), "other", "javascript:doSubmit()"),
			navCase(hdrs("script-src 'unsafe-hashes' "+digest("sha256", "doSubmit()", false)), "other", "javascript:doSubmit()"),
			navCase(hdrs("script-src 'unsafe-inline'; form-action 'self'"), "form-submission", "javascript:doSubmit()"),
			navCase(hdrs("script-src 'unsafe-inline' 'nonce-abc'"), "other", "javascript:doSubmit()"),
			navCase(hdrs("script-src 'unsafe-inline'; script-src-elem 'none'"), "other", "javascript:doSubmit()"),
			navCase(hdrs("script-src 'none'; script-src-attr 'unsafe-inline'"), "other", "javascript:doSubmit()"),
			// Form-action in a document its sandbox directive sandboxes.
			sandboxedDocument(navCase(hdrs("form-action 'self'"), "form-submission", "https://evil.example/collect")),
			sandboxedDocument(navCase(hdrs("form-action 'self'"), "form-submission", "https://evil.example/collect", "https://evil.example/collect")),
			sandboxedDocument(navCase(hdrs("form-action 'none'"), "form-submission", "https://example.com/submit")),
			navCase(hdrs("form-action 'self'"), "form-submission", "https://evil.example/collect", "https://evil.example/collect"),
			sandboxedDocument(navCase(hdrs("form-action https://example.com"), "form-submission", "https://evil.example/collect")),
			sandboxedDocument(navCase(hdrs("form-action 'self' https://partner.example"), "form-submission", "https://evil.example/collect")),
			sandboxedDocument(navCase(hdrs("form-action example.com"), "form-submission", "https://example.com/submit")),
			sandboxedDocument(navCase(hdrs("form-action 'self'"), "form-submission", "https://example.com/submit")),
		},
	},
	{
		ID:    "frame-ancestors",
		Title: "frame-ancestors, with nested frames of distinct origins",
		Answer: "Every ancestor, up to the top, must match; 'self' is the framed response's origin; frame-ancestors has no " +
			"default-src fallback; a report-only policy reports and frames. 'none' beside other sources is ignored, as " +
			"#parse-a-source-list says, in every engine. An opaque (sandboxed) ancestor matches nothing in the model, " +
			"Chromium and WebKit; in Firefox * matches it and a host-source naming its document does not (rule " +
			"star-matches-opaque-ancestor).",
		Cases: []corpus.Case{
			frameCase(hdrs("frame-ancestors 'self'"), []string{"https://example.com/framed"}, "https://example.com"),
			frameCase(hdrs("frame-ancestors 'self'"), []string{"https://example.com/framed"}, "https://example.com", "https://evil.example"),
			frameCase(hdrs("frame-ancestors 'self' https://partner.example"), []string{"https://example.com/framed"}, "https://partner.example", "https://example.com"),
			frameCase(hdrs("frame-ancestors 'none'"), []string{"https://example.com/framed"}, "https://example.com"),
			frameCase(hdrs("frame-ancestors *"), []string{"https://example.com/framed"}, "null"),
			frameCase(hdrs("frame-ancestors *"), []string{"https://example.com/framed"}, "https://example.com", "null"),
			frameCase(hdrs("frame-ancestors https:"), []string{"https://example.com/framed"}, "https://evil.example"),
			frameCase(hdrs("frame-ancestors https://example.com/other/path"), []string{"https://example.com/framed"}, "https://example.com"),
			frameCase(hdrs("default-src 'none'"), []string{"https://example.com/framed"}, "https://evil.example"),
			frameCase([]corpus.PolicyInput{reportOnly("frame-ancestors 'none'")}, []string{"https://example.com/framed"}, "https://example.com"),
			frameCase(hdrs("frame-ancestors 'self'"), []string{"https://example.com/framed", "https://evil.example/framed"}, "https://example.com"),
			frameCase(hdrs("frame-ancestors 'self'", "frame-ancestors *"), []string{"https://example.com/framed"}, "https://evil.example"),
			frameCase(hdrs("frame-ancestors *.example.com"), []string{"https://example.com/framed"}, "https://sub.example.com", "https://example.com"),
			frameCase(hdrs("frame-ancestors 'self'"), []string{"https://example.com/framed"}, "https://example.com", "https://example.com", "https://evil.example"),
			// An open question's hypothesis (dialects.go): 'none' beside
			// other sources (Firefox).
			frameCase(hdrs("frame-ancestors 'none' https://example.com"), []string{"https://example.com/framed"}, "https://example.com"),
			frameCase(hdrs("frame-ancestors https://example.com 'none'"), []string{"https://example.com/framed"}, "https://example.com"),
			frameCase(hdrs("frame-ancestors 'none' 'self'"), []string{"https://example.com/framed"}, "https://example.com"),
			frameCase(hdrs("frame-ancestors 'none' https://example.com"), []string{"https://example.com/framed"}, "null"),
			frameCase(hdrs("frame-ancestors https://example.com"), []string{"https://example.com/framed"}, "null"),
		},
	},
	{
		ID:    "base-uri",
		Title: "<base href> (base-uri)",
		Answer: "base-uri governs the base URL a <base> element sets, with no default-src fallback; a <meta> policy before " +
			"the <base> governs it. A document its own sandbox directive sandboxes matches base-uri 'self' and a source " +
			"without a scheme against the origin of its URL (#parse-response-csp step 4), in every engine.",
		Cases: []corpus.Case{
			baseCase(hdrs("base-uri 'self'"), "https://example.com/app/"),
			baseCase(hdrs("base-uri 'self'"), "https://evil.example/"),
			baseCase(hdrs("base-uri 'none'"), "https://example.com/"),
			baseCase(hdrs("default-src 'none'"), "https://evil.example/"),
			baseCase(hdrs("base-uri https://example.com/app/"), "https://example.com/app/"),
			baseCase(hdrs("base-uri https://example.com/app/"), "https://example.com/other/"),
			baseCase(hdrs("base-uri https:"), "http://example.com/"),
			baseCase([]corpus.PolicyInput{meta("base-uri 'none'")}, "https://evil.example/"),
			baseCase([]corpus.PolicyInput{reportOnly("base-uri 'none'")}, "https://evil.example/"),
			baseCase(hdrs("base-uri *"), "https://evil.example/"),
			// 'self' in a document its sandbox directive sandboxes.
			sandboxedDocument(baseCase(hdrs("base-uri 'self'"), "https://evil.example/")),
			sandboxedDocument(baseCase(hdrs("base-uri 'self'"), "http://example.com/")),
			sandboxedDocument(baseCase(hdrs("base-uri 'self'"), "http://evil.example/")),
			sandboxedDocument(baseCase(hdrs("base-uri 'self'"), "https://evil.example:8443/app/")),
			sandboxedDocument(baseCase(hdrs("base-uri example.com"), "https://example.com/")),
			sandboxedDocument(baseCase(hdrs("base-uri 'self'"), "https://example.com/app/")),
		},
	},
	{
		ID:    "sandbox",
		Title: "sandbox: the flags a document gets, and workers",
		Answer: "Each sandbox keyword lifts one restriction (`allow-scripts`, `allow-same-origin`, `allow-forms`); a <meta> or " +
			"report-only sandbox sets nothing; HTML's CSP-derived sandboxing flags take the last enforced sandbox directive; " +
			"a worker whose sandbox leaves scripts or its origin sandboxed does not run (#sandbox-init).",
		Cases: []corpus.Case{
			sandboxCase(header("sandbox")),
			sandboxCase(header("sandbox allow-scripts")),
			sandboxCase(header("sandbox allow-scripts allow-same-origin")),
			sandboxCase(header("sandbox allow-scripts allow-forms")),
			sandboxCase(header("sandbox allow-same-origin allow-forms")),
			sandboxCase(header("sandbox ALLOW-SCRIPTS allow-same-origin")),
			sandboxCase(header("sandbox allow-scripts junk allow-same-origin")),
			sandboxCase(header("sandbox allow-scripts allow-same-origin"), header("sandbox allow-scripts")),
			sandboxCase(header("sandbox allow-scripts"), header("sandbox allow-scripts allow-same-origin allow-forms")),
			sandboxCase(meta("sandbox")),
			sandboxCase(reportOnly("sandbox")),
			inWorker(sandboxCase(header("sandbox"))),
			inWorker(sandboxCase(header("sandbox allow-scripts allow-same-origin"))),
		},
	},
	{
		ID:    "local-schemes",
		Title: "blob: and data: URLs, and documents and workers that inherit their creator's policies",
		Answer: "* matches neither blob: nor data: URLs (step 1 of #match-url-to-source-expression covers HTTP(S) and the " +
			"page's own scheme); 'self' matches a blob: URL of the page's origin, whose origin is the page's; listing the " +
			"scheme allows it. A srcdoc, blob: or data: document and a blob: or data: worker inherit the policies of their " +
			"creator, 'self' included. WebKit's * in img-src, and only there (not a default-src * that images fall back " +
			"to, nor https://*), matches data: images (rule star-matches-data-images); a data: worker's requests in WebKit " +
			"stay an open question.",
		Cases: []corpus.Case{
			localRequest(hdrs("connect-src *"), "", "", "fetch", textData),
			localRequest(hdrs("connect-src 'self'"), "", "", "fetch", textData),
			localRequest(hdrs("connect-src data:"), "", "", "fetch", textData),
			localRequest(hdrs("img-src *"), "", "", "image", gifData),
			localRequest(hdrs("img-src data:"), "", "", "image", gifData),
			localRequest(hdrs("default-src 'self'"), "", "", "image", gifData),
			localRequest(hdrs("connect-src *"), "", "", "fetch", blobSelf),
			localRequest(hdrs("connect-src 'self'"), "", "", "fetch", blobSelf),
			localRequest(hdrs("connect-src blob:"), "", "", "xhr", blobSelf),
			localRequest(hdrs("img-src 'self'"), "", "", "image", blobSelf),
			localRequest(hdrs("img-src *"), "", "", "image", blobSelf),
			localRequest(hdrs("connect-src 'self'"), "window", "about:srcdoc", "fetch", "https://example.com/x"),
			localRequest(hdrs("connect-src 'self'"), "window", "about:srcdoc", "fetch", "https://evil.example/x"),
			localRequest(hdrs("connect-src 'self'"), "window", blobSelf, "fetch", "https://example.com/x"),
			localRequest(hdrs("connect-src 'self'"), "window", blobSelf, "fetch", "https://evil.example/x"),
			localRequest(hdrs("connect-src 'self'"), "window", "data:text/html,x", "fetch", "https://example.com/x"),
			localRequest(hdrs("connect-src 'self'"), "window", "data:text/html,x", "fetch", "https://evil.example/x"),
			localRequest(hdrs("img-src 'none'"), "window", "about:srcdoc", "image", "https://example.com/x.gif"),
			localRequest(hdrs("connect-src 'self'"), "worker", blobSelf, "fetch", "https://example.com/x"),
			localRequest(hdrs("connect-src 'self'"), "worker", blobSelf, "fetch", "https://evil.example/x"),
			localRequest(hdrs("connect-src 'self'"), "worker", "data:text/javascript,x", "fetch", "https://example.com/x"),
			localRequest(hdrs("connect-src 'self'"), "worker", "data:text/javascript,x", "fetch", "https://evil.example/x"),
			localRequest(hdrs("connect-src 'none'"), "worker", blobSelf, "xhr", "https://example.com/x"),
			// Open questions' hypotheses (dialects.go): WebKit's * and data:
			// images, and data: workers.
			localRequest(hdrs("default-src *"), "", "", "image", gifData),
			localRequest(hdrs("img-src * 'self'"), "", "", "image", gifData),
			localRequest(hdrs("img-src https://*"), "", "", "image", gifData),
			localRequest([]corpus.PolicyInput{reportOnly("img-src 'none'"), header("img-src *")}, "", "", "image", gifData),
			localRequest(hdrs("connect-src 'none'"), "worker", "data:text/javascript,x", "fetch", "https://evil.example/x"),
			localRequest(hdrs("img-src 'none'"), "worker", "data:text/javascript,x", "fetch", "https://evil.example/x"),
		},
	},
}

// scripted is an inline script inserted by script.
func scripted(text string, kv ...string) corpus.Case {
	c := script(text, kv...)
	if c.Inline.Element == nil {
		c.Inline.Element = &corpus.ElementInput{}
	}
	c.Inline.Element.NotParserInserted = true
	return c
}
