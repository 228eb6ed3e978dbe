package spec

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// FormatVersion names the outline's layout and the normalization behind its
// fingerprints (normalize.go). Changing either means a new version and a
// regenerated spec/outline.json.
const FormatVersion = "cspmodel-spec-outline/1"

// Default source coordinates of the CSP3 Bikeshed file.
const (
	DefaultRepository = "w3c/webappsec-csp"
	DefaultPath       = "index.bs"
)

// Outline is the in-scope part of one revision of the spec, as data: anchors,
// titles, step numbers and fingerprints, never the spec's prose.
type Outline struct {
	Format     string      `json:"format"`
	Source     Source      `json:"source"`
	Algorithms []Algorithm `json:"algorithms"`
	// Others are the spec's other algorithm headings (anchor and title
	// only), so an audit can tell an algorithm that is new from one that
	// was merely out of scope.
	Others []Heading `json:"other_algorithms"`
}

// Source says which file an outline was made from.
type Source struct {
	Repository string `json:"repository"`
	Path       string `json:"path"`
	Commit     string `json:"commit"`
	SHA256     string `json:"sha256"`
}

// Algorithm is one in-scope algorithm (or grammar) of the outline.
type Algorithm struct {
	Anchor string `json:"anchor"`
	Title  string `json:"title"`
	Kind   string `json:"kind"` // KindAlgorithm or KindGrammar
	// Preamble is the fingerprint of the prose before the first step (all
	// the prose of an algorithm without steps, such as
	// #match-request-to-source-list).
	Preamble    string       `json:"preamble"`
	Steps       []Step       `json:"steps"`
	Productions []Production `json:"productions,omitempty"`

	Line         int    `json:"-"` // of the heading, when parsed from source
	PreambleText string `json:"-"` // when parsed from source
}

// Kinds of outline entries.
const (
	KindAlgorithm = "algorithm"
	KindGrammar   = "grammar"
)

// Heading is an algorithm outside the scope: its anchor and title.
type Heading struct {
	Anchor string `json:"anchor"`
	Title  string `json:"title"`
	Line   int    `json:"-"`
}

// Algorithm returns the outline's algorithm with that anchor ("#" optional),
// or nil.
func (o *Outline) Algorithm(anchor string) *Algorithm {
	anchor = strings.TrimPrefix(anchor, "#")
	for i := range o.Algorithms {
		if o.Algorithms[i].Anchor == anchor {
			return &o.Algorithms[i]
		}
	}
	return nil
}

// Other returns the out-of-scope algorithm heading with that anchor, or nil.
func (o *Outline) Other(anchor string) *Heading {
	anchor = strings.TrimPrefix(anchor, "#")
	for i := range o.Others {
		if o.Others[i].Anchor == anchor {
			return &o.Others[i]
		}
	}
	return nil
}

// Step returns the step with that number, or nil.
func (a *Algorithm) Step(number string) *Step {
	for i := range a.Steps {
		if a.Steps[i].Number == number {
			return &a.Steps[i]
		}
	}
	return nil
}

// StepIndex returns the position of the step with that number in Steps, or
// -1.
func (a *Algorithm) StepIndex(number string) int {
	for i := range a.Steps {
		if a.Steps[i].Number == number {
			return i
		}
	}
	return -1
}

// Outline extracts the algorithms of scope (anchors without "#") from the
// document, in document order, and lists the document's other algorithm
// headings. It returns the scope anchors the document lacks.
func (d *Document) Outline(scope []string) (*Outline, []string) {
	in := map[string]bool{}
	for _, a := range scope {
		in[strings.TrimPrefix(a, "#")] = true
	}
	o := &Outline{
		Format: FormatVersion,
		Source: Source{Repository: DefaultRepository, Path: DefaultPath, SHA256: d.SHA256},
	}
	// Sections the in-scope algorithms call count as algorithms even
	// without Bikeshed's attribute (#deprecated-serialize-violation has none).
	called := map[string]bool{}
	for _, s := range d.Sections {
		if in[s.Anchor] {
			for _, t := range append([]string{s.Preamble}, stepTexts(s)...) {
				for _, ref := range reAnchorRef.FindAllString(t, -1) {
					called[ref[1:]] = true
				}
			}
		}
	}
	seen := map[string]bool{}
	for _, s := range d.Sections {
		if s.Anchor == "" || seen[s.Anchor] {
			continue
		}
		seen[s.Anchor] = true
		switch {
		case in[s.Anchor]:
			a := Algorithm{
				Anchor:       s.Anchor,
				Title:        s.Title,
				Kind:         KindAlgorithm,
				Preamble:     Fingerprint(s.Preamble),
				Steps:        s.Steps,
				Line:         s.Line,
				PreambleText: s.Preamble,
			}
			if a.Steps == nil {
				a.Steps = []Step{}
			}
			if IsGrammar(s.Anchor) {
				a.Kind = KindGrammar
				a.Steps = []Step{}
				a.Productions = s.Productions
			}
			o.Algorithms = append(o.Algorithms, a)
		case s.Algorithm || called[s.Anchor]:
			o.Others = append(o.Others, Heading{Anchor: s.Anchor, Title: s.Title, Line: s.Line})
		}
	}
	var missing []string
	for _, a := range scope {
		if !seen[strings.TrimPrefix(a, "#")] {
			missing = append(missing, a)
		}
	}
	if o.Others == nil {
		o.Others = []Heading{}
	}
	return o, missing
}

