package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// An edit replaces the bytes [Start, End) of a file with New.
type edit struct {
	Start, End int
	New        string
}

// A Mutant is one planted change: a small set of edits to one file.
type Mutant struct {
	// ID names the mutant stably: file, function, operator and a hash of
	// the changed code (its context before and after). When the function
	// has several identical changes, the hash also covers the headers of
	// the statements around each (where) and, among those that still read
	// alike, their order. Edits elsewhere in the file leave it unchanged.
	ID   string `json:"id"`
	Pkg  string `json:"pkg"`  // the package directory, relative to the module root
	File string `json:"file"` // the file, relative to the module root
	Func string `json:"func"` // "(*T).m", "f", or "const x" / "var x" outside functions
	Op   string `json:"op"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
	// Orig and Mutated are the changed lines before and after, one string
	// each (several lines joined with "\n").
	Orig    string `json:"orig"`
	Mutated string `json:"mutated"`

	edits []edit
	where string // the headers of the statements around the change
	// place is what the ID's hash covers but the order: mutants with the
	// same place are told apart only by their order in the function.
	place string
}

// The operators. Each changes the meaning of working code in one of the
// ways a person slips: a comparison off by one, a test inverted, a
// constant off by one, a statement forgotten, a case lost.
var operators = []struct {
	name, doc string
	extra     bool // not in the default set
}{
	{"boundary", "relational boundary: < and <=, > and >= swapped", false},
	{"negate", "negated equality: == and != swapped", false},
	{"negate-order", "negated order: < and >=, > and <= swapped", true},
	{"logical", "&& and || swapped", false},
	{"not", "a negation ! removed", false},
	{"literal", "an integer constant one more or one less", false},
	{"char", "a character constant one more or one less", true},
	{"bool", "true and false swapped", false},
	{"arith", "+ and - swapped (also += and -=, ++ and --)", false},
	{"branch", "a continue or break removed", false},
	{"case-empty", "a switch case's body emptied", false},
	{"case-remove", "a switch case removed (its values go to default)", false},
	{"if-swap", "an if's two branches swapped", false},
	{"if-true", "an if's condition forced true", false},
	{"if-false", "an if's condition forced false", false},
	{"remove-assign", "an assignment or increment statement removed", false},
	{"remove-call", "a call statement removed", false},
}

// defaultOps is the default operator set: all but the extra ones, which
// mostly repeat what others find (an order negated is a boundary plus a
// forced condition; characters are mostly compared, where boundary and
// negate already change them) at a cost of thousands more mutants.
func defaultOps() map[string]bool {
	ops := map[string]bool{}
	for _, o := range operators {
		if !o.extra {
			ops[o.name] = true
		}
	}
	return ops
}

func knownOperator(name string) bool {
	for _, o := range operators {
		if o.name == name {
			return true
		}
	}
	return false
}

// mutator collects the mutants of one file.
type mutator struct {
	fset *token.FileSet
	file *token.File
	src  []byte
	rel  string // the file's path relative to the module root
	pkg  string
	ops  map[string]bool // nil: the default set
	// skip matches the calls left alone (the callee as written, such as
	// "tr.Step"): never removed, nothing in their arguments mutated.
	skip *regexp.Regexp

	scope    string     // the function or declaration being walked
	parents  []ast.Node // the walk's ancestors, innermost last
	visiting ast.Node   // the node being visited, whose ancestors parents holds
	out      []*Mutant
}

// mutateFile returns the mutants of one Go source file, in source order.
// rel is the file's path relative to the module root (slash-separated), pkg
// its package directory; ops are the operators (nil for the default set).
func mutateFile(rel, pkg string, src []byte, ops map[string]bool, skip *regexp.Regexp) ([]*Mutant, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, rel, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	if ops == nil {
		ops = defaultOps()
	}
	m := &mutator{fset: fset, file: fset.File(f.Pos()), src: src, rel: rel, pkg: pkg, ops: ops, skip: skip}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			m.scope = funcName(d)
			m.parents = m.parents[:0]
			if d.Body != nil {
				m.walk(d.Body)
			}
		case *ast.GenDecl:
			if d.Tok != token.CONST && d.Tok != token.VAR {
				continue
			}
			for _, s := range d.Specs {
				vs := s.(*ast.ValueSpec)
				var names []string
				for _, n := range vs.Names {
					names = append(names, n.Name)
				}
				m.scope = d.Tok.String() + " " + strings.Join(names, ",")
				for _, v := range vs.Values {
					m.parents = append(m.parents[:0], vs)
					m.walk(v)
				}
			}
		}
	}
	m.parents = nil
	return m.finish(), nil
}

// funcName is "f", "(T).m" or "(*T).m".
func funcName(d *ast.FuncDecl) string {
	if d.Recv == nil || len(d.Recv.List) == 0 {
		return d.Name.Name
	}
	t := d.Recv.List[0].Type
	star := ""
	if s, ok := t.(*ast.StarExpr); ok {
		star, t = "*", s.X
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	name := "?"
	if id, ok := t.(*ast.Ident); ok {
		name = id.Name
	}
	return "(" + star + name + ")." + d.Name.Name
}

func (m *mutator) walk(n ast.Node) {
	ast.Inspect(n, func(n ast.Node) bool {
		if n == nil {
			m.parents = m.parents[:len(m.parents)-1]
			return false
		}
		if m.skipped(n) {
			return false // no f(nil) follows: nothing to pop
		}
		m.visiting = n
		m.visit(n)
		m.parents = append(m.parents, n)
		return true
	})
}

// skipped reports whether n is a call left alone, or a statement that is
// one.
func (m *mutator) skipped(n ast.Node) bool {
	if m.skip == nil {
		return false
	}
	switch x := n.(type) {
	case *ast.ExprStmt:
		n = x.X
	case *ast.DeferStmt:
		n = x.Call
	}
	c, ok := n.(*ast.CallExpr)
	if !ok {
		return false
	}
	for {
		// defer tr.Enter(…)(): the callee of the callee.
		inner, ok := c.Fun.(*ast.CallExpr)
		if !ok {
			break
		}
		c = inner
	}
	return m.skip.MatchString(m.text(c.Fun))
}

func (m *mutator) on(op string) bool { return m.ops[op] }

func (m *mutator) off(p token.Pos) int { return m.file.Offset(p) }

func (m *mutator) text(n ast.Node) string {
	return string(m.src[m.off(n.Pos()):m.off(n.End())])
}

func (m *mutator) visit(n ast.Node) {
	switch n := n.(type) {
	case *ast.BinaryExpr:
		m.binary(n)
	case *ast.UnaryExpr:
		if n.Op == token.NOT && m.on("not") {
			m.add("not", n.Pos(), n, edit{m.off(n.OpPos), m.off(n.OpPos) + 1, ""})
		}
	case *ast.BasicLit:
		m.literal(n)
	case *ast.Ident:
		if (n.Name == "true" || n.Name == "false") && m.on("bool") && !m.isSelectorName(n) {
			flip := map[string]string{"true": "false", "false": "true"}[n.Name]
			m.add("bool", n.Pos(), n, edit{m.off(n.Pos()), m.off(n.End()), flip})
		}
	case *ast.AssignStmt:
		if m.on("arith") && (n.Tok == token.ADD_ASSIGN || n.Tok == token.SUB_ASSIGN) {
			to := map[token.Token]string{token.ADD_ASSIGN: "-=", token.SUB_ASSIGN: "+="}[n.Tok]
			m.add("arith", n.TokPos, n, edit{m.off(n.TokPos), m.off(n.TokPos) + 2, to})
		}
		if n.Tok != token.DEFINE && m.on("remove-assign") && m.inList(n) {
			m.add("remove-assign", n.Pos(), n, m.remove(n))
		}
	case *ast.IncDecStmt:
		if m.on("arith") {
			to := map[token.Token]string{token.INC: "--", token.DEC: "++"}[n.Tok]
			m.add("arith", n.TokPos, n, edit{m.off(n.TokPos), m.off(n.TokPos) + 2, to})
		}
		if m.on("remove-assign") && m.inList(n) {
			m.add("remove-assign", n.Pos(), n, m.remove(n))
		}
	case *ast.ExprStmt:
		if _, ok := n.X.(*ast.CallExpr); ok && m.on("remove-call") && m.inList(n) {
			m.add("remove-call", n.Pos(), n, m.remove(n))
		}
	case *ast.BranchStmt:
		if (n.Tok == token.CONTINUE || n.Tok == token.BREAK) && m.on("branch") && m.inList(n) {
			m.add("branch", n.Pos(), n, m.remove(n))
		}
	case *ast.IfStmt:
		m.ifStmt(n)
	case *ast.CaseClause:
		m.caseClause(n)
	}
}

var swaps = map[string]map[token.Token]token.Token{
	"boundary":     {token.LSS: token.LEQ, token.LEQ: token.LSS, token.GTR: token.GEQ, token.GEQ: token.GTR},
	"negate":       {token.EQL: token.NEQ, token.NEQ: token.EQL},
	"negate-order": {token.LSS: token.GEQ, token.GEQ: token.LSS, token.GTR: token.LEQ, token.LEQ: token.GTR},
	"logical":      {token.LAND: token.LOR, token.LOR: token.LAND},
	"arith":        {token.ADD: token.SUB, token.SUB: token.ADD},
}

func (m *mutator) binary(n *ast.BinaryExpr) {
	for _, op := range []string{"boundary", "negate", "negate-order", "logical", "arith"} {
		to, ok := swaps[op][n.Op]
		if !ok || !m.on(op) {
			continue
		}
		if op == "arith" && n.Op == token.ADD && (isString(n.X) || isString(n.Y)) {
			continue // string concatenation: "-" would not compile
		}
		p := m.off(n.OpPos)
		m.add(op, n.OpPos, n, edit{p, p + len(n.Op.String()), to.String()})
	}
}

func isString(e ast.Expr) bool {
	l, ok := e.(*ast.BasicLit)
	return ok && l.Kind == token.STRING
}

// isSelectorName reports whether id is the name after a dot (x.true is not
// the constant).
func (m *mutator) isSelectorName(id *ast.Ident) bool {
	if s, ok := m.parent().(*ast.SelectorExpr); ok {
		return s.Sel == id
	}
	return false
}

func (m *mutator) literal(n *ast.BasicLit) {
	op := map[token.Token]string{token.INT: "literal", token.CHAR: "char"}[n.Kind]
	if op == "" || !m.on(op) {
		return
	}
	type alt struct {
		text string
		dir  int
	}
	var alts []alt
	switch n.Kind {
	case token.INT:
		v, err := strconv.ParseUint(strings.ReplaceAll(n.Value, "_", ""), 0, 64)
		if err != nil {
			return
		}
		prefix, base := "", 10
		if len(n.Value) > 1 && n.Value[0] == '0' {
			switch n.Value[1] {
			case 'x', 'X':
				prefix, base = n.Value[:2], 16
			case 'b', 'B':
				prefix, base = n.Value[:2], 2
			case 'o', 'O':
				prefix, base = n.Value[:2], 8
			default:
				prefix, base = "0", 8
			}
		}
		format := func(u uint64) string { return prefix + strconv.FormatUint(u, base) }
		if v > 0 {
			alts = append(alts, alt{format(v - 1), -1})
		}
		if v < 1<<63 {
			alts = append(alts, alt{format(v + 1), +1})
		}
	case token.CHAR:
		r, _, _, err := strconv.UnquoteChar(n.Value[1:len(n.Value)-1], '\'')
		if err != nil {
			return
		}
		if r > 0 {
			alts = append(alts, alt{strconv.QuoteRune(r - 1), -1})
		}
		alts = append(alts, alt{strconv.QuoteRune(r + 1), +1})
	}
	// A size hint changes no behaviour: make's capacity, a map's size.
	if c, ok := m.parent().(*ast.CallExpr); ok && isIdent(c.Fun, "make") && len(c.Args) > 1 {
		_, isMap := c.Args[0].(*ast.MapType)
		if c.Args[len(c.Args)-1] == ast.Expr(n) && (len(c.Args) == 3 || isMap) {
			return
		}
	}
	// In an ordered comparison, one of the two is the boundary operator's
	// mutant under another name (x < n+1 is x <= n for integers): keep
	// only the other.
	redundant := map[token.Token]int{token.LSS: +1, token.LEQ: -1, token.GTR: -1, token.GEQ: +1}
	skipDir := 0
	if b, ok := m.parent().(*ast.BinaryExpr); ok && m.on("boundary") {
		if d, ok := redundant[b.Op]; ok {
			skipDir = d
			if b.X == ast.Expr(n) {
				skipDir = -d // n < x is x > n
			}
		}
	}
	for _, a := range alts {
		if a.dir != skipDir {
			m.add(op, n.Pos(), n, edit{m.off(n.Pos()), m.off(n.End()), a.text})
		}
	}
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

func (m *mutator) ifStmt(n *ast.IfStmt) {
	cond := m.text(n.Cond)
	for _, v := range []string{"true", "false"} {
		op := "if-" + v
		if !m.on(op) {
			continue
		}
		repl := v
		if n.Init != nil {
			// Keep the init statement's variables used, or the mutant
			// would not compile for a reason of its own.
			repl = map[string]string{"true": "true || ", "false": "false && "}[v] + "(" + cond + ")"
		}
		m.add(op, n.Cond.Pos(), n.Cond, edit{m.off(n.Cond.Pos()), m.off(n.Cond.End()), repl})
	}
	if n.Else != nil && m.on("if-swap") {
		body := m.text(n.Body)
		var els string
		switch e := n.Else.(type) {
		case *ast.BlockStmt:
			els = m.text(e)
		case *ast.IfStmt:
			els = "{\n" + m.text(e) + "\n}"
		}
		m.add("if-swap", n.Pos(), ifHeader{n, m}, edit{m.off(n.Body.Pos()), m.off(n.Body.End()), els},
			edit{m.off(n.Else.Pos()), m.off(n.Else.End()), body})
	}
}

// ifHeader stands for an if statement's condition and its else in a
// mutant's context, so that edits inside either branch leave the if-swap
// mutant's ID alone.
type ifHeader struct {
	n *ast.IfStmt
	m *mutator
}

func (h ifHeader) Pos() token.Pos { return h.n.Pos() }
func (h ifHeader) End() token.Pos { return h.n.Body.Lbrace }

func (m *mutator) caseClause(n *ast.CaseClause) {
	header := caseHeader{n}
	if len(n.Body) > 0 && m.on("case-empty") {
		m.add("case-empty", n.Pos(), header, edit{m.off(n.Colon) + 1, m.off(n.End()), ""})
	}
	if n.List != nil && m.on("case-remove") {
		m.add("case-remove", n.Pos(), header, m.remove(n))
	}
}

// caseHeader is a case clause up to its colon.
type caseHeader struct{ n *ast.CaseClause }

func (h caseHeader) Pos() token.Pos { return h.n.Pos() }
func (h caseHeader) End() token.Pos { return h.n.Colon + 1 }

func (m *mutator) parent() ast.Node {
	if len(m.parents) == 0 {
		return nil
	}
	return m.parents[len(m.parents)-1]
}

// inList reports whether the statement being visited stands in a statement
// list (a block or a case body), where removing it leaves valid syntax.
func (m *mutator) inList(ast.Stmt) bool {
	switch m.parent().(type) {
	case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
		return true
	}
	return false
}

// remove deletes a node, with the rest of its line when nothing else is on it.
func (m *mutator) remove(n ast.Node) edit {
	start, end := m.off(n.Pos()), m.off(n.End())
	ls := bytes.LastIndexByte(m.src[:start], '\n') + 1
	le := bytes.IndexByte(m.src[end:], '\n')
	if le >= 0 && len(bytes.TrimSpace(m.src[ls:start])) == 0 && len(bytes.TrimSpace(m.src[end:end+le])) == 0 {
		return edit{ls, end + le + 1, ""}
	}
	return edit{start, end, ""}
}

// context is the code a mutant's ID is computed from: the smallest
// enclosing simple statement, or the whole expression when it stands in a
// compound statement (an if's condition, a case's list).
func (m *mutator) context(n ast.Node) ast.Node {
	switch n.(type) {
	case ast.Expr:
	default:
		if s, ok := n.(*ast.BranchStmt); ok {
			return branchContext{s, m.enclosing()}
		}
		return n
	}
	ctx := n
	for i := len(m.parents) - 1; i >= 0; i-- {
		p := m.parents[i]
		switch p.(type) {
		case *ast.CompositeLit, *ast.FuncLit:
			return ctx
		case *ast.KeyValueExpr:
			return p
		case ast.Expr:
			ctx = p
			continue
		case *ast.AssignStmt, *ast.ExprStmt, *ast.ReturnStmt, *ast.IncDecStmt, *ast.SendStmt,
			*ast.ValueSpec, *ast.GoStmt, *ast.DeferStmt:
			return p
		}
		return ctx
	}
	return ctx
}

// enclosing is the innermost if, case, for or range around the node being
// visited.
func (m *mutator) enclosing() ast.Node {
	for i := len(m.parents) - 1; i >= 0; i-- {
		switch p := m.parents[i].(type) {
		case *ast.IfStmt:
			return ifHeader{p, m}
		case *ast.CaseClause:
			return caseHeader{p}
		case *ast.ForStmt:
			return nodeSpan{p.Pos(), p.Body.Lbrace}
		case *ast.RangeStmt:
			return nodeSpan{p.Pos(), p.Body.Lbrace}
		}
	}
	return nil
}

type nodeSpan struct{ pos, end token.Pos }

func (s nodeSpan) Pos() token.Pos { return s.pos }
func (s nodeSpan) End() token.Pos { return s.end }

// branchContext is a continue or break with the header of the statement it
// sits in.
type branchContext struct {
	s   *ast.BranchStmt
	hdr ast.Node
}

func (b branchContext) Pos() token.Pos { return b.s.Pos() }
func (b branchContext) End() token.Pos { return b.s.End() }

// add records a mutant made of edits, at pos, identified by ctx.
func (m *mutator) add(op string, pos token.Pos, at ast.Node, edits ...edit) {
	ctx := at
	switch at.(type) {
	case ifHeader, caseHeader:
	default:
		ctx = m.context(at)
	}
	var before, after string
	switch h := ctx.(type) {
	case ifHeader, caseHeader:
		// The header alone: edits inside the branches leave the ID alone.
		before = squash(m.src[m.off(h.Pos()):m.off(h.End())])
	case branchContext:
		b := h
		hdr := ""
		if b.hdr != nil {
			hdr = squash(m.src[m.off(b.hdr.Pos()):m.off(b.hdr.End())])
		}
		before, after = hdr+" { "+m.text(b.s)+" }", hdr+" { }"
	default:
		start, end := m.off(ctx.Pos()), m.off(ctx.End())
		for _, e := range edits {
			start, end = min(start, e.Start), max(end, e.End)
		}
		before = squash(m.src[start:end])
		after = squash(apply(m.src[start:end], shift(edits, start)))
	}
	p := m.fset.Position(pos)
	orig, mutated := m.lines(edits)
	m.out = append(m.out, &Mutant{
		Pkg: m.pkg, File: m.rel, Func: m.scope, Op: op, Line: p.Line, Col: p.Column,
		Orig: orig, Mutated: mutated, edits: edits, where: m.where(),
		ID: before + "\x00" + after, // replaced by finish
	})
}

// lines returns the source lines the edits touch, before and after.
func (m *mutator) lines(edits []edit) (string, string) {
	start, end := edits[0].Start, edits[0].End
	for _, e := range edits {
		start, end = min(start, e.Start), max(end, e.End)
	}
	ls := bytes.LastIndexByte(m.src[:start], '\n') + 1
	le := len(m.src)
	if end > ls && m.src[end-1] == '\n' {
		le = end // whole lines removed
	} else if i := bytes.IndexByte(m.src[end:], '\n'); i >= 0 {
		le = end + i
	}
	region := m.src[ls:le]
	after := apply(region, shift(edits, ls))
	return strings.TrimSuffix(string(region), "\n"), strings.TrimSuffix(string(after), "\n")
}

func shift(edits []edit, by int) []edit {
	out := make([]edit, len(edits))
	for i, e := range edits {
		out[i] = edit{e.Start - by, e.End - by, e.New}
	}
	return out
}

// apply returns src with the edits (non-overlapping, any order) made.
func apply(src []byte, edits []edit) []byte {
	es := append([]edit(nil), edits...)
	sort.Slice(es, func(i, j int) bool { return es[i].Start < es[j].Start })
	var b bytes.Buffer
	at := 0
	for _, e := range es {
		b.Write(src[at:e.Start])
		b.WriteString(e.New)
		at = e.End
	}
	b.Write(src[at:])
	return b.Bytes()
}

// squash collapses runs of white space, so that reformatting does not change
// an ID.
func squash(b []byte) string { return strings.Join(strings.Fields(string(b)), " ") }

// finish gives each mutant its ID. A change that is the only one of its
// kind in its function is named by itself. Identical changes are told
// apart by where they stand and then by their order; both go into the hash
// of each of them, so an identical change added or removed elsewhere in
// the function renames them (a listed ID that vanishes is caught by
// TestEquivalentsFile) rather than moving one's name to another, as a bare
// order would.
func (m *mutator) finish() []*Mutant {
	count := map[string]int{}
	for _, mu := range m.out {
		count[mu.Func+"\x00"+mu.Op+"\x00"+mu.ID]++
	}
	seen := map[string]int{}
	for _, mu := range m.out {
		key := mu.Func + "\x00" + mu.Op + "\x00" + mu.ID
		if count[key] > 1 {
			key += "\x00" + mu.where
		}
		n := seen[key]
		seen[key]++
		mu.place = key
		sum := sha256.Sum256([]byte(key + "\x00" + strconv.Itoa(n)))
		mu.ID = fmt.Sprintf("%s:%s:%s:%s", mu.File, mu.Func, mu.Op, hex.EncodeToString(sum[:4]))
	}
	return m.out
}

// where is the headers of the statements around the node being visited,
// outermost first: each if (and which of its branches holds the node),
// for, range, switch, select, case and function literal.
func (m *mutator) where() string {
	var b strings.Builder
	for i, p := range m.parents {
		child := m.visiting
		if i+1 < len(m.parents) {
			child = m.parents[i+1]
		}
		var hdr string
		switch p := p.(type) {
		case *ast.IfStmt:
			hdr = m.span(p.Pos(), p.Body.Lbrace)
			switch child {
			case p.Body:
				hdr += " then"
			case p.Else:
				hdr += " else"
			}
		case *ast.ForStmt:
			hdr = m.span(p.Pos(), p.Body.Lbrace)
		case *ast.RangeStmt:
			hdr = m.span(p.Pos(), p.Body.Lbrace)
		case *ast.SwitchStmt:
			hdr = m.span(p.Pos(), p.Body.Lbrace)
		case *ast.TypeSwitchStmt:
			hdr = m.span(p.Pos(), p.Body.Lbrace)
		case *ast.SelectStmt:
			hdr = "select"
		case *ast.CaseClause:
			hdr = m.span(p.Pos(), p.Colon+1)
		case *ast.CommClause:
			hdr = m.span(p.Pos(), p.Colon+1)
		case *ast.FuncLit:
			hdr = m.span(p.Pos(), p.Body.Lbrace)
		default:
			continue
		}
		b.WriteString(hdr)
		b.WriteString("\x00")
	}
	return b.String()
}

func (m *mutator) span(from, to token.Pos) string { return squash(m.src[m.off(from):m.off(to)]) }

// Source returns the file's text with the mutant planted.
func (mu *Mutant) Source(orig []byte) []byte { return apply(orig, mu.edits) }
