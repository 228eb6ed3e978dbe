package spec

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Document is a Bikeshed source read into its sections: every <h2>…<h6>
// heading that has an id, with the numbered steps that follow it.
type Document struct {
	SHA256   string     // of the whole source file
	Sections []*Section // in document order
	byAnchor map[string]*Section
}

// Section is one heading of a Bikeshed source and what follows it up to the
// next heading.
type Section struct {
	Anchor    string // the heading's id, without "#"
	Title     string // the heading's text, normalized
	Level     int    // 2 for <h2>, …
	Algorithm bool   // the heading carries Bikeshed's "algorithm" attribute
	Line      int    // 1-based line of the heading

	// Preamble is the normalized prose before the first step (the
	// algorithm's parameters and result), or all the section's prose when
	// it has no steps. Notes and issues are left out.
	Preamble string
	// Steps are the numbered steps in document order (a pre-order walk:
	// "1", "1.1", "1.2", "2", …).
	Steps []Step
	// Productions are the grammar rules ("name = …") of the section's
	// <pre> blocks, in order.
	Productions []Production
}

// Step is one numbered step of an algorithm.
type Step struct {
	Number      string `json:"number"`      // "3.2.1"
	Fingerprint string `json:"fingerprint"` // of Text
	Text        string `json:"-"`           // normalized own text, without sub-steps
	Line        int    `json:"-"`           // 1-based line of its marker in the source
}

// Production is one grammar rule.
type Production struct {
	Name        string `json:"name"`
	Fingerprint string `json:"fingerprint"` // of Text
	Text        string `json:"-"`           // normalized "name = …"
	Line        int    `json:"-"`
}

// Section returns the section whose heading has the id anchor, or nil.
func (d *Document) Section(anchor string) *Section {
	return d.byAnchor[strings.TrimPrefix(anchor, "#")]
}

var (
	reHeading   = regexp.MustCompile(`(?is)<h([2-6])(\s[^>]*)?>(.*?)</h[2-6]\s*>`)
	reID        = regexp.MustCompile(`(?i)(?:^|\s)id\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))`)
	reAlgoAttr  = regexp.MustCompile(`(?i)(?:^|\s)algorithm(?:\s|=|$)`)
	reOrdered   = regexp.MustCompile(`^(\d+)\.(?:\s+|$)`)
	reNoteStart = regexp.MustCompile(`^(?i:note|issue|advisement)(?:\s*\([^)]*\))?\s*[:,]`)
	reSkipOpen  = regexp.MustCompile(`(?i)^<(div|p|aside|pre|xmp|details|blockquote)\b[^>]*\bclass\s*=\s*["']?[^"'>]*\b(note|example|issue|advisement)\b`)
	reProdStart = regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9'_-]*)\s*=/?\s*(.*)$`)
)

// maxDepth bounds step nesting ("1.2.3.…"): a list item deeper than this is
// text of its parent, so that hostile input cannot build huge step numbers.
// Specs nest four or five levels.
const maxDepth = 16

// ParseDocument reads a Bikeshed source. It fails only on input that has no
// heading with an id at all, which cannot be a spec.
func ParseDocument(src []byte) (*Document, error) {
	if len(src) == 0 {
		return nil, errors.New("empty source")
	}
	text := strings.ReplaceAll(string(src), "\r\n", "\n")
	doc := &Document{SHA256: fileSHA256(src), byAnchor: map[string]*Section{}}
	matches := reHeading.FindAllStringSubmatchIndex(text, -1)
	lineAt := newLineIndex(text)
	for i, m := range matches {
		attrs := ""
		if m[4] >= 0 {
			attrs = text[m[4]:m[5]]
		}
		level, _ := strconv.Atoi(text[m[2]:m[3]])
		sec := &Section{
			Title:     Normalize(text[m[6]:m[7]]),
			Level:     level,
			Algorithm: reAlgoAttr.MatchString(attrs),
			Line:      lineAt(m[0]),
		}
		if id := reID.FindStringSubmatch(attrs); id != nil {
			sec.Anchor = id[1] + id[2] + id[3]
		}
		end := len(text)
		if i+1 < len(matches) {
			end = matches[i+1][0]
		}
		parseBody(sec, text[m[1]:end], lineAt(m[1]))
		doc.Sections = append(doc.Sections, sec)
		if sec.Anchor != "" && doc.byAnchor[sec.Anchor] == nil {
			doc.byAnchor[sec.Anchor] = sec
		}
	}
	if len(doc.byAnchor) == 0 {
		return nil, errors.New("no <h2>…<h6> heading with an id: not a Bikeshed source")
	}
	return doc, nil
}

