package spec

import (
	"go/ast"
	"go/token"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// This file reads the model's citations from Go source. The forms, as
// model/doc.go and the house style describe them:
//
//   - A function's doc comment has a line "Spec: #anchor" (anything after the
//     anchor is ignored). "Spec: https://…" cites another standard: such
//     functions are out of scope and their comments are not read.
//   - In its body, a comment line that starts with "Step N", "Step N.M" or
//     "Steps N-M" (also "Steps N, M" and "Steps N and M") cites those steps,
//     optionally followed by a qualifier in parentheses and a colon:
//     "// Step 3.2 (assert): …". A sentence of any body comment may cite
//     more, and so may a parenthesis: "… the event. Steps 3.1-3.2 (no
//     effect) pick …", "… the wildcard (Step 2.2) …".
//   - A lowercase "step N" in a body comment refers to a step of the same
//     algorithm without citing it ("only ASCII tokens survive step 3.2"); it
//     must exist but does not count as a citation, so the order is not
//     checked. "#anchor step N" anywhere refers to a step of another
//     algorithm, and must exist when the anchor is in scope.
//   - A call x.Step(anchor, "N", …) (the model's trace) names the step it
//     traces; anchor is a string constant or literal.

// StepRange is one step, or an inclusive range of steps, cited at once.
type StepRange struct {
	From, To string // To == From for a single step
}

func (r StepRange) String() string {
	if r.From == r.To {
		return r.From
	}
	return r.From + "-" + r.To
}

// Citation is one "Step …" citation in a function body.
type Citation struct {
	Ranges    []StepRange
	Qualifier string // the text in parentheses after the numbers, if any
	Pos       token.Pos
	Inline    bool // in the middle of a comment line rather than at its start
}

// CoversSubsteps reports whether the citation's qualifier says the steps do
// nothing in the model ("no effect", "not modelled", "not reached"), in which
// case their sub-steps need no citations of their own.
func (c Citation) CoversSubsteps() bool {
	q := strings.ToLower(c.Qualifier)
	for _, w := range []string{"no effect", "not modelled", "not modeled", "not reached"} {
		if strings.Contains(q, w) {
			return true
		}
	}
	return false
}

func (c Citation) String() string {
	parts := make([]string, len(c.Ranges))
	for i, r := range c.Ranges {
		parts[i] = r.String()
	}
	return strings.Join(parts, ", ")
}

// Reference is a step named in a comment without citing it: "step 3.2" (of
// the function's own algorithm, Anchor empty) or "#anchor step 3.2".
type Reference struct {
	Anchor string
	Step   string
	Pos    token.Pos
}

// TraceCall is a call x.Step(anchor, "N", …).
type TraceCall struct {
	Anchor string // the constant's or literal's value; "" if unknown
	Step   string
	Pos    token.Pos
}

// Func is what one function declaration says about the spec.
type Func struct {
	Decl       *ast.FuncDecl
	Name       string    // "F", or "T.M" for a method
	Spec       string    // the token after "Spec:", "" if none
	SpecPos    token.Pos // of that token, or of the function name
	Anchor     string    // the cited CSP anchor without "#", "" if none
	External   bool      // Spec names another standard by URL
	Citations  []Citation
	References []Reference
	Traces     []TraceCall
}

var (
	stepNum      = `\d+(?:\.\d+)*`
	stepList     = stepNum + `(?:\s*[-–]\s*` + stepNum + `)?(?:\s*(?:,|and)\s*` + stepNum + `(?:\s*[-–]\s*` + stepNum + `)?)*`
	reCiteStart  = regexp.MustCompile(`^Steps?\s+(` + stepList + `)(?:\s*\(([^)]*)\))?(?:\s*:|\s|$)`)
	reCiteInline = regexp.MustCompile(`(?:[.;]\s+|\()Steps?\s+(` + stepList + `)(?:\s*\(([^)]*)\))?(?:\s*:|\s|$|[.,;)])`)
	reRangePart  = regexp.MustCompile(`(` + stepNum + `)(?:\s*[-–]\s*(` + stepNum + `))?`)
	reOwnRef     = regexp.MustCompile(`\bsteps?\s+(` + stepNum + `)(?:\s*[-–]\s*(` + stepNum + `))?`)
	reCrossRef   = regexp.MustCompile(`(?:^|[\s(])#([a-z0-9][a-z0-9-]*)\s+steps?\s+(` + stepNum + `)(?:\s*[-–]\s*(` + stepNum + `))?`)
	reSpecLine   = regexp.MustCompile(`^Spec:\s*(\S+)`)
)

// commentLines splits a comment into lines with the byte offset of each
// line's text within the file.
func commentLines(c *ast.Comment) (lines []string, offs []token.Pos) {
	text := c.Text
	base := c.Slash
	if strings.HasPrefix(text, "//") {
		body := text[2:]
		lead := len(body) - len(strings.TrimLeft(body, " \t"))
		return []string{strings.TrimRight(body[lead:], " \t")}, []token.Pos{base + token.Pos(2+lead)}
	}
	body := strings.TrimSuffix(strings.TrimPrefix(text, "/*"), "*/")
	off := 2
	for _, l := range strings.Split(body, "\n") {
		trimmed := strings.TrimLeft(l, " \t*")
		lead := len(l) - len(trimmed)
		lines = append(lines, strings.TrimRight(trimmed, " \t"))
		offs = append(offs, base+token.Pos(off+lead))
		off += len(l) + 1
	}
	return lines, offs
}

// parseRanges reads "3.4-3.5, 4" into ranges.
func parseRanges(list string) []StepRange {
	var out []StepRange
	for _, m := range reRangePart.FindAllStringSubmatch(list, -1) {
		r := StepRange{From: m[1], To: m[1]}
		if m[2] != "" {
			r.To = m[2]
		}
		out = append(out, r)
	}
	return out
}

// CitationsInLine returns the citations in one comment line whose text
// starts at pos.
func CitationsInLine(line string, pos token.Pos) []Citation {
	var out []Citation
	if m := reCiteStart.FindStringSubmatchIndex(line); m != nil {
		c := Citation{Ranges: parseRanges(line[m[2]:m[3]]), Pos: pos}
		if m[4] >= 0 {
			c.Qualifier = line[m[4]:m[5]]
		}
		out = append(out, c)
	}
	for _, m := range reCiteInline.FindAllStringSubmatchIndex(line, -1) {
		start := m[0] + strings.Index(line[m[0]:], "Step")
		c := Citation{Ranges: parseRanges(line[m[2]:m[3]]), Pos: pos + token.Pos(start), Inline: true}
		if m[4] >= 0 {
			c.Qualifier = line[m[4]:m[5]]
		}
		out = append(out, c)
	}
	return out
}

// ownReferences returns the lowercase "step N" references of a line that
// name a step of the function's own algorithm: not those after "#anchor",
// and not those after a capitalized word or a call ("Fetch step 7",
// "send() step 6"), which name another standard's algorithm.
func ownReferences(line string, pos token.Pos) []Reference {
	var out []Reference
	for _, m := range reOwnRef.FindAllStringSubmatchIndex(line, -1) {
		if words := strings.Fields(line[:m[0]]); len(words) > 0 {
			prev := words[len(words)-1]
			if strings.Contains(prev, "#") || strings.Contains(prev, "()") || startsUpper(strings.TrimLeft(prev, "(")) {
				continue
			}
		}
		out = append(out, Reference{Step: line[m[2]:m[3]], Pos: pos + token.Pos(m[2])})
		if m[4] >= 0 {
			out = append(out, Reference{Step: line[m[4]:m[5]], Pos: pos + token.Pos(m[4])})
		}
	}
	return out
}

func startsUpper(w string) bool {
	for _, r := range w {
		return unicode.IsUpper(r)
	}
	return false
}

// CrossReferences returns the "#anchor step N" references of every comment
// of the file.
func CrossReferences(file *ast.File) []Reference {
	var out []Reference
	for _, g := range file.Comments {
		for _, c := range g.List {
			lines, offs := commentLines(c)
			for i, line := range lines {
				for _, m := range reCrossRef.FindAllStringSubmatchIndex(line, -1) {
					anchor := line[m[2]:m[3]]
					out = append(out, Reference{Anchor: anchor, Step: line[m[4]:m[5]], Pos: offs[i] + token.Pos(m[4])})
					if m[6] >= 0 {
						out = append(out, Reference{Anchor: anchor, Step: line[m[6]:m[7]], Pos: offs[i] + token.Pos(m[6])})
					}
				}
			}
		}
	}
	return out
}

// Funcs reads every function declaration of a file parsed with comments.
func Funcs(file *ast.File) []Func {
	var out []Func
	for _, d := range file.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		f := Func{Decl: fd, Name: funcName(fd), SpecPos: fd.Name.Pos()}
		if fd.Doc != nil {
		doc:
			for _, c := range fd.Doc.List {
				lines, offs := commentLines(c)
				for i, line := range lines {
					if m := reSpecLine.FindStringSubmatchIndex(line); m != nil {
						f.Spec = line[m[2]:m[3]]
						f.SpecPos = offs[i] + token.Pos(m[2])
						break doc
					}
				}
			}
		}
		switch {
		case strings.HasPrefix(f.Spec, "#"):
			f.Anchor = strings.TrimRight(f.Spec[1:], ".,;:)")
		case f.Spec != "":
			f.External = true
		}
		if fd.Body != nil && !f.External {
			readBody(&f, file)
		}
		out = append(out, f)
	}
	return out
}

