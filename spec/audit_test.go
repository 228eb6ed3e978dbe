package spec

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the want sections of testdata/audit/*.txtar")

// reHash hides the sources' hashes, which change with every fixture edit.
var reHash = regexp.MustCompile(`sha256 [0-9a-f]{12}`)

// auditFixture runs one testdata/audit archive: "scope" lists the anchors,
// "old.bs" becomes the outline, "new.bs" is audited against it, and
// "model.go" is the model whose citations the report names.
func auditFixture(t *testing.T, ar *txtar.Archive) (*Report, string) {
	t.Helper()
	files := map[string][]byte{}
	for _, f := range ar.Files {
		files[f.Name] = f.Data
	}
	for _, name := range []string{"scope", "old.bs", "new.bs", "model.go", "want"} {
		if _, ok := files[name]; !ok {
			t.Fatalf("archive lacks a %q section", name)
		}
	}
	o, err := ParseScope(files["old.bs"], strings.Fields(string(files["scope"])))
	if err != nil {
		t.Fatal(err)
	}
	o.Source.Commit = "fixture"
	// The outline goes through its JSON form, as the pinned one does.
	if o, err = ReadOutline(o.Marshal()); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "model.go"), files["model.go"], 0o644); err != nil {
		t.Fatal(err)
	}
	ix, err := IndexCitations(dir, "model")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Audit(o, files["new.bs"], "new.bs", ix)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	return r, reHash.ReplaceAllString(b.String(), "sha256 …")
}

// TestAuditFixtures checks the report of each testdata/audit archive
// exactly (hashes aside). Run with -update to rewrite the want sections,
// then read the diff.
func TestAuditFixtures(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "audit", "*.txtar"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no testdata/audit/*.txtar: %v", err)
	}
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			r, got := auditFixture(t, ar)
			var want *txtar.File
			for i := range ar.Files {
				if ar.Files[i].Name == "want" {
					want = &ar.Files[i]
				}
			}
			if *update {
				want.Data = []byte(got)
				if err := os.WriteFile(path, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != string(want.Data) {
				t.Errorf("%s: report mismatch\n--- want\n%s\n--- got\n%s", path, want.Data, got)
			}
			if strings.Contains(got, "nothing in scope changed") == r.Changed {
				t.Errorf("Changed = %v, but the text says otherwise", r.Changed)
			}
			// The JSON form decodes back to the same report.
			data, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			var back Report
			if err := json.Unmarshal(data, &back); err != nil {
				t.Fatal(err)
			}
			again, _ := json.Marshal(&back)
			if !bytes.Equal(data, again) {
				t.Errorf("JSON round trip changed the report:\n%s\n%s", data, again)
			}
		})
	}
}

// TestAuditPinnedIsUnchanged audits the pinned source against the pinned
// outline: nothing may change.
func TestAuditPinnedIsUnchanged(t *testing.T) {
	src, err := os.ReadFile(pinnedSpecPath())
	if os.IsNotExist(err) {
		t.Skipf("pinned spec source %s is absent (set CSPMODEL_SPEC)", pinnedSpecPath())
	}
	if err != nil {
		t.Fatal(err)
	}
	o, err := Pinned()
	if err != nil {
		t.Fatal(err)
	}
	ix, err := IndexCitations(filepath.Join("..", "model"), "model")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Audit(o, src, "index.bs", ix)
	if err != nil {
		t.Fatal(err)
	}
	if r.Changed || r.Summary.Unchanged != len(o.Algorithms) {
		var b bytes.Buffer
		r.WriteText(&b)
		t.Errorf("auditing the pinned source reports changes:\n%s", b.String())
	}
	for _, a := range r.Algorithms {
		if len(a.Model) == 0 {
			t.Errorf("#%s: no model function found citing it", a.Anchor)
		}
	}
}

func TestAuditBadInput(t *testing.T) {
	o, err := Pinned()
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{"", "not a spec at all", "\x00\x01\x02"} {
		if _, err := Audit(o, []byte(src), "bad.bs", nil); err == nil {
			t.Errorf("Audit(%q) = nil error", src)
		}
	}
	if _, err := Audit(nil, []byte("<h2 id=a>A</h2>"), "x", nil); err == nil {
		t.Error("Audit with no outline = nil error")
	}
	// A Bikeshed file without any in-scope anchor reports them all removed.
	r, err := Audit(o, []byte("<h2 id=other>Other</h2>\n1. a step\n"), "other.bs", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Changed || r.Summary.Removed != len(o.Algorithms) {
		t.Errorf("summary %+v, want every algorithm removed", r.Summary)
	}
}