func stepTexts(s *Section) []string {
	var out []string
	for _, st := range s.Steps {
		out = append(out, st.Text)
	}
	return out
}

// Parse reads a CSP3 Bikeshed source and returns the outline of the
// in-scope algorithms (Scope). It fails if the source is not Bikeshed or
// lacks an in-scope anchor. The outline's commit is left empty: set
// Source.Commit to the revision the file came from.
func Parse(src []byte) (*Outline, error) {
	return ParseScope(src, scopeAnchors)
}

// ParseScope is Parse with another list of anchors.
func ParseScope(src []byte, scope []string) (*Outline, error) {
	doc, err := ParseDocument(src)
	if err != nil {
		return nil, err
	}
	o, missing := doc.Outline(scope)
	if len(missing) > 0 {
		return nil, fmt.Errorf("the source lacks in-scope anchors: #%s", strings.Join(missing, ", #"))
	}
	return o, nil
}

// ReadOutline decodes an outline written by Marshal and checks its format.
func ReadOutline(data []byte) (*Outline, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var o Outline
	if err := dec.Decode(&o); err != nil {
		return nil, fmt.Errorf("outline: %w", err)
	}
	if o.Format != FormatVersion {
		return nil, fmt.Errorf("outline: format %q, want %q (regenerate it with csp spec outline)", o.Format, FormatVersion)
	}
	seen := map[string]bool{}
	for _, a := range o.Algorithms {
		if a.Anchor == "" {
			return nil, errors.New("outline: an algorithm without an anchor")
		}
		if seen[a.Anchor] {
			return nil, fmt.Errorf("outline: #%s listed twice", a.Anchor)
		}
		seen[a.Anchor] = true
		for _, s := range a.Steps {
			if s.Number == "" || s.Fingerprint == "" {
				return nil, fmt.Errorf("outline: #%s has a step without a number or fingerprint", a.Anchor)
			}
		}
	}
	return &o, nil
}

//go:embed outline.json
var pinnedJSON []byte

var pinned = sync.OnceValues(func() (*Outline, error) { return ReadOutline(pinnedJSON) })

// Pinned returns the outline of the pinned spec revision, spec/outline.json,
// embedded in the binary. Callers must not modify it.
func Pinned() (*Outline, error) { return pinned() }

// PinnedJSON returns the bytes of spec/outline.json.
func PinnedJSON() []byte { return append([]byte(nil), pinnedJSON...) }

// Marshal writes the outline as JSON with one step or production per line,
// so that a regenerated outline diffs line by line.
func (o *Outline) Marshal() []byte {
	var b bytes.Buffer
	str := func(s string) string {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(s) // a string always encodes
		return strings.TrimSuffix(buf.String(), "\n")
	}
	fmt.Fprintf(&b, "{\n  \"format\": %s,\n", str(o.Format))
	fmt.Fprintf(&b, "  \"source\": {\n    \"repository\": %s,\n    \"path\": %s,\n    \"commit\": %s,\n    \"sha256\": %s\n  },\n",
		str(o.Source.Repository), str(o.Source.Path), str(o.Source.Commit), str(o.Source.SHA256))
	b.WriteString("  \"algorithms\": [")
	for i, a := range o.Algorithms {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "\n    {\n      \"anchor\": %s,\n      \"title\": %s,\n      \"kind\": %s,\n      \"preamble\": %s,\n      \"steps\": [",
			str(a.Anchor), str(a.Title), str(a.Kind), str(a.Preamble))
		for j, s := range a.Steps {
			if j > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, "\n        {\"number\": %s, \"fingerprint\": %s}", str(s.Number), str(s.Fingerprint))
		}
		if len(a.Steps) > 0 {
			b.WriteString("\n      ")
		}
		b.WriteString("]")
		if len(a.Productions) > 0 {
			b.WriteString(",\n      \"productions\": [")
			for j, p := range a.Productions {
				if j > 0 {
					b.WriteString(",")
				}
				fmt.Fprintf(&b, "\n        {\"name\": %s, \"fingerprint\": %s}", str(p.Name), str(p.Fingerprint))
			}
			b.WriteString("\n      ]")
		}
		b.WriteString("\n    }")
	}
	if len(o.Algorithms) > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("],\n  \"other_algorithms\": [")
	for i, h := range o.Others {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "\n    {\"anchor\": %s, \"title\": %s}", str(h.Anchor), str(h.Title))
	}
	if len(o.Others) > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("]\n}\n")
	return b.Bytes()
}