// newLineIndex returns a function from byte offset to 1-based line number.
func newLineIndex(text string) func(int) int {
	var starts []int
	starts = append(starts, 0)
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return func(off int) int {
		lo, hi := 0, len(starts)
		for hi-lo > 1 {
			mid := (lo + hi) / 2
			if starts[mid] <= off {
				lo = mid
			} else {
				hi = mid
			}
		}
		return lo + 1
	}
}

// node is a list item (or the section itself, at the root) while a body is
// read.
type node struct {
	lines        []string
	line         int
	markerIndent int
	absorb       bool // holds a definition list: deeper lines are its text
	children     []*node
}

// listLevel is one open list: its items are parent's children.
type listLevel struct {
	markerIndent int
	parent       *node
}

func (l *listLevel) current() *node { return l.parent.children[len(l.parent.children)-1] }

// asciiLower lowercases ASCII letters only, keeping byte offsets.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// indentOf counts leading blanks, a tab as four columns.
func indentOf(line string) int {
	n := 0
	for _, r := range line {
		switch r {
		case ' ':
			n++
		case '\t':
			n += 4
		default:
			return n
		}
	}
	return n
}

// parseBody reads the text between a heading and the next one. The rules
// follow Bikeshed's markdown as CSP3 uses it:
//
//   - "N." at the start of a line opens a list item; the number written is
//     ignored, items are numbered by position, as browsers render <ol>. An
//     item indented at least two columns deeper than the current one is its
//     sub-step; within one column it is a sibling.
//   - Other lines belong to the deepest open item they are indented under;
//     a line at or left of an item's marker closes that item's list. An item
//     whose list is interrupted (by a note at the list's indentation, say)
//     and then resumes keeps its numbering.
//   - Definition lists (": term" / ":: value", the shape of "Switch on …")
//     are text of the step that holds them, numbered lines inside included.
//   - Paragraphs that start with "Note:", "Issue:" or "Advisement:", and
//     note, example and issue blocks (<div class=note> …), are left out.
//   - <pre> content never opens a list item; "name = …" lines in it are
//     grammar productions.
func parseBody(sec *Section, body string, firstLine int) {
	root := &node{markerIndent: -1}
	var stack []*listLevel
	var preamble []string
	para := true    // the next text line starts a paragraph
	inNote := false // inside a note paragraph
	skipTag, skipDepth := "", 0
	inPre := false
	var prod *Production
	var prodLines []string
	flushProd := func() {
		if prod != nil {
			prod.Text = Normalize(strings.Join(prodLines, "\n"))
			prod.Fingerprint = Fingerprint(prod.Text)
			sec.Productions = append(sec.Productions, *prod)
			prod, prodLines = nil, nil
		}
	}
	target := func() *node {
		if len(stack) == 0 {
			return nil
		}
		return stack[len(stack)-1].current()
	}
	addText := func(line string) {
		if t := target(); t != nil {
			t.lines = append(t.lines, line)
		} else if len(root.children) == 0 {
			preamble = append(preamble, line)
		}
	}

	// <pre> content belongs to the step it sits in; outside steps it is
	// grammar or IDL, read as productions, not as preamble prose.
	addPre := func(line string) {
		if t := target(); t != nil {
			t.lines = append(t.lines, line)
		}
	}

	lines := strings.Split(body, "\n")
	for i, raw := range lines {
		lineNo := firstLine + i
		trimmed := strings.TrimSpace(raw)
		lower := asciiLower(trimmed)

		if skipDepth > 0 {
			skipDepth += strings.Count(lower, "<"+skipTag) - strings.Count(lower, "</"+skipTag)
			continue
		}
		if m := reSkipOpen.FindStringSubmatch(trimmed); m != nil {
			skipTag = strings.ToLower(m[1])
			skipDepth = strings.Count(lower, "<"+skipTag) - strings.Count(lower, "</"+skipTag)
			continue
		}

		if inPre {
			content := raw
			if j := strings.Index(lower, "</pre"); j >= 0 {
				inPre = false
				content = trimmed[:j]
			}
			grammarLine(content, lineNo, &prod, &prodLines, flushProd)
			if !inPre {
				flushProd()
			}
			addPre(raw)
			continue
		}
		if j := strings.Index(lower, "<pre"); j >= 0 {
			content := ""
			if k := strings.IndexByte(trimmed[j:], '>'); k >= 0 {
				content = trimmed[j+k+1:]
			}
			if e := strings.Index(asciiLower(content), "</pre"); e >= 0 {
				content = content[:e]
			} else {
				inPre = true
			}
			grammarLine(content, lineNo, &prod, &prodLines, flushProd)
			if !inPre {
				flushProd()
			}
			addPre(raw)
			continue
		}

		if trimmed == "" {
			para, inNote = true, false
			continue
		}
		indent := indentOf(raw)

		// A definition list swallows everything indented under its step.
		// Notes inside it are still left out.
		if holder := absorber(stack, indent); holder != nil {
			if reOrdered.MatchString(trimmed) || strings.HasPrefix(trimmed, ":") {
				para, inNote = false, false
			} else if para {
				inNote, para = reNoteStart.MatchString(trimmed), false
			}
			if !inNote {
				holder.lines = append(holder.lines, raw)
			}
			continue
		}

		if m := reOrdered.FindStringIndex(trimmed); m != nil && !(len(stack) >= maxDepth && indent > stack[len(stack)-1].markerIndent+1) {
			for len(stack) > 0 {
				top := stack[len(stack)-1]
				if indent > top.markerIndent+1 {
					stack = append(stack, &listLevel{markerIndent: indent, parent: top.current()})
					break
				}
				if indent >= top.markerIndent-1 {
					break
				}
				stack = stack[:len(stack)-1]
			}
			if len(stack) == 0 {
				stack = append(stack, &listLevel{markerIndent: indent, parent: root})
			}
			top := stack[len(stack)-1]
			item := &node{line: lineNo, markerIndent: indent, lines: []string{trimmed[m[1]:]}}
			top.parent.children = append(top.parent.children, item)
			para, inNote = false, false
			continue
		}

		for len(stack) > 0 && indent <= stack[len(stack)-1].markerIndent {
			stack = stack[:len(stack)-1]
		}
		if para {
			inNote = reNoteStart.MatchString(trimmed)
			para = false
		}
		if inNote {
			continue
		}
		if strings.HasPrefix(trimmed, ":") {
			if t := target(); t != nil {
				t.absorb = true
			}
		}
		addText(raw)
	}
	flushProd()

	sec.Preamble = Normalize(strings.Join(preamble, "\n"))
	var walk func(n *node, prefix string)
	walk = func(n *node, prefix string) {
		for i, c := range n.children {
			num := prefix + strconv.Itoa(i+1)
			text := Normalize(strings.Join(c.lines, "\n"))
			sec.Steps = append(sec.Steps, Step{Number: num, Fingerprint: Fingerprint(text), Text: text, Line: c.line})
			walk(c, num+".")
		}
	}
	walk(root, "")
}

