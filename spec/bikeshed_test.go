package spec

import (
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Let |x| be [=request/initiator=].", "Let x be initiator."},
		{"Let |x| be <a for=\"request\">initiator</a>.", "Let x be initiator."},
		{"Let |x|\n      be\t[=request/initiator=].  ", "Let x be initiator."},
		{"the {{URL/host}} and {{Window}}", "the host and Window"},
		{"[=strictly split a string|strictly splitting=] it", "strictly splitting it"},
		{"[=/URL=] and [[#match-paths]] and [[!SRI]]", "URL and #match-paths and [SRI]"},
		{"return \"`Matches`\"", "return \"Matches\""},
		{"a <!-- hidden\ncomment --> b", "a b"},
		{"&lt;script&gt; &amp; more", "<script> & more"},
		{"Return `<< \"a\", \"b\" >>`.", "Return << \"a\", \"b\" >>."},
		{"the <{base/href}> attribute of <var ignore>policy</var>", "the href attribute of policy"},
		{"|source list| and |CSP\n   list|", "source list and CSP list"},
	} {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if Fingerprint(Normalize("If |a| is [=b=]")) != Fingerprint(Normalize("If\n  <var>a</var> is <a>b</a>")) {
		t.Error("markup-only differences changed the fingerprint")
	}
	if len(Fingerprint("x")) != 16 {
		t.Errorf("Fingerprint is %d hex digits, want 16", len(Fingerprint("x")))
	}
}

// sample is a made-up Bikeshed source covering the shapes CSP3 uses.
const sample = `<h2 id="intro">Intro</h2>

  Some prose with a list that is not an algorithm:

  1.  first point
  2.  second point

  <h3 id="first-algo" algorithm>
    Frobnicate |thing|
  </h3>

  Given a [=thing=] |thing|, this algorithm returns a count.

  Note: this note is not part of the preamble.

  <ol class="algorithm">
    1.  Let |n| be 0.

    2.  <a for=list>For each</a> |part| of |thing|:

        1.  If |part| is odd, continue.

            Note: notes inside steps are left out.

        1.  Increment |n|.

            Otherwise, do nothing.

    3.  Switch on |thing|'s kind:

        : "` + "`round`" + `"
        ::
          1.  Return 1.
        : "` + "`square`" + `"
        ::
          1.  Return 4.

    4.  Return |n|.
  </ol>

  <div class="example">
    1.  An example list item that is not a step.
  </div>

  <h4 id="second-algo">Second</h4>

  1. Do a thing
     that wraps.

  Note: A note at the list's own indentation interrupts it.

  2. Do another thing:
      * a bullet
      * another bullet

     1. A sub-step.

  <h4 id="prose-only" algorithm>Prose only</h4>

  This algorithm returns the result of [[#first-algo]] on its input.

  <h4 id="a-grammar">Grammar</h4>

  <pre dfn-type="grammar">
    <dfn>rule-a</dfn> = "x" / <a>rule-b</a>
                / "y"
    ; a comment
    <dfn>rule-b</dfn> = 1*DIGIT
  </pre>
`

