package model

import (
	"strings"
	"testing"
)

// The trace says which steps ran. Step 3.6 of
// #match-url-to-source-expression concerns a host-source's path-part: it
// is recorded (matched, or ignored after a redirect) only for a host-source
// that has one; a host-source without a path-part goes from its port
// (3.5) to "Matches" (3.7) with no word about a path.
func TestHostSourceTraceNamesThePathStepOnlyWithAPath(t *testing.T) {
	self := origin(t, "https://self.example")
	for _, tt := range []struct {
		expr      string
		url       string
		redirects int
		want      []string // the 3.6 steps recorded, in order
	}{
		{"example.com", "https://example.com/a", 0, nil},
		{"example.com", "https://example.com/a", 1, nil},
		{"https://example.com:443", "https://example.com/a", 3, nil},
		{"*.example.com", "https://a.example.com/", 1, nil},
		{"example.com/a", "https://example.com/b", 1, []string{"3.6"}},
		{"example.com/", "https://example.com/b", 2, []string{"3.6"}},
		{"example.com/a", "https://example.com/b", 0, []string{"3.6.2"}},
		{"example.com/a", "https://example.com/a", 0, nil}, // matched: 3.6.2 is the mismatch's step
	} {
		var tr Trace
		MatchURLToSourceExpression(MustParseURL(tt.url), tt.expr, self, tt.redirects, &tr)
		var got []string
		for _, s := range tr.Steps {
			if s.Anchor == "match-url-to-source-expression" && strings.HasPrefix(s.Step, "3.6") {
				got = append(got, s.Step)
			}
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%q against %s after %d redirects: 3.6 steps %q, want %q\n%s", tt.expr, tt.url, tt.redirects, got, tt.want, tr.String())
		}
	}
}

// #effective-directive-for-a-request step 2 names every destination of its
// switch, json, text and webidentity included; only a destination it does
// not name (document, or one Fetch adds later) reaches step 3's connect-src.
// The directive is the same either way for json, text and webidentity, so
// the trace is what tells the two steps apart.
func TestEffectiveDirectiveTraceNamesTheStep(t *testing.T) {
	stepTwo := map[string]string{
		"": "connect-src", "manifest": "manifest-src", "object": "object-src", "embed": "object-src",
		"frame": "frame-src", "iframe": "frame-src", "audio": "media-src", "track": "media-src",
		"video": "media-src", "font": "font-src", "image": "img-src", "style": "style-src-elem",
		"script": "script-src-elem", "xslt": "script-src-elem", "audioworklet": "script-src-elem",
		"paintworklet": "script-src-elem", "serviceworker": "worker-src", "sharedworker": "worker-src",
		"worker": "worker-src", "json": "connect-src", "text": "connect-src", "webidentity": "connect-src",
		"report": "",
	}
	for _, d := range []string{"", "audio", "audioworklet", "document", "embed", "font", "frame", "iframe",
		"image", "json", "manifest", "object", "paintworklet", "report", "script", "serviceworker",
		"sharedworker", "style", "text", "track", "video", "webidentity", "worker", "xslt", "future"} {
		var tr Trace
		got := EffectiveDirectiveForRequest(&Request{Destination: d}, &tr)
		want, named := stepTwo[d]
		step := "2"
		if !named {
			want, step = "connect-src", "3"
		}
		var steps []string
		for _, s := range tr.Steps {
			if s.Anchor == "effective-directive-for-a-request" && s.Step != "" {
				steps = append(steps, s.Step)
			}
		}
		if got != want || strings.Join(steps, ",") != step {
			t.Errorf("destination %q: %q after steps %q, want %q after step %s", d, got, steps, want, step)
		}
	}
}

// TestRedirectTraceNamesEveryHop: DecideRequest runs main fetch again for
// each redirect, and says so once per hop after the first, naming the
// redirect's number and its target.
func TestRedirectTraceNamesEveryHop(t *testing.T) {
	self := origin(t, "https://example.com")
	env := Environment{CSPList: NewCSPList([]PolicyDelivery{{Value: "connect-src https:"}}, self, nil)}
	for hops := 1; hops <= 4; hops++ {
		var list []URL
		var want []string
		for i := range hops {
			u, err := ParseURL("https://h" + strings.Repeat("x", i) + ".example/")
			if err != nil {
				t.Fatal(err)
			}
			list = append(list, u)
			if i > 0 {
				want = append(want, "redirect "+string(rune('0'+i))+" to "+u.String())
			}
		}
		var tr Trace
		d, err := DecideRequest(env, Request{URLList: list, Mode: "cors"}, &tr)
		if err != nil || d.Verdict != Allowed {
			t.Fatalf("%d hops: %v, %v", hops, d.Verdict, err)
		}
		var got []string
		for _, s := range tr.Steps {
			if s.Anchor == "fetch#http-redirect-fetch" && s.Step == "22" {
				got = append(got, s.Note)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("%d hops: redirect steps %q, want %q", hops, got, want)
		}
		for i := range got {
			if !strings.HasPrefix(got[i], want[i]) {
				t.Errorf("%d hops: step %q, want it to start %q", hops, got[i], want[i])
			}
		}
	}
}

// TestTraceStringIndentsByDepth renders a trace of a decision: each step
// is a line, indented two spaces for each algorithm it runs inside (its
// Depth), so that a reader of `csp check --trace` sees which algorithm
// called which.
func TestTraceStringIndentsByDepth(t *testing.T) {
	self := origin(t, "https://example.com")
	list := NewCSPList([]PolicyDelivery{{Value: "connect-src 'self'"}}, self, nil)
	req, err := NewWebSocketRequest("wss://example.com/chat")
	if err != nil {
		t.Fatal(err)
	}
	var tr Trace
	if _, err := Decide(list, req, &tr); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(tr.String(), "\n"), "\n")
	if len(lines) != len(tr.Steps) {
		t.Fatalf("%d lines for %d steps:\n%s", len(lines), len(tr.Steps), tr.String())
	}
	deep := 0
	for i, s := range tr.Steps {
		indent := strings.Repeat("  ", s.Depth)
		if !strings.HasPrefix(lines[i], indent+"#"+s.Anchor) {
			t.Fatalf("line %d, of depth %d, is %q; want it indented by %q and then #%s", i, s.Depth, lines[i], indent, s.Anchor)
		}
		deep = max(deep, s.Depth)
	}
	if deep < 2 {
		t.Fatalf("the trace's steps reach depth %d only; the test needs nested algorithms", deep)
	}
}