// absorber returns the shallowest open step that holds a definition list
// and under which a line of this indentation falls, or nil.
func absorber(stack []*listLevel, indent int) *node {
	for _, lv := range stack {
		if cur := lv.current(); cur.absorb && indent > cur.markerIndent {
			return cur
		}
	}
	return nil
}

// grammarLine feeds one line of a <pre> block to the production reader.
func grammarLine(raw string, lineNo int, prod **Production, prodLines *[]string, flush func()) {
	plain := strings.TrimSpace(reTag.ReplaceAllString(raw, ""))
	switch {
	case plain == "":
		return
	case strings.HasPrefix(plain, ";"), reNoteStart.MatchString(plain):
		return
	}
	if m := reProdStart.FindStringSubmatch(plain); m != nil {
		flush()
		*prod = &Production{Name: m[1], Line: lineNo}
		*prodLines = []string{plain}
		return
	}
	if *prod != nil {
		*prodLines = append(*prodLines, plain)
	}
}

// stepNumberLess orders step numbers as the spec does: "3" < "3.1" < "3.2" <
// "4" < "10".
func stepNumberLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, errX := strconv.Atoi(as[i])
		y, errY := strconv.Atoi(bs[i])
		if errX != nil || errY != nil {
			if as[i] != bs[i] {
				return as[i] < bs[i]
			}
			continue
		}
		if x != y {
			return x < y
		}
	}
	return len(as) < len(bs)
}

// CompareSteps returns -1, 0 or +1 as step number a comes before, is, or
// comes after b in the spec's order.
func CompareSteps(a, b string) int {
	switch {
	case a == b:
		return 0
	case stepNumberLess(a, b):
		return -1
	default:
		return 1
	}
}

func (s *Section) String() string { return fmt.Sprintf("#%s (%s)", s.Anchor, s.Title) }
