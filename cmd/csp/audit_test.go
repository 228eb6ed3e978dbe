package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/spec"
)

// Two revisions of a made-up spec: in the new one, step 2.2 is reworded and
// a step 3 is inserted before the last one.
const (
	auditOld = `<h2 id="matching">Matching</h2>

  <h3 id="match-widget" algorithm>Does |widget| match |list|?</h3>

  Given a |widget| and a |list|:

  1.  If |list| is empty, return "` + "`Does Not Match`" + `".

  2.  For each |item| of |list|:

      1.  If |item| is |widget|, return "` + "`Matches`" + `".

      2.  If |item| is "*", return "` + "`Matches`" + `".

  3.  Return "` + "`Does Not Match`" + `".
`
	auditModel = `package model

// MatchWidget reports whether widget is in list.
//
// Spec: #match-widget
func MatchWidget(widget string, list []string) bool {
	// Step 1
	if len(list) == 0 {
		return false
	}
	// Step 2
	for _, item := range list {
		// Step 2.1
		if item == widget {
			return true
		}
		// Steps 2.2-3 (no effect): the wildcard, and the end.
	}
	return false
}
`
)

var auditNew = strings.NewReplacer(
	`If |item| is "*"`, `If |item| is "*" or "**"`,
	"  3.  Return", "  3.  Log |widget|.\n\n  4.  Return",
).Replace(auditOld)

// auditSetup writes the revisions, an outline of the old one and the model
// into a temporary directory.
func auditSetup(t *testing.T) (dir string) {
	t.Helper()
	dir = t.TempDir()
	o, err := spec.ParseScope([]byte(auditOld), []string{"match-widget"})
	if err != nil {
		t.Fatal(err)
	}
	o.Source.Commit = "0123456789abcdef0123456789abcdef01234567"
	for name, data := range map[string]string{
		"old.bs":         auditOld,
		"new.bs":         auditNew,
		"outline.json":   string(o.Marshal()),
		"model/model.go": auditModel,
		"notspec.bs":     "just some text\n",
	} {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var reHashes = regexp.MustCompile(`sha256 [0-9a-f]{12}`)

func TestAuditReport(t *testing.T) {
	dir := auditSetup(t)
	newBS := filepath.Join(dir, "new.bs")
	out, errOut, code := runCLI(t, "", "audit", "--spec", newBS,
		"--outline", filepath.Join(dir, "outline.json"), "--model", filepath.Join(dir, "model"))
	if code != auditChanged {
		t.Fatalf("exit %d, want %d; stderr %s", code, auditChanged, errOut)
	}
	model := filepath.ToSlash(filepath.Join(dir, "model"))
	want := strings.NewReplacer("NEW", newBS, "MODEL", model).Replace(`pinned: w3c/webappsec-csp index.bs @ 0123456789ab (sha256 …)
new:    NEW (sha256 …)

#match-widget: changed (NEW:3)
  title: Does widget match list?
  model: MODEL/model.go:5 (MatchWidget)
  step 2.2 changed (NEW:13)
    now: If item is "*" or "**", return "Matches".
    cited at MODEL/model.go:17 (MatchWidget)
  step 3 added (NEW:15)
    text: Log widget.
  step 3 moved to 4 (NEW:17)
    cited at MODEL/model.go:17 (MatchWidget)

unchanged: 0 of 1 in-scope algorithms

summary: 1 algorithm changed and 0 removed of 1 in scope; steps: 1 changed, 1 moved, 1 added, 0 removed; 0 other text changes; other algorithms: 0 only in NEW, 0 only in the pinned spec
`)
	if got := reHashes.ReplaceAllString(out, "sha256 …"); got != want {
		t.Errorf("report mismatch\n--- want\n%s\n--- got\n%s", want, got)
	}

	// The same as JSON.
	out, _, code = runCLI(t, "", "audit", "--json", "--spec", newBS,
		"--outline", filepath.Join(dir, "outline.json"), "--model", filepath.Join(dir, "model"))
	if code != auditChanged {
		t.Fatalf("--json: exit %d", code)
	}
	var r spec.Report
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("--json output does not decode: %v\n%s", err, out)
	}
	if !r.Changed || len(r.Algorithms) != 1 || len(r.Algorithms[0].Steps) != 3 {
		t.Fatalf("--json report = %+v", r)
	}
	if s := r.Algorithms[0].Steps[0]; s.Change != spec.ChangeChanged || s.Old != "2.2" || s.Text != `If item is "*" or "**", return "Matches".` ||
		len(s.CitedBy) != 1 || s.CitedBy[0].Func != "MatchWidget" || s.CitedBy[0].Line != 17 {
		t.Errorf("first step change = %+v", s)
	}

	// The old revision against its own outline: nothing changed.
	out, errOut, code = runCLI(t, "", "audit", "--spec", filepath.Join(dir, "old.bs"),
		"--outline", filepath.Join(dir, "outline.json"), "--model", filepath.Join(dir, "model"))
	if code != auditSame || !strings.Contains(out, "nothing in scope changed") {
		t.Errorf("old against its own outline: exit %d\n%s%s", code, out, errOut)
	}
}

func TestAuditErrors(t *testing.T) {
	dir := auditSetup(t)
	outline := filepath.Join(dir, "outline.json")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no flags", nil, "--spec FILE is required"},
		{"stray argument", []string{"--spec", "x.bs", "extra"}, "takes no arguments"},
		{"unknown flag", []string{"--frobnicate"}, "flag provided but not defined"},
		{"missing spec", []string{"--spec", filepath.Join(dir, "absent.bs")}, "no such file"},
		{"not a spec", []string{"--spec", filepath.Join(dir, "notspec.bs"), "--outline", outline}, "not a Bikeshed source"},
		{"bad outline", []string{"--spec", filepath.Join(dir, "new.bs"), "--outline", filepath.Join(dir, "new.bs")}, "outline:"},
		{"bad model dir", []string{"--spec", filepath.Join(dir, "new.bs"), "--outline", outline, "--model", filepath.Join(dir, "absent")}, "no Go files"},
	} {
		out, errOut, code := runCLI(t, "", append([]string{"audit"}, tc.args...)...)
		if code != auditError || out != "" || !strings.Contains(errOut, tc.want) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit %d and stderr containing %q", tc.name, code, out, errOut, auditError, tc.want)
		}
	}
	if _, errOut, code := runCLI(t, "", "audit", "-h"); code != exitOK || !strings.Contains(errOut, "usage: csp audit") {
		t.Errorf("audit -h: exit %d, stderr %q", code, errOut)
	}
}

