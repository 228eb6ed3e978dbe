package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/cspmodel/cspmodel/corpus"
)

// The flags of csp check for the checks other than requests (--check and
// the input of each check), how they become a case, and how their results
// print. check.go declares the request's flags and runs the command.

const checkChecksUsage = `
--check names what is decided (default request):
  request              --kind or --destination, --url (and --redirect-from, --initiator,
                       --mode, --nonce, --integrity, --parser-metadata, --webtransport-hash)
  inline               --inline-type script|style|"script attribute"|"style attribute",
                       --source TEXT, --element NAME (required for the attribute types),
                       --attr name=value (repeatable; the nonce is --attr nonce=…),
                       --not-parser-inserted, --duplicate-attribute
  eval                 --code TEXT, --eval-type EVAL|FUNCTION|TIMER (default EVAL),
                       --body, --parameter (repeatable), --trusted-body, --trusted-parameters
  wasm                 no input of its own
  navigation-request   --url (and --redirect-from), --navigation-type form-submission|other
                       (default other)
  navigation-response  as navigation-request, and --response-csp and
                       --response-csp-report-only (the response's headers, repeatable),
                       --ancestor ORIGIN (the embedding documents, parent first; repeatable)
  base                 --base-url URL
  sandbox              no input of its own; prints the sandboxing flags
  rtc                  no input of its own
Every check takes --global-kind window|worker|worklet and --global-url, --global-referrer,
--global-status (what a report carries). A flag of another check is a usage error.
--report-body prints each violation's report-uri body. The compiled engine (--engine
engine) decides every check too.

examples:
  csp check --check inline --inline-type script --attr nonce=abc --source 'alert(1)' \
            --policy "script-src 'nonce-abd'" --self-origin https://example.com
  csp check --check eval --code '1+1' --policy "script-src 'self'" --self-origin https://example.com
  csp check --check navigation-response --url https://example.com/framed \
            --response-csp "frame-ancestors 'self'" --ancestor https://evil.example \
            --self-origin https://example.com
`

// checkFlags holds the flags of the checks other than requests.
type checkFlags struct {
	check                                   string
	globalKind, globalURL, referrer, status string
	inlineType, element, source             string
	attrs                                   listFlag
	notParserInserted, duplicateAttribute   bool
	evalType, code, body                    string
	parameters                              listFlag
	trustedBody, trustedParameters          bool
	navigationType                          string
	ancestors                               listFlag
	responsePolicies                        []corpus.PolicyInput
	baseURL                                 string
	reportBody                              bool
}

// addCheckFlags declares the flags of the checks other than requests.
func addCheckFlags(fs *flag.FlagSet) *checkFlags {
	f := &checkFlags{check: corpus.CheckRequest, evalType: "EVAL", navigationType: "other"}
	onceVar(fs, &f.check, "check", "the `check` to decide: "+strings.Join(corpus.Checks, ", "))
	onceVar(fs, &f.globalKind, "global-kind", "the `kind` of global object the check runs in: window (default), worker or worklet")
	onceVar(fs, &f.globalURL, "global-url", "the global object's `URL`, a report's document-uri (default: the self-origin's; \"\" for none)")
	onceVar(fs, &f.referrer, "global-referrer", "the document's referrer `URL`, a report's referrer")
	onceVar(fs, &f.status, "global-status", "the `status` code of the global object's response, a report's status-code")
	onceVar(fs, &f.inlineType, "inline-type", "inline: the `type`: script, style, script attribute or style attribute")
	onceVar(fs, &f.element, "element", "inline: the element's local `name` (default script or style; required for the attribute types)")
	fs.Var(&f.attrs, "attr", "inline: an attribute of the element, `name=value`, in order (repeatable)")
	fs.BoolVar(&f.notParserInserted, "not-parser-inserted", false, "inline: the script element was made by script")
	fs.BoolVar(&f.duplicateAttribute, "duplicate-attribute", false, "inline: the parser met a duplicate attribute on the element")
	onceVar(fs, &f.source, "source", "inline: the script or style `text`, or the attribute's value")
	onceVar(fs, &f.evalType, "eval-type", "eval: the compilation `type`: EVAL, FUNCTION or TIMER")
	onceVar(fs, &f.code, "code", "eval: the code `string`")
	onceVar(fs, &f.body, "body", "eval: the body `string` (default: the code)")
	fs.Var(&f.parameters, "parameter", "eval: a parameter `string` of FUNCTION (repeatable)")
	fs.BoolVar(&f.trustedBody, "trusted-body", false, "eval: the body came as a TrustedScript")
	fs.BoolVar(&f.trustedParameters, "trusted-parameters", false, "eval: every parameter came as a TrustedScript")
	onceVar(fs, &f.navigationType, "navigation-type", "navigation: the navigation `type`: form-submission or other")
	fs.Var(policyFlag{&f.responsePolicies, corpus.PolicyInput{Disposition: "enforce", Source: "header"}}, "response-csp", "navigation-response: a Content-Security-Policy `header` of the response (repeatable)")
	fs.Var(policyFlag{&f.responsePolicies, corpus.PolicyInput{Disposition: "report", Source: "header"}}, "response-csp-report-only", "navigation-response: a Content-Security-Policy-Report-Only `header` of the response (repeatable)")
	fs.Var(&f.ancestors, "ancestor", "navigation-response: the `origin` of an embedding document, parent first (repeatable; \"null\" for opaque)")
	onceVar(fs, &f.baseURL, "base-url", "base: the `URL` of the <base href>")
	fs.BoolVar(&f.reportBody, "report-body", false, "print each violation's report-uri body (the model only)")
	return f
}