func TestParseDocument(t *testing.T) {
	doc, err := ParseDocument([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	type step struct{ num, text string }
	check := func(anchor string, want []step) {
		t.Helper()
		s := doc.Section(anchor)
		if s == nil {
			t.Fatalf("no section #%s", anchor)
		}
		var got []step
		for _, st := range s.Steps {
			got = append(got, step{st.Number, st.Text})
			if st.Fingerprint != Fingerprint(st.Text) {
				t.Errorf("#%s step %s: fingerprint %s is not that of its text", anchor, st.Number, st.Fingerprint)
			}
		}
		if len(got) != len(want) {
			t.Errorf("#%s: %d steps %q, want %d %q", anchor, len(got), got, len(want), want)
			return
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("#%s step %d = %q, want %q", anchor, i, got[i], want[i])
			}
		}
	}
	check("first-algo", []step{
		{"1", "Let n be 0."},
		{"2", "For each part of thing:"},
		{"2.1", "If part is odd, continue."},
		{"2.2", "Increment n. Otherwise, do nothing."},
		{"3", `Switch on thing's kind: : "round" :: 1. Return 1. : "square" :: 1. Return 4.`},
		{"4", "Return n."},
	})
	check("second-algo", []step{
		{"1", "Do a thing that wraps."},
		{"2", "Do another thing: * a bullet * another bullet"},
		{"2.1", "A sub-step."},
	})
	check("prose-only", nil)

	first := doc.Section("first-algo")
	if first.Title != "Frobnicate thing" || !first.Algorithm || first.Level != 3 || first.Line != 8 {
		t.Errorf("first-algo heading = %q algorithm=%v level=%d line=%d", first.Title, first.Algorithm, first.Level, first.Line)
	}
	if first.Preamble != "Given a thing thing, this algorithm returns a count." {
		t.Errorf("preamble = %q", first.Preamble)
	}
	if doc.Section("second-algo").Algorithm {
		t.Error("second-algo has no algorithm attribute")
	}
	if p := doc.Section("prose-only").Preamble; p != "This algorithm returns the result of #first-algo on its input." {
		t.Errorf("prose-only preamble = %q", p)
	}
	var prods []string
	for _, p := range doc.Section("a-grammar").Productions {
		prods = append(prods, p.Name+": "+p.Text)
	}
	if want := []string{`rule-a: rule-a = "x" / rule-b / "y"`, "rule-b: rule-b = 1*DIGIT"}; strings.Join(prods, "|") != strings.Join(want, "|") {
		t.Errorf("productions = %q, want %q", prods, want)
	}
}

// TestReflowKeepsFingerprints rewraps and re-marks-up the sample: every
// fingerprint must stay the same.
func TestReflowKeepsFingerprints(t *testing.T) {
	reflowed := strings.NewReplacer(
		"Given a [=thing=] |thing|, this algorithm returns a count.", "Given a <a>thing</a>\n  |thing|, this\n  algorithm returns a count.",
		"2.  <a for=list>For each</a> |part| of |thing|:", "2.  [=list/For each=]\n        |part| of |thing|:",
		"1. Do a thing\n     that wraps.", "1. Do a thing that wraps.",
	).Replace(sample)
	if reflowed == sample {
		t.Fatal("the replacer changed nothing")
	}
	a, _ := ParseDocument([]byte(sample))
	b, _ := ParseDocument([]byte(reflowed))
	for _, anchor := range []string{"first-algo", "second-algo"} {
		sa, sb := a.Section(anchor), b.Section(anchor)
		if Fingerprint(sa.Preamble) != Fingerprint(sb.Preamble) {
			t.Errorf("#%s preamble fingerprint changed: %q vs %q", anchor, sa.Preamble, sb.Preamble)
		}
		for i := range sa.Steps {
			if sa.Steps[i] != (Step{sb.Steps[i].Number, sb.Steps[i].Fingerprint, sb.Steps[i].Text, sa.Steps[i].Line}) {
				t.Errorf("#%s step %s changed: %q vs %q", anchor, sa.Steps[i].Number, sa.Steps[i].Text, sb.Steps[i].Text)
			}
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{"", "just text\n1. a list\n", "<h2>no id</h2>", "\x00\xff<h3 id=", "<h2 id=x>unterminated"} {
		if _, err := ParseDocument([]byte(in)); err == nil {
			t.Errorf("ParseDocument(%q) = nil error", in)
		}
	}
	if _, err := ParseScope([]byte(sample), []string{"first-algo", "missing-one"}); err == nil || !strings.Contains(err.Error(), "#missing-one") {
		t.Errorf("ParseScope with a missing anchor: error %v, want one naming #missing-one", err)
	}
}

func TestCompareSteps(t *testing.T) {
	order := []string{"1", "1.1", "1.1.1", "1.2", "2", "3", "3.9", "3.10", "10"}
	for i := range order {
		for j := range order {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := CompareSteps(order[i], order[j]); got != want {
				t.Errorf("CompareSteps(%s, %s) = %d, want %d", order[i], order[j], got, want)
			}
		}
	}
}

// FuzzParseDocument checks that no input makes the reader panic, and that
// step numbers always rise.
func FuzzParseDocument(f *testing.F) {
	f.Add(sample)
	f.Add("<h2 id=a algorithm>A</h2>\n1. x\n    1. y\n  1. z\n: d\n:: 1. e\n<pre>\nr = 1\n")
	f.Add("<h2 id=a>A</h2>\n<div class=note>\n1. x\n")
	f.Fuzz(func(t *testing.T, src string) {
		doc, err := ParseDocument([]byte(src))
		if err != nil {
			return
		}
		for _, s := range doc.Sections {
			for i := 1; i < len(s.Steps); i++ {
				if CompareSteps(s.Steps[i-1].Number, s.Steps[i].Number) >= 0 {
					t.Fatalf("#%s: step %s after %s", s.Anchor, s.Steps[i].Number, s.Steps[i-1].Number)
				}
			}
		}
	})
}

// TestDeepNesting checks that nesting deeper than maxDepth folds into the
// deepest step instead of numbering ever longer steps.
func TestDeepNesting(t *testing.T) {
	var b strings.Builder
	b.WriteString("<h2 id=deep algorithm>Deep</h2>\n")
	for k := 0; k < 200; k++ {
		b.WriteString(strings.Repeat("  ", k) + "1. x\n")
	}
	doc, err := ParseDocument([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	steps := doc.Section("deep").Steps
	if len(steps) != maxDepth {
		t.Fatalf("%d steps, want %d", len(steps), maxDepth)
	}
	if last := steps[len(steps)-1]; strings.Count(last.Number, ".") != maxDepth-1 || !strings.HasPrefix(last.Text, "x 1. x 1. x") {
		t.Errorf("deepest step %s: %.40q", last.Number, last.Text)
	}
}
