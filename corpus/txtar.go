package corpus

import (
	"bufio"
	"embed"
	"fmt"
	"io/fs"
	"path"
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
//	self-origin: the document's origin
//	kind: fetch, xhr, eventsource, beacon, ping or websocket
//	destination, initiator, mode: instead of kind ("destination:" alone is "")
//	url: the URL list, one line per URL: the API's URL first, then each
//	     redirect target in order
//	nonce, integrity, parser-metadata, webtransport-hash: request metadata
//	want: allowed or blocked (required); or refused, for a request the API
//	      or Fetch refuses before CSP decides anything (a WebSocket URL
//	      with a fragment, 21 redirects): the vector format's "error"
//	      expectation, with no violation lines
//	violation: one expected violation (repeatable); see below
//	violations: any (accept whatever violations come; otherwise the
//	            violation lines are the exact list, none if there are none)
//
// A violation line is space-separated key=value pairs: directive= and
// blocked-uri= are required; policy= (default 0), effective= (default the
// directive), disposition= (default the policy's), check= (default request)
// and redirect-count= (default 0) are optional.
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

func parseCase(id string, data []byte) (Case, error) {
	c := Case{ID: id}
	var want string
	var violations []string
	anyViolations := false
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			return c, fmt.Errorf("%w: line %d: %q is not \"key: value\"", ErrCase, n, line)
		}
		value = strings.TrimSpace(value)
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
			c.Request.URLList = append(c.Request.URLList, value)
		case "nonce":
			c.Request.Nonce = value
		case "integrity":
			c.Request.Integrity = value
		case "parser-metadata":
			c.Request.ParserMetadata = value
		case "webtransport-hash":
			c.Request.WebTransportHashes = append(c.Request.WebTransportHashes, value)
		case "want":
			want = value
		case "violation":
			violations = append(violations, value)
		case "violations":
			if value != "any" {
				return c, fmt.Errorf("%w: line %d: violations: takes only \"any\"", ErrCase, n)
			}
			anyViolations = true
		default:
			return c, fmt.Errorf("%w: line %d: unknown key %q", ErrCase, n, key)
		}
	}
	if c.Source == "" {
		return c, fmt.Errorf("%w: no source: line", ErrCase)
	}
	if want == "refused" {
		if len(violations) > 0 || anyViolations {
			return c, fmt.Errorf("%w: a refused case has no violations", ErrCase)
		}
		c.Expect = &Expectation{Verdict: VerdictError}
		return c, nil
	}
	if want != VerdictAllowed && want != VerdictBlocked {
		return c, fmt.Errorf("%w: want: must be allowed, blocked or refused, not %q", ErrCase, want)
	}
	c.Expect = &Expectation{Verdict: want}
	if !anyViolations {
		c.Expect.Violations = []Violation{}
		for _, v := range violations {
			pv, err := parseViolation(v, c.Policies)
			if err != nil {
				return c, err
			}
			c.Expect.Violations = append(c.Expect.Violations, pv)
		}
	} else if len(violations) > 0 {
		return c, fmt.Errorf("%w: violations: any and violation: lines together", ErrCase)
	}
	return c, nil
}

func parseViolation(s string, policies []PolicyInput) (Violation, error) {
	v := Violation{Check: "request"}
	set := map[string]bool{}
	for _, field := range strings.Fields(s) {
		k, val, ok := strings.Cut(field, "=")
		if !ok {
			return v, fmt.Errorf("%w: violation field %q is not key=value", ErrCase, field)
		}
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
		default:
			return v, fmt.Errorf("%w: unknown violation field %q", ErrCase, k)
		}
		if err != nil {
			return v, fmt.Errorf("%w: violation field %q: %v", ErrCase, field, err)
		}
	}
	if !set["directive"] || !set["blocked-uri"] {
		return v, fmt.Errorf("%w: violation %q needs directive= and blocked-uri=", ErrCase, s)
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
	if c.Expect == nil {
		return ""
	}
	if r.Verdict != c.Expect.Verdict {
		fmt.Fprintf(&b, "verdict %s, want %s\n", r.Verdict, c.Expect.Verdict)
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
			if g != w {
				fmt.Fprintf(&b, "  violation %d: got %s\n               want %s\n", i, g, w)
			}
		}
	}
	return b.String()
}

// String writes a violation in the corpus's violation-line syntax.
func (v Violation) String() string {
	return fmt.Sprintf("policy=%d directive=%s effective=%s disposition=%s blocked-uri=%s check=%s redirect-count=%d",
		v.Policy, v.Directive, v.EffectiveDirective, v.Disposition, v.BlockedURI, v.Check, v.RedirectCount)
}
