package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cspmodel/cspmodel/corpus"
)

// misbehave runs this test binary as an implementation that breaks the
// protocol or the spec in one way, named by role.
func misbehave(role string) int {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(nil, 1<<26)
	enc := json.NewEncoder(os.Stdout)
	n := 0
	for in.Scan() {
		n++
		c, err := corpus.DecodeCase(in.Bytes())
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		res := corpus.RunEngine(c)
		switch role {
		case "unsupported":
			// Cannot express WebSockets; wrong on ports 8080 elsewhere.
			if c.Request.Kind == "websocket" {
				res = corpus.Result{ID: c.ID, Unsupported: "no WebSocket API"}
			}
		case "uri":
			// With two policies it reports a wrong blocked URI and the right
			// verdict; with one it gets the verdict wrong. Shrinking a
			// blocked-URI difference by dropping a policy would turn it
			// into a verdict difference, which the minimizer must refuse.
			if res.Error == "" && len(c.Policies) == 2 && len(res.Violations) > 0 {
				res.Violations[0].BlockedURI += "#x"
			}
			if res.Error == "" && len(c.Policies) == 1 {
				res.Verdict = corpus.VerdictAllowed
			}
		case "garbage":
			fmt.Println("garbage")
			continue
		case "badverdict":
			if res.Verdict == corpus.VerdictAllowed {
				res.Verdict = "Allowed"
			}
		case "unknownid":
			res.ID = "not-" + res.ID
		case "fewer":
			if n > 1 {
				continue
			}
		case "dup":
			_ = enc.Encode(res)
		case "crash":
			if n == 2 {
				fmt.Fprintln(os.Stderr, "implementation fault on the second case")
				return 3
			}
		}
		if err := enc.Encode(res); err != nil {
			return 1
		}
	}
	return 0
}

