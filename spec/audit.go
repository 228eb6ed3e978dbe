package spec

import (
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// This file compares a revision of the spec with an outline (normally the
// pinned one) and says, algorithm by algorithm, what changed and which
// model lines cite it.

// Report is the result of Audit. Its JSON form is what "csp audit --json"
// prints.
type Report struct {
	Pinned       Source            `json:"pinned"`
	New          string            `json:"new"`            // how the caller named the new source
	NewSHA256    string            `json:"new_sha256"`     // of the new source
	Changed      bool              `json:"changed"`        // anything below is not unchanged
	Algorithms   []AlgorithmReport `json:"algorithms"`     // every in-scope algorithm, in the outline's order
	OnlyInNew    []OtherAlgorithm  `json:"only_in_new"`    // other algorithms
	OnlyInPinned []OtherAlgorithm  `json:"only_in_pinned"` // other algorithms
	Summary      Summary           `json:"summary"`
	// ModelFound says whether citations were looked up; without model/ the
	// cited_by lists are empty.
	ModelFound bool `json:"model_found"`
}

// Statuses of an in-scope algorithm.
const (
	StatusUnchanged = "unchanged"
	StatusChanged   = "changed"
	StatusRemoved   = "removed"
)

// Kinds of step and production changes.
const (
	ChangeChanged = "changed" // same place, new text
	ChangeMoved   = "moved"   // same text, new number
	ChangeAdded   = "added"
	ChangeRemoved = "removed"
)

// AlgorithmReport is what happened to one in-scope algorithm.
type AlgorithmReport struct {
	Anchor   string `json:"anchor"`
	Title    string `json:"title"`
	Status   string `json:"status"`
	Line     int    `json:"line,omitempty"`      // of its heading in the new source
	NewTitle string `json:"new_title,omitempty"` // when the title changed
	// Preamble is the new prose before the steps, when it changed.
	Preamble    *TextChange        `json:"preamble,omitempty"`
	Steps       []StepChange       `json:"steps,omitempty"`
	Productions []ProductionChange `json:"productions,omitempty"`
	Model       []Site             `json:"model,omitempty"` // functions citing the anchor
	Hint        string             `json:"hint,omitempty"`
}

// TextChange is a piece of prose whose text changed, as it now reads.
type TextChange struct {
	Text string `json:"text"`
	Line int    `json:"line,omitempty"`
}

// StepChange is one step that is not the same under the same number.
type StepChange struct {
	Change  string `json:"change"`
	Old     string `json:"old,omitempty"`  // number in the outline
	New     string `json:"new,omitempty"`  // number in the new source
	Text    string `json:"text,omitempty"` // new text (changed and added steps)
	Line    int    `json:"line,omitempty"` // in the new source
	CitedBy []Site `json:"cited_by,omitempty"`
}

// ProductionChange is one grammar rule that changed.
type ProductionChange struct {
	Change string `json:"change"`
	Name   string `json:"name"`
	Text   string `json:"text,omitempty"`
	Line   int    `json:"line,omitempty"`
}

// OtherAlgorithm is an algorithm outside the scope that one of the two
// revisions has and the other lacks, and that may touch request matching,
// with the reason it was picked.
type OtherAlgorithm struct {
	Anchor string `json:"anchor"`
	Title  string `json:"title"`
	Line   int    `json:"line,omitempty"`
	Why    string `json:"why"`
}

// Summary counts the report.
type Summary struct {
	InScope          int `json:"in_scope"`
	Unchanged        int `json:"unchanged"`
	Changed          int `json:"changed"`
	Removed          int `json:"removed"`
	StepsChanged     int `json:"steps_changed"`
	StepsMoved       int `json:"steps_moved"`
	StepsAdded       int `json:"steps_added"`
	StepsRemoved     int `json:"steps_removed"`
	OnlyInNew        int `json:"algorithms_only_in_new"`
	OnlyInPinned     int `json:"algorithms_only_in_pinned"`
	OtherTextChanges int `json:"other_text_changes"` // titles, preambles, productions
}

// Site is a place in the model's source: a function, or one citation in it.
type Site struct {
	Func string `json:"func"`
	File string `json:"file"`
	Line int    `json:"line"`
}

func (s Site) String() string { return fmt.Sprintf("%s:%d (%s)", s.File, s.Line, s.Func) }

// CitationIndex knows which model functions cite which anchors and steps.
// The zero value (or nil) knows none.
type CitationIndex struct {
	funcs map[string][]indexedFunc
}

type indexedFunc struct {
	site  Site
	cites []indexedCite
}

type indexedCite struct {
	Citation
	line int
}

// IndexCitations reads the non-test Go files of dir. File names in the
// sites it returns are joined to display (e.g. "model").
func IndexCitations(dir, display string) (*CitationIndex, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%s: no Go files", dir)
	}
	sort.Strings(paths)
	ix := &CitationIndex{funcs: map[string][]indexedFunc{}}
	fset := token.NewFileSet()
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		file := filepath.ToSlash(filepath.Join(display, filepath.Base(p)))
		for _, fn := range Funcs(f) {
			if fn.Anchor == "" {
				continue
			}
			inf := indexedFunc{site: Site{Func: fn.Name, File: file, Line: fset.Position(fn.SpecPos).Line}}
			for _, c := range fn.Citations {
				inf.cites = append(inf.cites, indexedCite{Citation: c, line: fset.Position(c.Pos).Line})
			}
			ix.funcs[fn.Anchor] = append(ix.funcs[fn.Anchor], inf)
		}
	}
	return ix, nil
}