func funcName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
			continue
		case *ast.IndexExpr:
			t = x.X
			continue
		case *ast.IndexListExpr:
			t = x.X
			continue
		case *ast.Ident:
			return x.Name + "." + fd.Name.Name
		}
		return fd.Name.Name
	}
}

// readBody collects the citations, references and trace calls of a
// function body.
func readBody(f *Func, file *ast.File) {
	body := f.Decl.Body
	for _, g := range file.Comments {
		if g.Pos() < body.Lbrace || g.End() > body.Rbrace {
			continue
		}
		for _, c := range g.List {
			lines, offs := commentLines(c)
			for i, line := range lines {
				f.Citations = append(f.Citations, CitationsInLine(line, offs[i])...)
				if f.Anchor != "" {
					f.References = append(f.References, ownReferences(line, offs[i])...)
				}
			}
		}
	}
	consts := map[string]string{}
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.ValueSpec:
			for i, name := range x.Names {
				if i < len(x.Values) {
					if s, ok := stringLit(x.Values[i]); ok {
						consts[name.Name] = s
					}
				}
			}
		case *ast.CallExpr:
			sel, ok := x.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "Step" || len(x.Args) < 2 {
				return true
			}
			step, ok := stringLit(x.Args[1])
			if !ok || step == "" {
				return true
			}
			anchor := ""
			if s, ok := stringLit(x.Args[0]); ok {
				anchor = s
			} else if id, ok := x.Args[0].(*ast.Ident); ok {
				anchor = consts[id.Name]
			}
			f.Traces = append(f.Traces, TraceCall{Anchor: strings.TrimPrefix(anchor, "#"), Step: step, Pos: x.Args[1].Pos()})
		}
		return true
	})
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// Resolve returns the outline steps a citation covers, in order, and the
// cited numbers the algorithm does not have. A range covers every step
// from its first to its last number in the spec's order (sub-steps of the
// first included); a qualifier such as "(no effect)" also covers the last
// step's sub-steps.
func (a *Algorithm) Resolve(c Citation) (covered []string, unknown []string) {
	for _, r := range c.Ranges {
		from, to := a.StepIndex(r.From), a.StepIndex(r.To)
		if from < 0 {
			unknown = append(unknown, r.From)
		}
		if to < 0 && r.To != r.From {
			unknown = append(unknown, r.To)
		}
		if from < 0 || to < 0 || to < from {
			continue
		}
		last := to
		if c.CoversSubsteps() {
			prefix := a.Steps[to].Number + "."
			for last+1 < len(a.Steps) && strings.HasPrefix(a.Steps[last+1].Number, prefix) {
				last++
			}
		}
		for i := from; i <= last; i++ {
			covered = append(covered, a.Steps[i].Number)
		}
	}
	return covered, unknown
}