func casesFile(t *testing.T, lines ...string) string {
	t.Helper()
	f := t.TempDir() + "/cases.jsonl"
	if err := os.WriteFile(f, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

const (
	caseFetchBlocked = `{"id":"fetch","policies":[{"value":"connect-src https://example.com"}],"self_origin":"https://example.com","request":{"kind":"fetch","url_list":["https://example.org/a"]}}`
	caseFetchAllowed = `{"id":"ok","policies":[{"value":"connect-src https://example.com"}],"self_origin":"https://example.com","request":{"kind":"fetch","url_list":["https://example.com/a"]}}`
	caseWebSocket    = `{"id":"ws","policies":[{"value":"connect-src https://example.com"}],"self_origin":"https://example.com","request":{"kind":"websocket","url_list":["wss://example.org/"]}}`
	caseTwoPolicies  = `{"id":"two","policies":[{"value":"connect-src https://example.com"},{"value":"img-src *"}],"self_origin":"https://example.com","request":{"kind":"fetch","url_list":["https://example.org/a?q=1"]}}`
)

// TestVectorsRunUnsupported: a result that says "unsupported" is counted
// apart, not minimized, and is not a disagreement.
func TestVectorsRunUnsupported(t *testing.T) {
	file := casesFile(t, caseFetchBlocked, caseWebSocket, caseFetchAllowed)
	out, errOut, code := runCLI(t, "", "vectors", "run", "--vectors", file, "--impl", self(t, "unsupported"))
	if code != runAgree {
		t.Fatalf("exit %d, want %d\n%s%s", code, runAgree, out, errOut)
	}
	for _, want := range []string{"cases: 3, agree: 2 (100.00% of 2 compared), disagree: 0, unsupported: 1", "1  no WebSocket API"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

// TestVectorsRunFieldsAndKind: --fields limits the comparison, the report
// names the field that differs, the label names the algorithm of that
// field, and minimizing keeps a blocked-URI difference a blocked-URI
// difference instead of shrinking it into a verdict difference.
func TestVectorsRunFieldsAndKind(t *testing.T) {
	file := casesFile(t, caseTwoPolicies)
	out, errOut, code := runCLI(t, "", "vectors", "run", "--json", "--vectors", file, "--impl", self(t, "uri"))
	if code != runDisagree {
		t.Fatalf("exit %d, want %d\n%s%s", code, runDisagree, out, errOut)
	}
	var rep runReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Disagreements) != 1 {
		t.Fatalf("disagreements: %+v", rep.Disagreements)
	}
	d := rep.Disagreements[0]
	if d.Kind != "blocked_uri" || len(d.Minimized.Policies) != 2 || d.Model.Verdict != d.Impl.Verdict {
		t.Errorf("kind %q, minimized to %d policies, verdicts %s/%s: the blocked-URI difference did not keep its kind", d.Kind, len(d.Minimized.Policies), d.Model.Verdict, d.Impl.Verdict)
	}
	if len(d.Minimized.Request.URLList) != 1 || strings.Contains(d.Minimized.Request.URLList[0], "?") {
		t.Errorf("not minimized as far as the kind allows: %+v", d.Minimized)
	}
	if !strings.HasPrefix(d.Rule, "violation blocked_uri: #obtain-violation-blocked-uri") {
		t.Errorf("rule %q, want the blocked URI's algorithm", d.Rule)
	}
	if len(d.Differences) != 1 || d.Differences[0].Field != "blocked_uri" || d.Differences[0].Violation != 0 {
		t.Errorf("differences %+v", d.Differences)
	}
	text, _, _ := runCLI(t, "", "vectors", "run", "--vectors", file, "--impl", self(t, "uri"))
	if !strings.Contains(text, "differs: violations[0].blocked_uri: model https://example.org/a, implementation https://example.org/a#x") {
		t.Errorf("the text report does not name the field:\n%s", text)
	}
	// Compared on the verdict and the directive only, they agree.
	out, errOut, code = runCLI(t, "", "vectors", "run", "--vectors", file, "--fields", "verdict,directive", "--impl", self(t, "uri"))
	if code != runAgree {
		t.Errorf("--fields verdict,directive: exit %d\n%s%s", code, out, errOut)
	}
	if _, errOut, code := runCLI(t, "", "vectors", "run", "--fields", "verdict,colour", "--impl", "true"); code != exitUsage || !strings.Contains(errOut, `unknown field "colour"`) {
		t.Errorf("--fields with an unknown field: exit %d, %s", code, errOut)
	}
}

// TestRuleOfNamesTheDecidingStep labels disagreements by the step that
// decided the model's verdict, not the deepest matching step the trace
// happens to show.
func TestRuleOfNamesTheDecidingStep(t *testing.T) {
	for _, tt := range []struct {
		c    string
		kind string
		want string
	}{
		// An IP-address host: no host-part can match it (#match-hosts
		// step 1); the first source also fails on its scheme.
		{`{"id":"ip","policies":[{"value":"connect-src wss://example.com 127.0.0.1"}],"self_origin":"https://example.com","request":{"kind":"fetch","url_list":["https://127.0.0.1/"]}}`, "verdict", "#match-hosts step 1"},
		// A non-ASCII source drops its whole directive, so default-src decides.
		{`{"id":"ascii","policies":[{"value":"default-src 'none'; connect-src * b\u00fccher.example"}],"self_origin":"https://example.com","request":{"kind":"fetch","url_list":["https://example.org/"]}}`, "verdict", "#parse-serialized-policy step 3.2"},
		{`{"id":"port","policies":[{"value":"connect-src https://example.com:8443"}],"self_origin":"https://example.com","request":{"kind":"fetch","url_list":["https://example.com/"]}}`, "verdict", "#match-ports step 6"},
		{`{"id":"self","policies":[{"value":"connect-src 'self'"}],"self_origin":"https://example.com","request":{"kind":"fetch","url_list":["https://example.org/"]}}`, "verdict", "#match-url-to-source-expression step 4"},
		{`{"id":"allowed","policies":[{"value":"connect-src https:"}],"self_origin":"https://example.com","request":{"kind":"fetch","url_list":["https://example.org/"]}}`, "verdict", "#match-url-to-source-expression step 2.2"},
		{`{"id":"none","policies":[{"value":"default-src 'none'"}],"self_origin":"https://example.com","request":{"kind":"xhr","url_list":["https://example.org/"]}}`, "verdict", "#match-url-to-source-list step 3"},
		{`{"id":"ed","policies":[{"value":"default-src 'none'"}],"self_origin":"https://example.com","request":{"destination":"image","url_list":["https://example.org/"]}}`, "effective_directive", "violation effective_directive: #effective-directive-for-a-request step 2"},
	} {
		c, err := corpus.DecodeCase([]byte(tt.c))
		if err != nil {
			t.Fatal(err)
		}
		if got := ruleOf(c, tt.kind); got != tt.want {
			t.Errorf("%s: rule %q, want %q", c.ID, got, tt.want)
		}
	}
}

// TestVectorsRunHarnessFailures: an implementation that crashes, exits
// non-zero, writes garbage, answers a case it was not given, writes a
// malformed verdict, answers twice or too few times makes the run exit 2,
// saying which, instead of counting disagreements.
func TestVectorsRunHarnessFailures(t *testing.T) {
	file := casesFile(t, caseFetchBlocked, caseFetchAllowed, caseWebSocket)
	for role, want := range map[string]string{
		"crash":      "exit status 3",
		"garbage":    `output line 1 is not a result`,
		"unknownid":  `answers case "not-fetch", which it was not given`,
		"badverdict": `verdict "Allowed" is not "allowed" or "blocked"`,
		"dup":        `answers case "fetch" a second time`,
		"fewer":      `too few lines: no result for case "ok"`,
	} {
		out, errOut, code := runCLI(t, "", "vectors", "run", "--vectors", file, "--impl", self(t, role))
		if code != runHarness || !strings.Contains(errOut, want) {
			t.Errorf("%s: exit %d, want %d with %q\nstdout: %s\nstderr: %s", role, code, runHarness, want, out, errOut)
		}
	}
	if _, errOut, _ := runCLI(t, "", "vectors", "run", "--vectors", file, "--impl", self(t, "crash")); !strings.Contains(errOut, "implementation fault on the second case") {
		t.Errorf("the implementation's standard error is not shown: %s", errOut)
	}
}

// TestVectorsRunStopsRunaways: --timeout kills the implementation and
// everything it started, and output that is not results stops the run at
// once, however much of it would follow.
func TestVectorsRunStopsRunaways(t *testing.T) {
	file := casesFile(t, caseFetchBlocked)
	for name, tt := range map[string]struct {
		impl, want string
		args       []string
	}{
		"sleeps":               {"sleep 1000", "killed after --timeout 1s", []string{"--timeout", "1s"}},
		"a child holds stdout": {"sleep 1000 & sleep 1000", "killed after --timeout 1s", []string{"--timeout", "1s"}},
		"endless garbage":      {"yes garbage", "output line 1 is not a result", nil},
		"one endless line":     {"cat /dev/zero", "output line 1: line too long", nil},
	} {
		done := make(chan struct{})
		var code int
		var errOut string
		go func() {
			defer close(done)
			args := append([]string{"vectors", "run", "--vectors", file, "--impl", tt.impl}, tt.args...)
			_, errOut, code = runCLI(t, "", args...)
		}()
		select {
		case <-done:
		case <-time.After(60 * time.Second):
			t.Fatalf("%s: csp vectors run did not stop", name)
		}
		if code != runHarness || !strings.Contains(errOut, tt.want) {
			t.Errorf("%s: exit %d, want %d with %q: %s", name, code, runHarness, tt.want, errOut)
		}
	}
}

// TestVectorsGenerateCount: --count is bounded and counts only generated
// cases; the corpus cases come first unless --no-corpus.
func TestVectorsGenerateCount(t *testing.T) {
	for _, n := range []string{"-1", "10000001", "100000000000"} {
		if _, errOut, code := runCLI(t, "", "vectors", "generate", "--count", n); code != exitUsage {
			t.Errorf("--count %s: exit %d (%s), want %d", n, code, errOut, exitUsage)
		}
	}
	out, _, code := runCLI(t, "", "vectors", "generate", "--count", "3", "--checks", "0", "--no-corpus")
	if code != exitOK || strings.Count(out, "\n") != 3 {
		t.Errorf("--count 3 --no-corpus wrote %d lines (exit %d)", strings.Count(out, "\n"), code)
	}
	cases, err := corpus.Load()
	if err != nil {
		t.Fatal(err)
	}
	out, _, _ = runCLI(t, "", "vectors", "generate", "--count", "3", "--checks", "0")
	if got := strings.Count(out, "\n"); got != len(cases)+3 {
		t.Errorf("--count 3 wrote %d lines, want %d corpus cases and 3", got, len(cases))
	}
	// --checks M writes M cases of each other check after the requests.
	for _, n := range []string{"-1", "1000001"} {
		if _, errOut, code := runCLI(t, "", "vectors", "generate", "--checks", n); code != exitUsage {
			t.Errorf("--checks %s: exit %d (%s), want %d", n, code, errOut, exitUsage)
		}
	}
	out, _, _ = runCLI(t, "", "vectors", "generate", "--count", "1", "--checks", "2", "--no-corpus")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1+2*(len(corpus.Checks)-1) {
		t.Fatalf("--count 1 --checks 2 wrote %d lines", len(lines))
	}
	for i, ck := range corpus.Checks[1:] {
		for j := 0; j < 2; j++ {
			c, err := corpus.DecodeCase([]byte(lines[1+2*i+j]))
			if err != nil || c.CheckName() != ck || c.ID != fmt.Sprintf("generated/%s/1/%d", ck, j) || c.Expect == nil {
				t.Errorf("line %d: %v %+v, want generated %s case %d", 2+2*i+j, err, c, ck, j)
			}
		}
	}
}

// TestExportedExpectationsAreComplete: every violation an exported or
// pinned case expects names its policy's text.
func TestExportedExpectationsAreComplete(t *testing.T) {
	out, _, code := runCLI(t, "", "vectors", "export")
	if code != exitOK {
		t.Fatal(code)
	}
	for name, data := range map[string]string{"export": out, "pinned": string(corpus.PinnedVectors)} {
		for i, line := range strings.Split(strings.TrimSpace(data), "\n") {
			c, err := corpus.DecodeCase([]byte(line))
			if err != nil {
				t.Fatal(err)
			}
			if c.Expect == nil {
				t.Errorf("%s line %d (%s): no expectation", name, i+1, c.ID)
				continue
			}
			if c.Expect.Verdict != corpus.VerdictError && c.Expect.Violations == nil {
				t.Errorf("%s line %d (%s): violations unsaid", name, i+1, c.ID)
			}
			for _, v := range c.Expect.Violations {
				if v.OriginalPolicy == "" {
					t.Errorf("%s line %d (%s): a violation without its original_policy", name, i+1, c.ID)
				}
			}
		}
	}
}

// TestCheckFlagsStrict: single-valued flags given twice, and values Fetch
// does not know, are usage errors.
func TestCheckFlagsStrict(t *testing.T) {
	base := []string{"check", "--policy", "connect-src 'none'", "--self-origin", "https://example.com"}
	for name, args := range map[string][]string{
		"--url twice":         {"--kind", "fetch", "--url", "https://a.example/", "--url", "https://b.example/"},
		"--kind twice":        {"--kind", "fetch", "--kind", "xhr", "--url", "https://a.example/"},
		"--self-origin twice": {"--self-origin", "https://b.example", "--kind", "fetch", "--url", "https://a.example/"},
		"unknown --mode":      {"--destination", "", "--mode", "corss", "--url", "https://a.example/"},
		"old spelling":        {"--destination", "script", "--parser-metadata", "not parser-inserted", "--url", "https://a.example/"},
		"unknown --initiator": {"--destination", "", "--initiator", "prefetch ", "--url", "https://a.example/"},
	} {
		if _, errOut, code := runCLI(t, "", append(append([]string(nil), base...), args...)...); code != exitUsage {
			t.Errorf("%s: exit %d (%s), want %d", name, code, errOut, exitUsage)
		}
	}
	if _, errOut, code := runCLI(t, "", append(base, "--destination", "", "--mode", "websocket", "--url", "https://a.example/")...); code != exitOK {
		t.Errorf("a valid --mode: exit %d (%s)", code, errOut)
	}
}

// TestWriteFailures: a write that fails (here to /dev/full) fails the
// command instead of exiting 0 with nothing written.
func TestWriteFailures(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skipf("no /dev/full here: %v", err)
	}
	defer full.Close()
	for name, args := range map[string][]string{
		"check":           {"check", "--policy", "connect-src 'none'", "--self-origin", "https://example.com", "--kind", "fetch", "--url", "https://a.example/"},
		"check --json":    {"check", "--json", "--policy", "connect-src 'none'", "--self-origin", "https://example.com", "--kind", "fetch", "--url", "https://a.example/"},
		"check --vectors": {"check", "--vectors", "-"},
		"export":          {"vectors", "export"},
		"generate":        {"vectors", "generate", "--count", "2"},
	} {
		var errOut strings.Builder
		code := run(args, strings.NewReader(caseFetchBlocked+"\n"), full, &errOut)
		if code == exitOK {
			t.Errorf("%s to /dev/full: exit 0", name)
		}
	}
}

// TestCheckVectorsHugeLine: a line over the 64 MiB limit gets an error
// result of its own, and the next line is still decided.
func TestCheckVectorsHugeLine(t *testing.T) {
	huge := io.MultiReader(strings.NewReader(`{"id":"huge","policies":[{"value":"connect-src `),
		io.LimitReader(repeat('a'), corpus.MaxLine), strings.NewReader("\"}]}\n"+caseFetchAllowed+"\n"))
	var out, errOut strings.Builder
	if code := run([]string{"check", "--vectors", "-"}, huge, &out, &errOut); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "line too long") || !strings.Contains(lines[1], `"id":"ok","verdict":"allowed"`) {
		t.Errorf("results:\n%s", out.String())
	}
}

type repeat byte

func (r repeat) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}
