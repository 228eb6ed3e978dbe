package citecheck

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"os"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/cspmodel/cspmodel/spec"
)

//go:embed doc.go
var doc string

// Analyzer checks spec citations; see the package documentation.
var Analyzer = &analysis.Analyzer{
	Name:             "citecheck",
	Doc:              analyzerDoc(),
	URL:              "https://pkg.go.dev/github.com/cspmodel/cspmodel/spec/citecheck",
	Run:              run,
	RunDespiteErrors: true,
}

var outlineFlag string

func init() {
	Analyzer.Flags.StringVar(&outlineFlag, "outline", "", "read the spec outline from this file instead of the embedded spec/outline.json")
}

// analyzerDoc extracts the text under "# Analyzer citecheck" from doc.go.
func analyzerDoc() string {
	const head = "// # Analyzer citecheck\n//\n// "
	i := strings.Index(doc, head)
	if i < 0 {
		return "citecheck: check spec citations against the pinned outline"
	}
	var b strings.Builder
	for _, line := range strings.Split(doc[i+len(head)-3:], "\n") {
		if !strings.HasPrefix(line, "//") {
			break
		}
		line = strings.TrimPrefix(strings.TrimPrefix(line, "//"), " ")
		if strings.HasPrefix(line, "Run it on the model") {
			break
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return strings.TrimPrefix(strings.TrimSpace(b.String()), "citecheck: ")
}

func loadOutline() (*spec.Outline, error) {
	if outlineFlag == "" {
		return spec.Pinned()
	}
	data, err := os.ReadFile(outlineFlag)
	if err != nil {
		return nil, err
	}
	return spec.ReadOutline(data)
}

func run(pass *analysis.Pass) (any, error) {
	o, err := loadOutline()
	if err != nil {
		return nil, fmt.Errorf("citecheck: %w", err)
	}
	Check(pass.Fset, pass.Files, o, func(pos token.Pos, msg string) {
		pass.Report(analysis.Diagnostic{Pos: pos, Message: msg})
	})
	return nil, nil
}

// Check runs the analyzer's checks on the files of one package, reporting
// each finding. It is exported so that tools without a *analysis.Pass (the
// audit, tests) share the same rules.
func Check(fset *token.FileSet, files []*ast.File, o *spec.Outline, report func(token.Pos, string)) {
	files = append([]*ast.File(nil), files...)
	sort.SliceStable(files, func(i, j int) bool {
		return fset.Position(files[i].Package).Filename < fset.Position(files[j].Package).Filename
	})

	type cited struct {
		first   token.Pos // Spec line of the first function citing the anchor
		covered map[string]bool
	}
	byAnchor := map[string]*cited{}
	var anchors []string // in order of first citation

	for _, file := range files {
		if strings.HasSuffix(fset.Position(file.Package).Filename, "_test.go") {
			continue // tests mention steps; they do not transcribe them
		}
		for _, ref := range spec.CrossReferences(file) {
			if a := o.Algorithm(ref.Anchor); a != nil && a.Step(ref.Step) == nil {
				report(ref.Pos, fmt.Sprintf("#%s has no step %s", ref.Anchor, ref.Step))
			}
		}
		for _, f := range spec.Funcs(file) {
			if f.External {
				continue
			}
			if f.Anchor == "" {
				for _, c := range f.Citations {
					if !c.Inline {
						report(c.Pos, fmt.Sprintf("%s cites step %s but has no \"Spec: #anchor\" line in its doc comment", f.Name, c))
						break
					}
				}
				continue
			}
			a := o.Algorithm(f.Anchor)
			if a == nil {
				if h := o.Other(f.Anchor); h != nil {
					report(f.SpecPos, fmt.Sprintf("#%s (%s) is outside the outline's scope: add it to spec/scope.go and regenerate spec/outline.json", f.Anchor, h.Title))
				} else {
					report(f.SpecPos, fmt.Sprintf("#%s is not an algorithm of the pinned spec (outline %.7s)", f.Anchor, o.Source.Commit))
				}
				continue
			}
			ci := byAnchor[f.Anchor]
			if ci == nil {
				ci = &cited{first: f.SpecPos, covered: map[string]bool{}}
				byAnchor[f.Anchor] = ci
				anchors = append(anchors, f.Anchor)
			}
			checkFunc(f, a, ci.covered, report)
		}
	}
	if len(anchors) == 0 {
		return
	}

	for _, name := range anchors {
		a, ci := o.Algorithm(name), byAnchor[name]
		for _, s := range a.Steps {
			if !ci.covered[s.Number] {
				report(ci.first, fmt.Sprintf("#%s step %s is not cited by any function", name, s.Number))
			}
		}
	}
	var pkgPos token.Pos
	for _, file := range files {
		if !strings.HasSuffix(fset.Position(file.Package).Filename, "_test.go") {
			pkgPos = file.Package
			break
		}
	}
	for _, a := range o.Algorithms {
		if byAnchor[a.Anchor] == nil {
			report(pkgPos, fmt.Sprintf("#%s (%s) is in scope but no function cites it", a.Anchor, a.Title))
		}
	}
}

// checkFunc checks one function's citations, references and traces, and
// records the steps it covers.
func checkFunc(f spec.Func, a *spec.Algorithm, covered map[string]bool, report func(token.Pos, string)) {
	if a.Kind == spec.KindGrammar {
		for _, c := range f.Citations {
			report(c.Pos, fmt.Sprintf("#%s is a grammar: it has no steps to cite", a.Anchor))
		}
		return
	}
	prev := ""
	var resolved [][]string
	for _, c := range f.Citations {
		steps, unknown := a.Resolve(c)
		resolved = append(resolved, steps)
		for _, u := range unknown {
			report(c.Pos, fmt.Sprintf("#%s has no step %s", a.Anchor, u))
		}
		for _, r := range c.Ranges {
			if a.StepIndex(r.From) >= 0 && a.StepIndex(r.To) >= 0 && spec.CompareSteps(r.To, r.From) < 0 {
				report(c.Pos, fmt.Sprintf("#%s steps %s: the range runs backwards", a.Anchor, r))
			}
		}
		for _, s := range steps {
			covered[s] = true
		}
		if len(c.Ranges) > 0 {
			first := c.Ranges[0].From
			if prev != "" && a.StepIndex(first) >= 0 && spec.CompareSteps(first, prev) < 0 {
				report(c.Pos, fmt.Sprintf("%s cites #%s step %s after step %s: cite steps in the spec's order", f.Name, a.Anchor, first, prev))
			}
			last := c.Ranges[len(c.Ranges)-1].To
			if a.StepIndex(last) >= 0 {
				prev = last
			}
		}
	}
	for _, r := range f.References {
		if a.Step(r.Step) == nil {
			report(r.Pos, fmt.Sprintf("#%s has no step %s", a.Anchor, r.Step))
		}
	}
	for _, t := range f.Traces {
		if t.Anchor != a.Anchor {
			continue
		}
		if a.Step(t.Step) == nil {
			report(t.Pos, fmt.Sprintf("trace names #%s step %s, which does not exist", a.Anchor, t.Step))
			continue
		}
		// The citation in force is the last one before the call.
		last := -1
		for i, c := range f.Citations {
			if c.Pos < t.Pos {
				last = i
			}
		}
		if last < 0 {
			report(t.Pos, fmt.Sprintf("trace names #%s step %s before any Step comment", a.Anchor, t.Step))
			continue
		}
		if !agrees(resolved[last], t.Step) {
			report(t.Pos, fmt.Sprintf("trace names #%s step %s but the comment above cites step %s", a.Anchor, t.Step, f.Citations[last]))
		}
	}
}

// agrees reports whether a trace of step may follow a comment citing
// steps: it is one of them, or an ancestor of one (a parent step's outcome
// traced after its last sub-step, as when no condition of a list holds).
func agrees(steps []string, step string) bool {
	for _, s := range steps {
		if s == step || strings.HasPrefix(s, step+".") {
			return true
		}
	}
	return false
}
