package spec

import (
	"bufio"
	"bytes"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// pinnedSpecPath is the pinned CSP3 source: $CSPMODEL_SPEC, or the shared
// copy beside the repository (../shared/spec/csp3-index.bs), which clean
// clones do not have.
func pinnedSpecPath() string {
	if p := os.Getenv("CSPMODEL_SPEC"); p != "" {
		return p
	}
	return filepath.Join("..", "..", "shared", "spec", "csp3-index.bs")
}

// TestOutlineMatchesPinnedSource regenerates the outline from the pinned
// source and compares it, byte for byte, with the committed
// spec/outline.json.
func TestOutlineMatchesPinnedSource(t *testing.T) {
	path := pinnedSpecPath()
	src, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Skipf("pinned spec source %s is absent (set CSPMODEL_SPEC to a CSP3 index.bs at the pinned commit to run this check)", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	pinned, err := Pinned()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(src)
	if err != nil {
		t.Fatalf("Parse(%s): %v", path, err)
	}
	if got.Source.SHA256 != pinned.Source.SHA256 {
		t.Fatalf("%s has sha256 %s, but spec/outline.json was made from %s (commit %s): not the pinned revision",
			path, got.Source.SHA256, pinned.Source.SHA256, pinned.Source.Commit)
	}
	got.Source.Commit = pinned.Source.Commit
	if want := PinnedJSON(); !bytes.Equal(got.Marshal(), want) {
		gotLines, wantLines := strings.Split(string(got.Marshal()), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gotLines) || i < len(wantLines); i++ {
			var g, w string
			if i < len(gotLines) {
				g = gotLines[i]
			}
			if i < len(wantLines) {
				w = wantLines[i]
			}
			if g != w {
				t.Errorf("spec/outline.json line %d:\n  committed:   %s\n  regenerated: %s", i+1, w, g)
				break
			}
		}
		t.Errorf("spec/outline.json is stale; regenerate it with\n  go run ./cmd/csp spec outline --spec %s --commit %s -o spec/outline.json", path, pinned.Source.Commit)
	}
}

// TestPinnedOutline checks the embedded outline itself: it covers the scope
// exactly, and agrees with PINNED.txt when that file is present.
func TestPinnedOutline(t *testing.T) {
	o, err := Pinned()
	if err != nil {
		t.Fatal(err)
	}
	var anchors []string
	for _, a := range o.Algorithms {
		anchors = append(anchors, a.Anchor)
		if want := IsGrammar(a.Anchor); want != (a.Kind == KindGrammar) {
			t.Errorf("#%s has kind %q", a.Anchor, a.Kind)
		}
		if a.Kind == KindGrammar && len(a.Productions) == 0 {
			t.Errorf("grammar #%s has no productions", a.Anchor)
		}
		for i, s := range a.Steps {
			if i > 0 && CompareSteps(a.Steps[i-1].Number, s.Number) >= 0 {
				t.Errorf("#%s: step %s follows %s", a.Anchor, s.Number, a.Steps[i-1].Number)
			}
		}
	}
	scope := Scope()
	slices.Sort(anchors)
	slices.Sort(scope)
	if !slices.Equal(anchors, scope) {
		t.Errorf("outline anchors %v\ndiffer from the scope %v", anchors, scope)
	}
	if len(o.Source.Commit) != 40 || len(o.Source.SHA256) != 64 {
		t.Errorf("outline source %+v lacks a full commit or sha256", o.Source)
	}

	f, err := os.Open(filepath.Join(filepath.Dir(pinnedSpecPath()), "PINNED.txt"))
	if err != nil {
		t.Logf("no PINNED.txt beside the pinned source: %v", err)
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		v = strings.TrimSpace(v)
		switch {
		case !ok:
		case k == "commit" && v != o.Source.Commit:
			t.Errorf("PINNED.txt names commit %s, the outline %s", v, o.Source.Commit)
		case k == "sha256 of the file" && v != o.Source.SHA256:
			t.Errorf("PINNED.txt names sha256 %s, the outline %s", v, o.Source.SHA256)
		}
	}
}

// TestScopeMatchesModel checks that Scope is exactly the set of CSP3
// anchors cited by "Spec: #anchor" lines of the model's functions.
func TestScopeMatchesModel(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "model", "*.go"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no model sources found: %v", err)
	}
	fset := token.NewFileSet()
	cited := map[string]bool{}
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, fn := range Funcs(f) {
			if fn.Anchor != "" {
				cited[fn.Anchor] = true
			}
		}
	}
	in := map[string]bool{}
	for _, a := range Scope() {
		in[a] = true
		if !cited[a] {
			t.Errorf("#%s is in spec/scope.go but no model function cites it: remove it", a)
		}
	}
	for a := range cited {
		if !in[a] {
			t.Errorf("model cites #%s, which spec/scope.go lacks: add it and regenerate spec/outline.json", a)
		}
	}
}

func TestReadOutlineErrors(t *testing.T) {
	for name, data := range map[string]string{
		"not JSON":       "{",
		"unknown field":  `{"format": "cspmodel-spec-outline/1", "extra": 1}`,
		"old format":     `{"format": "cspmodel-spec-outline/0"}`,
		"no anchor":      `{"format": "cspmodel-spec-outline/1", "algorithms": [{"anchor": ""}]}`,
		"twice":          `{"format": "cspmodel-spec-outline/1", "algorithms": [{"anchor": "a"}, {"anchor": "a"}]}`,
		"step no number": `{"format": "cspmodel-spec-outline/1", "algorithms": [{"anchor": "a", "steps": [{"fingerprint": "x"}]}]}`,
	} {
		if _, err := ReadOutline([]byte(data)); err == nil {
			t.Errorf("ReadOutline(%s) = nil error", name)
		}
	}
}

// TestMarshalRoundTrip checks that Marshal writes what ReadOutline reads.
func TestMarshalRoundTrip(t *testing.T) {
	o, err := Pinned()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ReadOutline(o.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(back.Marshal(), o.Marshal()) {
		t.Error("Marshal → ReadOutline → Marshal changed the outline")
	}
	if !bytes.Equal(o.Marshal(), PinnedJSON()) {
		t.Error("Marshal of the pinned outline differs from spec/outline.json: the file was not written by Marshal")
	}
}
