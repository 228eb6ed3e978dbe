package corpus

import (
	"bufio"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/txtar"
)

// The corpus is a tree of txtar archives (golang.org/x/tools/txtar). An
// archive's comment says what its cases cover and where they come from; each
// file in it is one case, named by the file name, written as "key: value"
// lines:
//
//	source: where the case comes from (required)
//	note: anything a reader should know (optional, repeatable)
//	policy: an enforced Content-Security-Policy header line (repeatable)
//	report-only: a Content-Security-Policy-Report-Only header line (repeatable)
//	meta: a <meta http-equiv="Content-Security-Policy"> content (repeatable)
//	meta-report-only: a <meta http-equiv="Content-Security-Policy-Report-Only">
//	       content (repeatable), which HTML ignores and the model with it
//	       (docs/spec-mapping.md, D2)
//	self-origin: the document's origin
//	check: what is decided: request (the default), inline, eval, wasm,
//	       navigation-request, navigation-response, base, sandbox or rtc
//	want: allowed or blocked (required); or refused, for a case the API,
//	      Fetch or the check's caller refuses before CSP decides anything
//	      (a WebSocket URL with a fragment, 21 redirects): the vector
//	      format's "error" expectation, with no violation lines
//	violation: one expected violation (repeatable); see below
//	violations: any (accept whatever violations come; otherwise the
//	            violation lines are the exact list, none if there are none)
//
// The global object a check runs in (optional; by default a window whose
// URL is the self-origin's):
//
//	global-kind: window, worker or worklet
//	global-url, global-referrer, global-status: what its reports carry
//	             (an empty global-url: is no URL)
//
// A request (check: request):
//
//	kind: fetch, xhr, eventsource, beacon, ping or websocket
//	destination, initiator, mode: instead of kind ("destination:" alone is "")
//	url: the URL list, one line per URL: the API's URL first, then each
//	     redirect target in order
//	nonce, integrity, parser-metadata, webtransport-hash: request metadata
//
// An inline check (check: inline):
//
//	inline-type: script, style, script attribute or style attribute
//	element: the element's local name (default script or style for those
//	         types; required for the attribute types)
//	attr: one attribute of the element, name=value, in order (repeatable);
//	      the nonce is the attribute named nonce
//	not-parser-inserted: true (a script element made by script)
//	duplicate-attribute: true (the parser met a duplicate attribute)
//	text: the script, style or attribute value
//
// An eval check (check: eval):
//
//	eval-type: EVAL, FUNCTION or TIMER
//	code: the code string
//	body: the body string (default: the code)
//	parameter: a parameter string (repeatable; FUNCTION)
//	trusted-body: true (the body came as a TrustedScript)
//	trusted-parameters: true (after the parameter: lines: each came as one)
//
// A navigation (check: navigation-request or navigation-response):
//
//	navigation-type: form-submission or other
//	url: the navigation's URL list, as for a request
//	response-csp, response-csp-report-only: a header of the response
//	         (navigation-response; repeatable, numbered together from 0)
//	ancestor: the origin of an embedding document, parent first ("null"
//	          for an opaque origin; navigation-response; repeatable)
//
// A base URL (check: base): base-url: the <base href>'s URL. The wasm,
// sandbox and rtc checks have no input of their own; a sandbox case states
// its expected flags with sandbox-flag: lines (HTML's flag names, any
// order) or sandbox-flags: none.
//
// The values of text:, attr:, code:, body:, parameter: and hash-of: may be
// written as Go string literals ("  a\n") where spaces or newlines matter.
//
// Digests are never taken on trust: a hash-source in the policies of a
// case of a check other than request must be stated by one of
//
//	hash-of-text: ALGORITHM (the digest of this case's text:, inline cases)
//	hash-of: ALGORITHM TEXT (the digest of TEXT)
//	hash-near-of-text: ALGORITHM (a value that is not the digest of this
//	  case's text but reads as it to a careless decoder: its base64 with
//	  padding bits set, or with bytes appended)
//
// and TestHashClaims computes every stated digest and fails when a policy
// holds a hash-source that no line states or a line states one no policy
// holds.
//
// A violation line is space-separated key=value pairs: directive= and
// blocked-uri= are required; policy= (default 0), effective= (default the
// directive), disposition= (default the policy's), check= (default request,
// or the case's check: inline, eval, …), redirect-count= (default 0),
// sample= (default none; a Go string literal when it holds spaces),
// element= (default: an inline case's element, else none) and
// response-policy=true (the policy is the response's: policy= counts its
// response-csp lines) are optional.
//
// Policies, whatever their key, are numbered in the order written, from 0:
// that number is the violation's policy.