// flagChecks names, for every flag that belongs to some checks only, those
// checks.
var flagChecks = func() map[string][]string {
	m := map[string][]string{}
	add := func(checks []string, flags ...string) {
		for _, f := range flags {
			m[f] = checks
		}
	}
	nav := []string{corpus.CheckNavigationRequest, corpus.CheckNavigationResponse}
	add([]string{corpus.CheckRequest}, "kind", "destination", "initiator", "mode", "nonce", "integrity", "parser-metadata", "webtransport-hash")
	add(append([]string{corpus.CheckRequest}, nav...), "url", "redirect-from")
	add([]string{corpus.CheckInline}, "inline-type", "element", "attr", "not-parser-inserted", "duplicate-attribute", "source")
	add([]string{corpus.CheckEval}, "eval-type", "code", "body", "parameter", "trusted-body", "trusted-parameters")
	add(nav, "navigation-type")
	add([]string{corpus.CheckNavigationResponse}, "ancestor", "response-csp", "response-csp-report-only")
	add([]string{corpus.CheckBase}, "base-url")
	return m
}()

// caseFlags are the flags that describe a case; --vectors takes none of
// them (the cases carry their own).
var caseFlags = []string{"policy", "report-only", "meta", "meta-report-only", "self-origin", "url", "redirect-from", "kind", "destination", "initiator",
	"mode", "nonce", "integrity", "parser-metadata", "webtransport-hash", "check", "global-kind", "global-url", "global-referrer", "global-status",
	"inline-type", "element", "attr", "not-parser-inserted", "duplicate-attribute", "source", "eval-type", "code", "body",
	"parameter", "trusted-body", "trusted-parameters", "navigation-type", "ancestor", "response-csp", "response-csp-report-only", "base-url"}

