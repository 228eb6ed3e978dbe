package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/fuzz"
)

// tree makes a module root holding a copy of the regressions archive.
func tree(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	data, err := os.ReadFile("../../corpus/regressions/fuzz.txtar")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "corpus", "regressions"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "corpus", "regressions", "fuzz.txtar"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

func write(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func tocase(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr strings.Builder
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestLibFuzzerCrashBecomesACase converts a crash file in libFuzzer's
// encoding: a WebTransport session that the policy blocks.
func TestLibFuzzerCrashBecomesACase(t *testing.T) {
	root := tree(t)
	target, _ := fuzz.TargetNamed("FuzzDecide")
	input := []any{"econnect-src https://example.com/\nrconnect-src 'none'", "https://example.com", "https://other.example/x", "", "", "", "webtransport", "", "", "", "3f5b8c1e\n9a0b"}
	raw, err := fuzz.EncodeLibFuzzer(target.Params, input)
	if err != nil {
		t.Fatal(err)
	}
	crash := write(t, t.TempDir(), "crash-0123abcd", raw)
	before, _ := os.ReadFile(filepath.Join(root, "corpus", "regressions", "fuzz.txtar"))

	code, _, stderr := tocase(t, "-root", root, "-target", "FuzzDecide", "-name", "webtransport-two-policies", crash)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	after, err := os.ReadFile(filepath.Join(root, "corpus", "regressions", "fuzz.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(after), strings.TrimRight(string(before), "\n")+"\n\n-- webtransport-two-policies --\n") {
		t.Fatalf("the case is not appended after the others:\n%s", after[len(before)-100:])
	}
	cases, err := corpus.ParseArchive("regressions/fuzz.txtar", after)
	if err != nil {
		t.Fatal(err)
	}
	c := cases[len(cases)-1]
	if c.ID != "regressions/fuzz/webtransport-two-policies" || !strings.Contains(c.Source, "FuzzDecide") || !strings.Contains(c.Source, "fuzz/testdata/fuzz/FuzzDecide/webtransport-two-policies") || !strings.Contains(c.Note, "confirm") {
		t.Errorf("case %s: source %q, note %q", c.ID, c.Source, c.Note)
	}
	if c.Expect.Verdict != "blocked" || len(c.Expect.Violations) != 2 || len(c.Request.WebTransportHashes) != 2 || c.Request.Mode != "webtransport" {
		t.Errorf("case: %+v, expect %+v", c.Request, c.Expect)
	}
	if diff := c.Check(corpus.RunModel(c, nil)); diff != "" {
		t.Errorf("the model does not meet the written case: %s", diff)
	}
	exact, err := os.ReadFile(filepath.Join(root, "fuzz", "testdata", "fuzz", "FuzzDecide", "webtransport-two-policies"))
	if err != nil {
		t.Fatal(err)
	}
	if back, err := fuzz.UnmarshalGoFuzz(target.Params, exact); err != nil || len(back) != 11 || back[10] != "3f5b8c1e\n9a0b" {
		t.Errorf("testdata file %q: %v", exact, err)
	}
	if !strings.Contains(stderr, "model and engine agree") {
		t.Errorf("stderr does not say whether the engine agrees: %s", stderr)
	}

	// The same name again is refused, and nothing changes.
	if code, _, stderr := tocase(t, "-root", root, "-target", "FuzzDecide", "-name", "webtransport-two-policies", crash); code != 1 || !strings.Contains(stderr, "already has a case") {
		t.Errorf("a second conversion under the same name: exit %d, %s", code, stderr)
	}
	if again, _ := os.ReadFile(filepath.Join(root, "corpus", "regressions", "fuzz.txtar")); string(again) != string(after) {
		t.Error("a refused conversion changed the archive")
	}
}

// TestGoFuzzFileBecomesACase converts a go test -fuzz file of
// FuzzSourceExpression, found by its directory, with -print.
func TestGoFuzzFileBecomesACase(t *testing.T) {
	root := tree(t)
	dir := filepath.Join(t.TempDir(), "testdata", "fuzz", "FuzzSourceExpression")
	file := write(t, dir, "0f1e2d3c", []byte("go test fuzz v1\nstring(\"*.example.com:*\")\nstring(\"https://a.example.com:8443/p\")\nstring(\"https://example.com\")\nbyte('\\x01')\nbyte('\\x05')\n"))
	code, stdout, stderr := tocase(t, "-root", root, "-name", "wildcard-any-port", "-print", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	cases, err := corpus.ParseArchive("x.txtar", []byte(stdout))
	if err != nil {
		t.Fatalf("%v:\n%s", err, stdout)
	}
	c := cases[0]
	if c.Policies[0].Value != "connect-src *.example.com:*" || c.Request.Kind != "fetch" || len(c.Request.URLList) != 2 || c.Expect.Verdict != "allowed" {
		t.Errorf("case %+v", c)
	}
	if _, err := os.Stat(filepath.Join(root, "fuzz")); err == nil {
		t.Error("-print wrote a testdata file")
	}
}

// TestRefusals: inputs that cannot become cases say why, and change nothing.
func TestRefusals(t *testing.T) {
	root := tree(t)
	target, _ := fuzz.TargetNamed("FuzzDecide")
	tmp := t.TempDir()
	n := 0
	enc := func(args ...any) string {
		raw, err := fuzz.EncodeLibFuzzer(target.Params, args)
		if err != nil {
			t.Fatal(err)
		}
		n++
		return write(t, tmp, fmt.Sprintf("crash-%d", n), raw)
	}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"too long a redirect chain", []string{"-target", "FuzzDecide", "-name", "x", enc("econnect-src *", "https://example.com", strings.Repeat("https://a.example/\n", 22)+"https://a.example/", "fetch", "", "", "", "", "", "", "")}, "model refuses"},
		{"a policy with a trailing space", []string{"-target", "FuzzDecide", "-name", "x", enc("econnect-src * ", "https://example.com", "https://a.example/", "fetch", "", "", "", "", "", "", "")}, "cannot be written as txtar"},
		{"a bad name", []string{"-target", "FuzzDecide", "-name", "Bad Name", enc("econnect-src *", "https://example.com", "https://a.example/", "fetch", "", "", "", "", "", "", "")}, "case name"},
		{"no such target", []string{"-target", "FuzzNothing", "-name", "x", enc("e", "", "u", "", "", "", "", "", "", "", "")}, "no fuzz target"},
		{"a short input", []string{"-target", "FuzzDecide", "-name", "x", write(t, tmp, "short", []byte("\x00\x00\x00\x05ab"))}, "not an input of FuzzDecide"},
		{"no target and no testdata directory", []string{"-name", "x", write(t, tmp, "crash-x", []byte("x"))}, "-target is needed"},
	} {
		code, _, stderr := tocase(t, append([]string{"-root", root}, c.args...)...)
		if code != 1 || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d, %q; want 1 and %q", c.name, code, stderr, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "fuzz")); err == nil {
		t.Error("a refused conversion wrote a testdata file")
	}
	if code, _, _ := tocase(t, "-name", "x"); code != 2 {
		t.Errorf("no FILE: exit %d, want 2", code)
	}
}

// TestDocumentInputsStayTestdata: FuzzParseDocument's inputs become
// testdata files only.
func TestDocumentInputsStayTestdata(t *testing.T) {
	root := tree(t)
	target, _ := fuzz.TargetNamed("FuzzParseDocument")
	raw, _ := fuzz.EncodeLibFuzzer(target.Params, []any{"<h2 id=a algorithm>A</h2>\n1. x\n"})
	crash := write(t, t.TempDir(), "crash-2", raw)
	code, _, stderr := tocase(t, "-root", root, "-target", "FuzzParseDocument", "-name", "one-step", crash)
	if code != 0 || !strings.Contains(stderr, "not a decision") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(root, "spec", "testdata", "fuzz", "FuzzParseDocument", "one-step")); err != nil {
		t.Error(err)
	}
}