//go:embed documented regressions
var files embed.FS

// Load reads every case of the embedded corpus, sorted by id.
func Load() ([]Case, error) {
	return LoadFS(files)
}

// LoadFS reads every *.txtar archive under fsys.
func LoadFS(fsys fs.FS) ([]Case, error) {
	var cases []Case
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".txtar") {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		cs, err := ParseArchive(p, data)
		if err != nil {
			return err
		}
		cases = append(cases, cs...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.ID] {
			return nil, fmt.Errorf("%w: duplicate case id %s", ErrCase, c.ID)
		}
		seen[c.ID] = true
	}
	sort.Slice(cases, func(i, j int) bool { return cases[i].ID < cases[j].ID })
	return cases, nil
}

// ParseArchive reads the cases of one archive. Case ids are the archive's
// path without ".txtar", a slash, and the file name.
func ParseArchive(name string, data []byte) ([]Case, error) {
	a := txtar.Parse(data)
	if len(a.Files) == 0 {
		return nil, fmt.Errorf("%s: %w: the archive holds no cases", name, ErrCase)
	}
	// Line numbers of each file's first line, for error messages.
	lines := map[string]int{}
	for i, l := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(l, "-- "); ok {
			if n, ok := strings.CutSuffix(rest, " --"); ok {
				lines[strings.TrimSpace(n)] = i + 2
			}
		}
	}
	prefix := strings.TrimSuffix(name, path.Ext(name))
	var cases []Case
	for _, f := range a.Files {
		c, err := parseCase(prefix+"/"+f.Name, f.Data)
		if err != nil {
			return nil, fmt.Errorf("%s:%d (%s): %w", name, lines[f.Name], f.Name, err)
		}
		cases = append(cases, c)
	}
	return cases, nil
}

// caseBuilder collects the keys of one txtar case.
type caseBuilder struct {
	c             Case
	want          string
	violations    []string
	anyViolations bool
	urls          []string
	global        GlobalInput
	globalSet     bool
	inline        InlineInput
	element       ElementInput
	inlineSet     bool
	eval          EvalInput
	evalSet       bool
	navigation    NavigationInput
	response      ResponseInput
	navSet        bool
	flags         []string
	flagsSet      bool
}

// textValue reads a value that may be written as a Go string literal, for
// text whose spaces or newlines matter.
func textValue(v string) (string, error) {
	if strings.HasPrefix(v, `"`) {
		return strconv.Unquote(v)
	}
	return v, nil
}

// boolValue reads "true" (the only value a flag key takes).
func boolValue(key, v string) (bool, error) {
	if v != "true" {
		return false, fmt.Errorf("%s: takes only \"true\"", key)
	}
	return true, nil
}