// usageError is a command line that does not describe a case.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// buildCheck fills in the case's check and its input from the flags, or
// returns a usage error: an unknown check, a flag of another check, a
// missing required flag, a value the format does not know.
func (f *checkFlags) buildCheck(c *corpus.Case, set map[string]bool, urlList []string) error {
	if !slices.Contains(corpus.Checks, f.check) {
		return usageError{fmt.Sprintf("--check %q is not one of %s", f.check, strings.Join(corpus.Checks, ", "))}
	}
	if f.check != corpus.CheckRequest {
		c.CheckType = f.check
	}
	for _, name := range caseFlags {
		if checks, ok := flagChecks[name]; ok && set[name] && !slices.Contains(checks, f.check) {
			return usageError{fmt.Sprintf("--%s is for --check %s, not %s", name, strings.Join(checks, " or "), f.check)}
		}
	}
	if set["global-kind"] || set["global-url"] || set["global-referrer"] || set["global-status"] {
		g := &corpus.GlobalInput{Kind: f.globalKind, Referrer: f.referrer}
		if set["global-url"] {
			g.URL = &f.globalURL
		}
		if set["global-status"] {
			n, err := strconv.Atoi(f.status)
			if err != nil {
				return usageError{fmt.Sprintf("--global-status %q is not a number", f.status)}
			}
			g.Status = n
		}
		c.Global = g
	}
	switch f.check {
	case corpus.CheckInline:
		if !set["inline-type"] {
			return usageError{"--check inline needs --inline-type"}
		}
		if strings.HasSuffix(f.inlineType, " attribute") && f.element == "" {
			return usageError{fmt.Sprintf("--inline-type %q needs --element (the element whose attribute it is)", f.inlineType)}
		}
		in := &corpus.InlineInput{Type: f.inlineType, Source: f.source}
		e := corpus.ElementInput{LocalName: f.element, NotParserInserted: f.notParserInserted, DuplicateAttribute: f.duplicateAttribute}
		for _, a := range f.attrs {
			name, value, ok := strings.Cut(a, "=")
			if !ok {
				return usageError{fmt.Sprintf("--attr %q is not name=value", a)}
			}
			e.Attributes = append(e.Attributes, corpus.Attribute{name, value})
		}
		if e.LocalName != "" || e.Attributes != nil || e.NotParserInserted || e.DuplicateAttribute {
			in.Element = &e
		}
		c.Inline = in
	case corpus.CheckEval:
		if !set["code"] {
			return usageError{"--check eval needs --code"}
		}
		e := &corpus.EvalInput{Type: f.evalType, Code: f.code}
		if set["body"] {
			e.Body = &f.body
		}
		e.Parameters = f.parameters
		if f.trustedBody {
			e.BodyArg = &corpus.ScriptValueInput{TrustedScript: true}
		}
		if f.trustedParameters {
			for range f.parameters {
				e.ParameterArgs = append(e.ParameterArgs, corpus.ScriptValueInput{TrustedScript: true})
			}
		}
		c.Eval = e
	case corpus.CheckNavigationRequest, corpus.CheckNavigationResponse:
		if !set["url"] {
			return usageError{"--check " + f.check + " needs --url"}
		}
		n := &corpus.NavigationInput{Type: f.navigationType, URLList: urlList, Ancestors: f.ancestors}
		if f.responsePolicies != nil {
			n.Response = &corpus.ResponseInput{Policies: f.responsePolicies}
		}
		c.Navigation = n
	case corpus.CheckBase:
		if !set["base-url"] {
			return usageError{"--check base needs --base-url"}
		}
		c.BaseURL = f.baseURL
	}
	if err := c.Validate(); err != nil {
		return usageError{strings.TrimPrefix(err.Error(), corpus.ErrCase.Error()+": ")}
	}
	return nil
}

// violationDetails writes what a violation of a check other than a
// request adds to its line: its sample, element and whose policy it is.
func violationDetails(v corpus.Violation) string {
	var parts []string
	if v.ResponsePolicy {
		parts = append(parts, "a policy of the response")
	}
	if v.Element != "" {
		parts = append(parts, "element <"+v.Element+">")
	}
	if v.Sample != "" {
		parts = append(parts, "sample "+strconv.Quote(v.Sample))
	}
	if len(parts) == 0 {
		return ""
	}
	return "; " + strings.Join(parts, ", ")
}

// printCheckResult writes what a result adds beyond verdict and
// violations: a sandbox check's flags.
func printCheckResult(w io.Writer, res corpus.Result) {
	if res.SandboxFlags == nil {
		return
	}
	if len(res.SandboxFlags) == 0 {
		fmt.Fprintln(w, "sandbox flags: none")
		return
	}
	fmt.Fprintln(w, "sandbox flags:")
	for _, f := range res.SandboxFlags {
		fmt.Fprintf(w, "  %s\n", f)
	}
}

// printReportBody writes a violation's report-uri body, indented, in the
// order of its members.
func printReportBody(w io.Writer, v corpus.Violation) {
	if v.ReportBody == "" {
		return
	}
	var out bytes.Buffer
	if err := json.Indent(&out, []byte(v.ReportBody), "  ", "  "); err != nil {
		out.Reset()
		out.WriteString(string(v.ReportBody))
	}
	fmt.Fprintf(w, "  report body: %s\n", out.String())
}