// Functions returns the functions citing anchor.
func (ix *CitationIndex) Functions(anchor string) []Site {
	if ix == nil {
		return nil
	}
	var out []Site
	for _, f := range ix.funcs[anchor] {
		out = append(out, f.site)
	}
	return out
}

// Sites returns the citations of step of the algorithm a (as the outline
// numbers it), one per citing comment.
func (ix *CitationIndex) Sites(a *Algorithm, step string) []Site {
	if ix == nil || a == nil {
		return nil
	}
	var out []Site
	for _, f := range ix.funcs[a.Anchor] {
		for _, c := range f.cites {
			covered, _ := a.Resolve(c.Citation)
			for _, s := range covered {
				if s == step {
					out = append(out, Site{Func: f.site.Func, File: f.site.File, Line: c.line})
					break
				}
			}
		}
	}
	return out
}

var reModule = regexp.MustCompile(`(?m)^module\s+github\.com/cspmodel/cspmodel\s*$`)

// FindModule looks for the directory of the cspmodel module (a go.mod
// declaring "module github.com/cspmodel/cspmodel") from dir upwards.
func FindModule(dir string) (string, bool) {
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && reModule.Match(data) {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// reMatching picks, by anchor or title, the algorithms outside the scope
// that may touch request matching.
var reMatching = regexp.MustCompile(`(?i)\b(request|response|url|source[ -]lists?|source[ -]expressions?|match(es|ing)?|directives?|redirects?|origin|fetch)\b`)

// Audit compares the new Bikeshed source with the outline (normally
// Pinned()). name is how the report refers to the new source. ix may be nil.
func Audit(o *Outline, newSrc []byte, name string, ix *CitationIndex) (*Report, error) {
	if o == nil {
		return nil, errors.New("audit: no outline")
	}
	doc, err := ParseDocument(newSrc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	r := &Report{Pinned: o.Source, New: name, NewSHA256: doc.SHA256, ModelFound: ix != nil,
		OnlyInNew: []OtherAlgorithm{}, OnlyInPinned: []OtherAlgorithm{}}
	known := map[string]bool{}
	for _, a := range o.Algorithms {
		known[a.Anchor] = true
	}
	for _, h := range o.Others {
		known[h.Anchor] = true
	}

	for i := range o.Algorithms {
		a := &o.Algorithms[i]
		ar := AlgorithmReport{Anchor: a.Anchor, Title: a.Title, Status: StatusUnchanged, Model: ix.Functions(a.Anchor)}
		sec := doc.Section(a.Anchor)
		if sec == nil {
			ar.Status = StatusRemoved
			ar.Hint = renameHint(a, doc, known)
			r.Algorithms = append(r.Algorithms, ar)
			continue
		}
		ar.Line = sec.Line
		if sec.Title != a.Title {
			ar.NewTitle = sec.Title
		}
		if Fingerprint(sec.Preamble) != a.Preamble {
			ar.Preamble = &TextChange{Text: sec.Preamble, Line: sec.Line}
		}
		if a.Kind == KindGrammar {
			ar.Productions = diffProductions(a.Productions, sec.Productions)
		} else {
			ar.Steps = diffSteps(a.Steps, sec.Steps)
			for j := range ar.Steps {
				if c := &ar.Steps[j]; c.Old != "" {
					c.CitedBy = ix.Sites(a, c.Old)
				}
			}
		}
		if ar.NewTitle != "" || ar.Preamble != nil || len(ar.Steps) > 0 || len(ar.Productions) > 0 {
			ar.Status = StatusChanged
		}
		r.Algorithms = append(r.Algorithms, ar)
	}

	// Other algorithms only in the new source: picked when an in-scope
	// algorithm calls them, or when they carry Bikeshed's algorithm
	// attribute and their anchor or title mentions matching (reMatching).
	// Those only in the outline: picked by anchor or title alone.
	referrers := map[string][]string{}
	for _, a := range o.Algorithms {
		sec := doc.Section(a.Anchor)
		if sec == nil {
			continue
		}
		texts := append([]string{sec.Preamble}, stepTexts(sec)...)
		seen := map[string]bool{}
		for _, t := range texts {
			for _, ref := range reAnchorRef.FindAllString(t, -1) {
				ref = ref[1:]
				if !seen[ref] {
					seen[ref] = true
					referrers[ref] = append(referrers[ref], a.Anchor)
				}
			}
		}
	}
	newSeen := map[string]bool{}
	for _, s := range doc.Sections {
		if s.Anchor == "" || newSeen[s.Anchor] {
			continue
		}
		newSeen[s.Anchor] = true
		if known[s.Anchor] {
			continue
		}
		var why []string
		if refs := referrers[s.Anchor]; len(refs) > 0 {
			why = append(why, "called from in-scope #"+strings.Join(refs, ", #"))
		}
		if s.Algorithm {
			if m := reMatching.FindString(s.Anchor + " " + s.Title); m != "" {
				why = append(why, fmt.Sprintf("its name mentions %q", strings.ToLower(m)))
			}
		}
		if len(why) > 0 {
			r.OnlyInNew = append(r.OnlyInNew, OtherAlgorithm{Anchor: s.Anchor, Title: s.Title, Line: s.Line, Why: strings.Join(why, "; ")})
		}
	}
	for _, h := range o.Others {
		if newSeen[h.Anchor] {
			continue
		}
		if m := reMatching.FindString(h.Anchor + " " + h.Title); m != "" {
			r.OnlyInPinned = append(r.OnlyInPinned, OtherAlgorithm{Anchor: h.Anchor, Title: h.Title, Why: fmt.Sprintf("its name mentions %q", strings.ToLower(m))})
		}
	}

	s := &r.Summary
	s.InScope = len(r.Algorithms)
	for _, a := range r.Algorithms {
		switch a.Status {
		case StatusUnchanged:
			s.Unchanged++
		case StatusChanged:
			s.Changed++
		case StatusRemoved:
			s.Removed++
		}
		for _, c := range a.Steps {
			switch c.Change {
			case ChangeChanged:
				s.StepsChanged++
			case ChangeMoved:
				s.StepsMoved++
			case ChangeAdded:
				s.StepsAdded++
			case ChangeRemoved:
				s.StepsRemoved++
			}
		}
		s.OtherTextChanges += len(a.Productions)
		if a.NewTitle != "" {
			s.OtherTextChanges++
		}
		if a.Preamble != nil {
			s.OtherTextChanges++
		}
	}
	s.OnlyInNew, s.OnlyInPinned = len(r.OnlyInNew), len(r.OnlyInPinned)
	r.Changed = s.Changed+s.Removed+s.OnlyInNew+s.OnlyInPinned > 0
	return r, nil
}

// renameHint looks for a section new to the source that has the removed
// algorithm's title, or most of its steps.
func renameHint(a *Algorithm, doc *Document, known map[string]bool) string {
	fps := map[string]bool{}
	for _, s := range a.Steps {
		fps[s.Fingerprint] = true
	}
	for _, s := range doc.Sections {
		if s.Anchor == "" || known[s.Anchor] {
			continue
		}
		if s.Title == a.Title {
			return fmt.Sprintf("#%s (not in the outline) has the same title", s.Anchor)
		}
		same := 0
		for _, st := range s.Steps {
			if fps[st.Fingerprint] {
				same++
			}
		}
		if len(a.Steps) > 0 && 2*same >= len(a.Steps) {
			return fmt.Sprintf("#%s (not in the outline, %q) has %d of its %d steps", s.Anchor, s.Title, same, len(a.Steps))
		}
	}
	return ""
}

func diffProductions(old, cur []Production) []ProductionChange {
	var out []ProductionChange
	now := map[string]Production{}
	for _, p := range cur {
		if _, dup := now[p.Name]; !dup {
			now[p.Name] = p
		}
	}
	was := map[string]bool{}
	for _, p := range old {
		was[p.Name] = true
		n, ok := now[p.Name]
		switch {
		case !ok:
			out = append(out, ProductionChange{Change: ChangeRemoved, Name: p.Name})
		case n.Fingerprint != p.Fingerprint:
			out = append(out, ProductionChange{Change: ChangeChanged, Name: p.Name, Text: n.Text, Line: n.Line})
		}
	}
	for _, p := range cur {
		if !was[p.Name] {
			was[p.Name] = true
			out = append(out, ProductionChange{Change: ChangeAdded, Name: p.Name, Text: p.Text, Line: p.Line})
		}
	}
	return out
}

// diffSteps aligns the outline's steps with the new ones. Steps whose text
// is unchanged are matched first, in order (a longest common subsequence
// of fingerprints); a fingerprint found under another number is a move,
// also when it left the common order. What is left between two matched
// steps is paired, first by equal number, then in order at equal depth,
// as a changed step; the rest was added or removed.
func diffSteps(old, cur []Step) []StepChange {
	n, m := len(old), len(cur)
	// lcs[i][j] is the length of the common subsequence of old[i:], cur[j:].
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if old[i].Fingerprint == cur[j].Fingerprint {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	oldTo, curTo := make([]int, n), make([]int, m)
	for i := range oldTo {
		oldTo[i] = -1
	}
	for j := range curTo {
		curTo[j] = -1
	}
	type pair struct{ i, j int }
	var anchors []pair
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case old[i].Fingerprint == cur[j].Fingerprint && lcs[i][j] == lcs[i+1][j+1]+1:
			oldTo[i], curTo[j] = j, i
			anchors = append(anchors, pair{i, j})
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			i++
		default:
			j++
		}
	}
	// Moves out of the common order.
	moved := map[int]bool{}
	for i := range old {
		if oldTo[i] >= 0 {
			continue
		}
		for j := range cur {
			if curTo[j] < 0 && cur[j].Fingerprint == old[i].Fingerprint {
				oldTo[i], curTo[j] = j, i
				moved[i] = true
				break
			}
		}
	}
	// Pair the rest gap by gap.
	changed := map[int]bool{}
	anchors = append(anchors, pair{n, m})
	pi, pj := -1, -1
	for _, a := range anchors {
		var gi, gj []int
		for i := pi + 1; i < a.i; i++ {
			if oldTo[i] < 0 {
				gi = append(gi, i)
			}
		}
		for j := pj + 1; j < a.j; j++ {
			if curTo[j] < 0 {
				gj = append(gj, j)
			}
		}
		link := func(i, j int) {
			oldTo[i], curTo[j] = j, i
			changed[i] = true
		}
		for _, i := range gi {
			for _, j := range gj {
				if curTo[j] < 0 && cur[j].Number == old[i].Number {
					link(i, j)
					break
				}
			}
		}
		for _, i := range gi {
			if oldTo[i] >= 0 {
				continue
			}
			for _, j := range gj {
				if curTo[j] < 0 && depth(cur[j].Number) == depth(old[i].Number) {
					link(i, j)
					break
				}
				if curTo[j] < 0 {
					break // keep the order: do not pair across an unpaired step
				}
			}
		}
		pi, pj = a.i, a.j
	}

	type keyed struct {
		key   string
		order int // added before the rest at equal keys
		c     StepChange
	}
	var out []keyed
	for i, s := range old {
		j := oldTo[i]
		switch {
		case j < 0:
			out = append(out, keyed{s.Number, 1, StepChange{Change: ChangeRemoved, Old: s.Number}})
		case changed[i]:
			out = append(out, keyed{s.Number, 1, StepChange{Change: ChangeChanged, Old: s.Number, New: cur[j].Number, Text: cur[j].Text, Line: cur[j].Line}})
		case moved[i] || s.Number != cur[j].Number:
			out = append(out, keyed{s.Number, 1, StepChange{Change: ChangeMoved, Old: s.Number, New: cur[j].Number, Line: cur[j].Line}})
		}
	}
	for j, s := range cur {
		if curTo[j] < 0 {
			out = append(out, keyed{s.Number, 0, StepChange{Change: ChangeAdded, New: s.Number, Text: s.Text, Line: s.Line}})
		}
	}
	sort.SliceStable(out, func(a, b int) bool {
		if c := CompareSteps(out[a].key, out[b].key); c != 0 {
			return c < 0
		}
		return out[a].order < out[b].order
	})
	res := make([]StepChange, len(out))
	for i, k := range out {
		res[i] = k.c
	}
	return res
}

func depth(number string) int { return strings.Count(number, ".") }

// WriteText writes the report for people. Every step change names the step,
// where it is in the new source, its new text when it has one, and the
// model lines that cite it.
func (r *Report) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	p := ew.printf
	commit := r.Pinned.Commit
	if len(commit) > 12 {
		commit = commit[:12]
	}
	p("pinned: %s %s @ %s (sha256 %.12s)\n", r.Pinned.Repository, r.Pinned.Path, commit, r.Pinned.SHA256)
	p("new:    %s (sha256 %.12s)\n", r.New, r.NewSHA256)
	if !r.ModelFound {
		p("(model/ not found: citations are not shown; run from the repository or pass --model)\n")
	}
	at := func(line int) string {
		if line == 0 {
			return ""
		}
		return fmt.Sprintf(" (%s:%d)", r.New, line)
	}
	cites := func(sites []Site) {
		for _, s := range sites {
			p("    cited at %s\n", s)
		}
	}
	for _, a := range r.Algorithms {
		if a.Status == StatusUnchanged {
			continue
		}
		p("\n#%s: %s%s\n", a.Anchor, a.Status, at(a.Line))
		p("  title: %s\n", a.Title)
		for _, m := range a.Model {
			p("  model: %s\n", m)
		}
		if a.Status == StatusRemoved {
			p("  the anchor is not in %s\n", r.New)
			if a.Hint != "" {
				p("  hint: %s\n", a.Hint)
			}
			continue
		}
		if a.NewTitle != "" {
			p("  title changed: %s\n", a.NewTitle)
		}
		if a.Preamble != nil {
			p("  preamble (the prose before the steps) changed\n    now: %s\n", a.Preamble.Text)
		}
		for _, c := range a.Steps {
			switch c.Change {
			case ChangeChanged:
				if c.New != c.Old {
					p("  step %s changed, now step %s%s\n", c.Old, c.New, at(c.Line))
				} else {
					p("  step %s changed%s\n", c.Old, at(c.Line))
				}
				p("    now: %s\n", c.Text)
			case ChangeMoved:
				p("  step %s moved to %s%s\n", c.Old, c.New, at(c.Line))
			case ChangeAdded:
				p("  step %s added%s\n    text: %s\n", c.New, at(c.Line), c.Text)
			case ChangeRemoved:
				p("  step %s removed\n", c.Old)
			}
			cites(c.CitedBy)
		}
		for _, c := range a.Productions {
			switch c.Change {
			case ChangeRemoved:
				p("  production %s removed\n", c.Name)
			default:
				p("  production %s %s%s\n    now: %s\n", c.Name, c.Change, at(c.Line), c.Text)
			}
		}
	}
	s := r.Summary
	p("\nunchanged: %d of %d in-scope algorithms\n", s.Unchanged, s.InScope)
	if len(r.OnlyInNew) > 0 {
		p("\nalgorithms only in %s that may touch request matching:\n", r.New)
		for _, a := range r.OnlyInNew {
			p("  #%s  %s%s: %s\n", a.Anchor, a.Title, at(a.Line), a.Why)
		}
	}
	if len(r.OnlyInPinned) > 0 {
		p("\nalgorithms only in the pinned spec that may touch request matching:\n")
		for _, a := range r.OnlyInPinned {
			p("  #%s  %s: %s\n", a.Anchor, a.Title, a.Why)
		}
	}
	if !r.Changed {
		p("\nnothing in scope changed\n")
		return ew.err
	}
	p("\nsummary: %s changed and %d removed of %d in scope; steps: %d changed, %d moved, %d added, %d removed; %s; other algorithms: %d only in %s, %d only in the pinned spec\n",
		plural(s.Changed, "algorithm"), s.Removed, s.InScope, s.StepsChanged, s.StepsMoved, s.StepsAdded, s.StepsRemoved,
		plural(s.OtherTextChanges, "other text change"), s.OnlyInNew, r.New, s.OnlyInPinned)
	return ew.err
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