// key reads one "key: value" line into the case.
func (b *caseBuilder) key(key, value string) error {
	c := &b.c
	var err error
	switch key {
	case "source":
		c.Source = value
	case "note":
		c.Note = strings.TrimSpace(c.Note + " " + value)
	case "policy":
		c.Policies = append(c.Policies, PolicyInput{Value: value, Disposition: "enforce", Source: "header"})
	case "report-only":
		c.Policies = append(c.Policies, PolicyInput{Value: value, Disposition: "report", Source: "header"})
	case "meta":
		c.Policies = append(c.Policies, PolicyInput{Value: value, Disposition: "enforce", Source: "meta"})
	case "meta-report-only":
		c.Policies = append(c.Policies, PolicyInput{Value: value, Disposition: "report", Source: "meta"})
	case "self-origin":
		c.SelfOrigin = value
	case "kind":
		c.Request.Kind = value
	case "destination":
		v := value
		c.Request.Destination = &v
	case "initiator":
		c.Request.Initiator = value
	case "mode":
		c.Request.Mode = value
	case "url":
		b.urls = append(b.urls, value)
	case "nonce":
		c.Request.Nonce = value
	case "integrity":
		c.Request.Integrity = value
	case "parser-metadata":
		c.Request.ParserMetadata = value
	case "webtransport-hash":
		c.Request.WebTransportHashes = append(c.Request.WebTransportHashes, value)
	case "want":
		b.want = value
	case "violation":
		b.violations = append(b.violations, value)
	case "violations":
		if value != "any" {
			return fmt.Errorf("violations: takes only \"any\"")
		}
		b.anyViolations = true

	case "check":
		c.CheckType = value
	case "global-kind":
		b.global.Kind, b.globalSet = value, true
	case "global-url":
		v := value
		b.global.URL, b.globalSet = &v, true
	case "global-referrer":
		b.global.Referrer, b.globalSet = value, true
	case "global-status":
		b.global.Status, err = strconv.Atoi(value)
		b.globalSet = true
	case "inline-type":
		b.inline.Type, b.inlineSet = value, true
	case "element":
		b.element.LocalName, b.inlineSet = value, true
	case "attr":
		name, v, ok := strings.Cut(value, "=")
		if !ok {
			return fmt.Errorf("attr: %q is not name=value", value)
		}
		if v, err = textValue(v); err == nil {
			b.element.Attributes = append(b.element.Attributes, Attribute{name, v})
		}
		b.inlineSet = true
	case "not-parser-inserted":
		b.element.NotParserInserted, err = boolValue(key, value)
		b.inlineSet = true
	case "duplicate-attribute":
		b.element.DuplicateAttribute, err = boolValue(key, value)
		b.inlineSet = true
	case "text":
		b.inline.Source, err = textValue(value)
		b.inlineSet = true
	case "eval-type":
		b.eval.Type, b.evalSet = value, true
	case "code":
		b.eval.Code, err = textValue(value)
		b.evalSet = true
	case "body":
		var v string
		v, err = textValue(value)
		b.eval.Body, b.evalSet = &v, true
	case "parameter":
		var v string
		v, err = textValue(value)
		b.eval.Parameters, b.evalSet = append(b.eval.Parameters, v), true
	case "trusted-body":
		var t bool
		t, err = boolValue(key, value)
		b.eval.BodyArg, b.evalSet = &ScriptValueInput{TrustedScript: t}, true
	case "trusted-parameters":
		var t bool
		t, err = boolValue(key, value)
		b.eval.ParameterArgs = nil
		for range b.eval.Parameters {
			b.eval.ParameterArgs = append(b.eval.ParameterArgs, ScriptValueInput{TrustedScript: t})
		}
		b.evalSet = true
	case "navigation-type":
		b.navigation.Type, b.navSet = value, true
	case "response-csp":
		b.response.Policies, b.navSet = append(b.response.Policies, PolicyInput{Value: value, Disposition: "enforce", Source: "header"}), true
	case "response-csp-report-only":
		b.response.Policies, b.navSet = append(b.response.Policies, PolicyInput{Value: value, Disposition: "report", Source: "header"}), true
	case "ancestor":
		b.navigation.Ancestors, b.navSet = append(b.navigation.Ancestors, value), true
	case "base-url":
		c.BaseURL = value
	case "sandbox-flag":
		b.flags, b.flagsSet = append(b.flags, value), true
	case "sandbox-flags":
		if value != "none" {
			return fmt.Errorf("sandbox-flags: takes only \"none\" (list flags with sandbox-flag:)")
		}
		b.flags, b.flagsSet = []string{}, true
	case "hash-of-text":
		c.claims = append(c.claims, hashClaim{algorithm: value, ofText: true})
	case "hash-near-of-text":
		c.claims = append(c.claims, hashClaim{algorithm: value, ofText: true, near: true})
	case "hash-of":
		alg, text, ok := strings.Cut(value, " ")
		if !ok {
			return fmt.Errorf("hash-of: %q is not \"ALGORITHM TEXT\"", value)
		}
		text, err = textValue(strings.TrimSpace(text))
		c.claims = append(c.claims, hashClaim{algorithm: alg, text: text})
	default:
		return fmt.Errorf("unknown key %q", key)
	}
	return err
}