// sharedSpec is the pinned CSP3 source beside the repository, if present.
func sharedSpec(t *testing.T) string {
	t.Helper()
	path := os.Getenv("CSPMODEL_SPEC")
	if path == "" {
		path = filepath.Join("..", "..", "..", "shared", "spec", "csp3-index.bs")
	}
	if _, err := os.Stat(path); err != nil {
		t.Skipf("pinned spec source %s is absent (set CSPMODEL_SPEC to run this test)", path)
	}
	return path
}

// TestAuditPinned audits the pinned source with the built-in outline and
// the model found from the working directory: nothing changed.
func TestAuditPinned(t *testing.T) {
	path := sharedSpec(t)
	out, errOut, code := runCLI(t, "", "audit", "--spec", path)
	if code != auditSame {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "unchanged: 56 of 56") && !strings.Contains(out, "nothing in scope changed") {
		t.Errorf("unexpected report:\n%s", out)
	}
	if strings.Contains(out, "model/ not found") {
		t.Errorf("the model was not found from the working directory:\n%s", out)
	}
}

func TestSpecOutline(t *testing.T) {
	dir := auditSetup(t)
	// A source without the in-scope anchors cannot be outlined.
	_, errOut, code := runCLI(t, "", "spec", "outline", "--spec", filepath.Join(dir, "old.bs"))
	if code != exitInput || !strings.Contains(errOut, "lacks in-scope anchors") {
		t.Errorf("outline of a fixture: exit %d, stderr %q", code, errOut)
	}
	for _, args := range [][]string{{"spec"}, {"spec", "frob"}, {"spec", "outline"}, {"spec", "outline", "--spec", "a", "b"}, {"spec", "steps"}} {
		if _, _, code := runCLI(t, "", args...); code != exitUsage {
			t.Errorf("%q: exit %d, want %d", args, code, exitUsage)
		}
	}
	if _, errOut, code := runCLI(t, "", "spec", "outline", "--spec", filepath.Join(dir, "absent.bs")); code != exitInput {
		t.Errorf("missing file: exit %d, stderr %q", code, errOut)
	}

	out, _, code := runCLI(t, "", "spec", "steps", "--spec", filepath.Join(dir, "new.bs"), "--anchor", "#match-widget")
	if code != exitOK || !strings.Contains(out, "#match-widget  Does widget match list?") || !strings.Contains(out, "  2.2      ") {
		t.Errorf("spec steps: exit %d\n%s", code, out)
	}

	path := sharedSpec(t)
	target := filepath.Join(dir, "outline-regenerated.json")
	pinned, err := spec.Pinned()
	if err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := runCLI(t, "", "spec", "outline", "--spec", path, "--commit", pinned.Source.Commit, "-o", target); code != exitOK {
		t.Fatalf("spec outline: exit %d, stderr %s", code, errOut)
	}
	got, err := os.ReadFile(target)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, spec.PinnedJSON()) {
		t.Errorf("csp spec outline of %s differs from spec/outline.json: regenerate it", path)
	}
}