// finish assembles the case from its keys.
func (b *caseBuilder) finish() (Case, error) {
	c := b.c
	ck := c.CheckName()
	if ck == CheckNavigationRequest || ck == CheckNavigationResponse {
		b.navigation.URLList, b.navSet = b.urls, true
	} else {
		c.Request.URLList = b.urls
	}
	if b.globalSet {
		g := b.global
		c.Global = &g
	}
	if b.inlineSet {
		in := b.inline
		if e := b.element; !reflect.ValueOf(e).IsZero() {
			in.Element = &e
		}
		c.Inline = &in
	}
	if b.evalSet {
		e := b.eval
		c.Eval = &e
	}
	if b.navSet {
		n := b.navigation
		if b.response.Policies != nil {
			r := b.response
			n.Response = &r
		}
		c.Navigation = &n
	}
	if c.Source == "" {
		return c, fmt.Errorf("%w: no source: line", ErrCase)
	}
	if err := c.Validate(); err != nil {
		return c, err
	}
	if b.want == "refused" {
		if len(b.violations) > 0 || b.anyViolations || b.flagsSet {
			return c, fmt.Errorf("%w: a refused case has no violations or flags", ErrCase)
		}
		c.Expect = &Expectation{Verdict: VerdictError}
		return c, nil
	}
	if b.want != VerdictAllowed && b.want != VerdictBlocked {
		return c, fmt.Errorf("%w: want: must be allowed, blocked or refused, not %q", ErrCase, b.want)
	}
	c.Expect = &Expectation{Verdict: b.want}
	if b.flagsSet {
		if ck != CheckSandbox {
			return c, fmt.Errorf("%w: sandbox-flag: lines are for a sandbox check", ErrCase)
		}
		c.Expect.SandboxFlags = b.flags
		sort.Strings(c.Expect.SandboxFlags)
	} else if ck == CheckSandbox {
		return c, fmt.Errorf("%w: a sandbox case states its flags (sandbox-flag: lines, or sandbox-flags: none)", ErrCase)
	}
	for _, h := range c.claims {
		if h.ofText && ck != CheckInline {
			return c, fmt.Errorf("%w: hash-of-text: is for inline cases (use hash-of: ALGORITHM TEXT)", ErrCase)
		}
	}
	if !b.anyViolations {
		c.Expect.Violations = []Violation{}
		for _, v := range b.violations {
			pv, err := parseViolation(v, c)
			if err != nil {
				return c, err
			}
			c.Expect.Violations = append(c.Expect.Violations, pv)
		}
	} else if len(b.violations) > 0 {
		return c, fmt.Errorf("%w: violations: any and violation: lines together", ErrCase)
	}
	return c, nil
}

func parseCase(id string, data []byte) (Case, error) {
	b := caseBuilder{c: Case{ID: id}}
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			return b.c, fmt.Errorf("%w: line %d: %q is not \"key: value\"", ErrCase, n, line)
		}
		if err := b.key(key, strings.TrimSpace(value)); err != nil {
			return b.c, fmt.Errorf("%w: line %d: %v", ErrCase, n, err)
		}
	}
	return b.finish()
}

// violationFields splits a violation line into key=value fields; a value
// that starts with a double quote is a Go string literal and may hold
// spaces (sample="alert(1) // x").
func violationFields(s string) ([][2]string, error) {
	var out [][2]string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		k, rest, ok := strings.Cut(s, "=")
		if !ok || strings.ContainsAny(k, " \t") {
			field, _, _ := strings.Cut(s, " ")
			return nil, fmt.Errorf("%w: violation field %q is not key=value", ErrCase, field)
		}
		var v string
		if strings.HasPrefix(rest, `"`) {
			q, err := strconv.QuotedPrefix(rest)
			if err != nil {
				return nil, fmt.Errorf("%w: violation field %s: %v", ErrCase, k, err)
			}
			v, _ = strconv.Unquote(q)
			rest = rest[len(q):]
		} else {
			v, rest, _ = strings.Cut(rest, " ")
		}
		out = append(out, [2]string{k, v})
		s = rest
	}
	return out, nil
}

// defaultViolationCheck is the check= of a violation line that names none.
func defaultViolationCheck(c Case) string {
	if ck := c.CheckName(); ck != CheckRequest && ck != CheckSandbox {
		return ck
	}
	return "request"
}

func parseViolation(s string, c Case) (Violation, error) {
	v := Violation{Check: defaultViolationCheck(c)}
	if c.CheckName() == CheckInline {
		// An inline violation is about the case's element.
		b, err := c.build()
		if err == nil {
			v.Element = b.element.LocalName
		}
	}
	set := map[string]bool{}
	fields, err := violationFields(s)
	if err != nil {
		return v, err
	}
	for _, kv := range fields {
		k, val := kv[0], kv[1]
		set[k] = true
		var err error
		switch k {
		case "policy":
			v.Policy, err = strconv.Atoi(val)
		case "directive":
			v.Directive = val
		case "effective":
			v.EffectiveDirective = val
		case "disposition":
			v.Disposition = val
		case "blocked-uri":
			v.BlockedURI = val
		case "check":
			v.Check = val
		case "redirect-count":
			v.RedirectCount, err = strconv.Atoi(val)
		case "sample":
			v.Sample = val
		case "element":
			v.Element = val
		case "response-policy":
			v.ResponsePolicy, err = strconv.ParseBool(val)
		default:
			return v, fmt.Errorf("%w: unknown violation field %q", ErrCase, k)
		}
		if err != nil {
			return v, fmt.Errorf("%w: violation field %s=%s: %v", ErrCase, k, val, err)
		}
	}
	if !set["directive"] || !set["blocked-uri"] {
		return v, fmt.Errorf("%w: violation %q needs directive= and blocked-uri=", ErrCase, s)
	}
	policies := c.Policies
	if v.ResponsePolicy {
		policies = nil
		if c.Navigation != nil && c.Navigation.Response != nil {
			policies = c.Navigation.Response.Policies
		}
	}
	if v.Policy < 0 || v.Policy >= len(policies) {
		return v, fmt.Errorf("%w: violation %q names policy %d of %d", ErrCase, s, v.Policy, len(policies))
	}
	if !set["effective"] {
		v.EffectiveDirective = v.Directive
	}
	if !set["disposition"] {
		v.Disposition = policies[v.Policy].Disposition
	}
	return v, nil
}

// Check compares a result with the case's expectation and returns what
// differs, one item per line, or "" when it meets it. A case without an
// expectation is met by any result without an error, and an expected
// VerdictError by any result with one. OriginalPolicy is
// compared only when the expectation states it.
func (c Case) Check(r Result) string {
	var b strings.Builder
	if c.Expect != nil && c.Expect.Verdict == VerdictError {
		if r.Error == "" {
			fmt.Fprintf(&b, "verdict %s, want an error (the request cannot be made)\n", r.Verdict)
		}
		return b.String()
	}
	if r.Error != "" {
		fmt.Fprintf(&b, "error: %s\n", r.Error)
		return b.String()
	}
	if r.Unsupported != "" {
		fmt.Fprintf(&b, "unsupported: %s\n", r.Unsupported)
		return b.String()
	}
	if c.Expect == nil {
		return ""
	}
	if r.Verdict != c.Expect.Verdict {
		fmt.Fprintf(&b, "verdict %s, want %s\n", r.Verdict, c.Expect.Verdict)
	}
	if w, g := flagList(c.Expect.SandboxFlags), flagList(r.SandboxFlags); c.Expect.SandboxFlags != nil && w != g {
		fmt.Fprintf(&b, "sandbox flags %s, want %s\n", g, w)
	}
	if c.Expect.Violations == nil {
		return b.String()
	}
	got := r.Violations
	if len(got) != len(c.Expect.Violations) {
		fmt.Fprintf(&b, "%d violations, want %d\n", len(got), len(c.Expect.Violations))
	}
	for i := 0; i < len(got) || i < len(c.Expect.Violations); i++ {
		switch {
		case i >= len(got):
			fmt.Fprintf(&b, "  missing violation %s\n", c.Expect.Violations[i])
		case i >= len(c.Expect.Violations):
			fmt.Fprintf(&b, "  unexpected violation %s\n", got[i])
		default:
			g, w := got[i], c.Expect.Violations[i]
			if w.OriginalPolicy == "" {
				g.OriginalPolicy = ""
			}
			if w.ReportBody == "" {
				g.ReportBody = ""
			}
			if g != w {
				fmt.Fprintf(&b, "  violation %d: got %s\n               want %s\n", i, g, w)
			}
		}
	}
	return b.String()
}

// String writes a violation in the corpus's violation-line syntax: the
// fields every violation has, then those that are set of sample=, element=
// and response-policy=.
func (v Violation) String() string {
	s := fmt.Sprintf("policy=%d directive=%s effective=%s disposition=%s blocked-uri=%s check=%s redirect-count=%d",
		v.Policy, v.Directive, v.EffectiveDirective, v.Disposition, v.BlockedURI, v.Check, v.RedirectCount)
	if v.Sample != "" {
		s += " sample=" + strconv.Quote(v.Sample)
	}
	if v.Element != "" {
		s += " element=" + v.Element
	}
	if v.ResponsePolicy {
		s += " response-policy=true"
	}
	return s
}

// hashClaim is a hash-of-text:, hash-of: or hash-near-of-text: line: the
// policies of the case hold the digest of the case's text (ofText), or of
// text, under algorithm, or (near) a value that is not the digest but
// decodes leniently to bytes that start with it.
type hashClaim struct {
	algorithm string
	ofText    bool
	text      string
	near      bool
}
