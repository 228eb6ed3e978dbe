//go:build linux

package browser

import (
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/model"
)

func TestWithScriptNonce(t *testing.T) {
	const n = "script-src 'nonce-N'; script-src-elem 'nonce-N'; "
	for _, tc := range []struct {
		in   string
		meta bool
		want string
	}{
		{"connect-src 'self'", false, n + "connect-src 'self'"},
		{"script-src 'self'; connect-src *", false, n + "script-src 'self'; connect-src *"},
		{"connect-src a, connect-src b", false, n + "connect-src a, " + n + "connect-src b"},
		{"connect-src a, , connect-src b", false, n + "connect-src a, , " + n + "connect-src b"},
		{"connect-src a, connect-src b", true, n + "connect-src a, connect-src b"},
		{"", false, ""},
		{" ", true, " "},
	} {
		if got := withScriptNonce(tc.in, "N", tc.meta); got != tc.want {
			t.Errorf("withScriptNonce(%q, %v) = %q, want %q", tc.in, tc.meta, got, tc.want)
		}
	}
}

// TestWithScriptNonceKeepsConnections: the nonce never changes a verdict
// the tests look at.
func TestWithScriptNonceKeepsConnections(t *testing.T) {
	for _, c := range append(focusCases(), Generate(3, 300)...) {
		withNonce := c
		withNonce.Policies = nil
		for _, p := range c.Policies {
			p.Value = withScriptNonce(p.Value, "abc", p.Source == "meta")
			withNonce.Policies = append(withNonce.Policies, p)
		}
		if a, b := corpus.RunModel(c, nil).Verdict, corpus.RunModel(withNonce, nil).Verdict; a != b {
			t.Errorf("%s: the model says %s, and %s once the script nonce is added", c.ID, a, b)
		}
	}
}

func TestTagURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"http://example.com", "http://example.com/?__probe=p1"},
		{"https://example.com/a b?x=1#f", "https://example.com/a%20b?x=1&__probe=p1#f"},
		{"ws://EXAMPLE.com:80/", "ws://example.com/?__probe=p1"},
		{"http://example.com/?", "http://example.com/?__probe=p1"},
	} {
		got, err := tagURL(tc.in, "p1", 0)
		if err != nil || got != tc.want {
			t.Errorf("tagURL(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			continue
		}
		if p := probeOf(got); p != "p1" {
			t.Errorf("probeOf(%q) = %q", got, p)
		}
	}
	if got, _ := tagURL("http://a.example/x", "p2", 2); got != "http://a.example/x?__probe=p2&__hop=2" {
		t.Errorf("hop 2: %q", got)
	}
	if _, err := tagURL("not a url", "p", 0); err == nil {
		t.Error("tagURL accepted a relative URL")
	}
	for _, tc := range []struct{ in, want string }{
		{"http://example.com/?__probe=p1", "http://example.com/"},
		{"http://example.com/a?x=1&__probe=p1&__hop=2", "http://example.com/a?x=1"},
		{"http://example.com/a?__probe=p1&x=1#f", "http://example.com/a?x=1#f"},
		{"wss", "wss"},
		{"", ""},
	} {
		if got := untagURL(tc.in); got != tc.want {
			t.Errorf("untagURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestObserve(t *testing.T) {
	two := target{Probe: "p", Kind: "fetch", URLs: []string{"http://a.example/", "http://b.example/"}}
	enforce := []seenViolation{{Disposition: "enforce"}}
	report := []seenViolation{{Disposition: "report"}}
	for _, tc := range []struct {
		name     string
		a        *attemptResult
		arrivals []arrival
		want     string
	}{
		{"no report", nil, nil, Unknown},
		{"arrived", &attemptResult{Outcome: "load"}, []arrival{{Hop: 0}, {Hop: 1}}, Allowed},
		{"arrived, report-only event", &attemptResult{Outcome: "load", Violations: report}, []arrival{{Hop: 0}, {Hop: 1}}, Allowed},
		{"blocked at the redirect", &attemptResult{Outcome: "error", Violations: enforce}, []arrival{{Hop: 0}}, Blocked},
		{"blocked at once", &attemptResult{Outcome: "error", Violations: enforce}, nil, Blocked},
		{"both signals", &attemptResult{Outcome: "load", Violations: enforce}, []arrival{{Hop: 0}, {Hop: 1}}, Unknown},
		{"neither signal", &attemptResult{Outcome: "error"}, nil, NotSent},
		{"redirect not followed", &attemptResult{Outcome: "sent"}, []arrival{{Hop: 0}}, NotSent},
	} {
		o := observe(two, tc.a, tc.arrivals)
		if o.Verdict != tc.want {
			t.Errorf("%s: verdict %s, want %s", tc.name, o.Verdict, tc.want)
		}
		if (o.Verdict == Unknown || o.Verdict == NotSent) && o.Reason == "" {
			t.Errorf("%s: %s without a reason", tc.name, o.Verdict)
		}
	}
}

func TestPlanPages(t *testing.T) {
	var cases []browserCase
	for _, c := range Generate(2, 300) {
		bc, err := toBrowserCase(c)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, bc)
	}
	plans := planPages(cases, 10)
	n := 0
	for _, p := range plans {
		if len(p.cases) == 0 || len(p.cases) > 10 {
			t.Errorf("a page with %d cases", len(p.cases))
		}
		for _, c := range p.cases {
			if c.pageKey() != p.cases[0].pageKey() {
				t.Errorf("%s shares a page with %s but not its origin and policies", c.Case.ID, p.cases[0].Case.ID)
			}
		}
		n += len(p.cases)
	}
	if n != len(cases) {
		t.Errorf("the pages hold %d cases, want %d", n, len(cases))
	}
}

func TestToBrowserCase(t *testing.T) {
	image, script := "image", "script"
	ok := corpus.Case{ID: "ok", SelfOrigin: "https://example.com", Policies: []corpus.PolicyInput{header("connect-src 'self'")},
		Request: corpus.RequestInput{Kind: "websocket", URLList: []string{"https://example.com/chat"}}}
	if bc, err := toBrowserCase(ok); err != nil || bc.Origin != "https://example.com" || bc.Kind != "websocket" {
		t.Errorf("toBrowserCase(ok) = %+v, %v", bc, err)
	}
	img := ok
	img.Request = corpus.RequestInput{Destination: &image, URLList: []string{"https://example.com/a.gif"}}
	if bc, err := toBrowserCase(img); err != nil || bc.Kind != "image" {
		t.Errorf("an image: %+v, %v", bc, err)
	}
	for name, change := range map[string]func(c *corpus.Case){
		"script destination": func(c *corpus.Case) {
			c.Request = corpus.RequestInput{Destination: &script, URLList: c.Request.URLList}
		},
		"opaque origin": func(c *corpus.Case) { c.SelfOrigin = "null" },
		"ftp origin":    func(c *corpus.Case) { c.SelfOrigin = "ftp://example.com" },
		"bad origin":    func(c *corpus.Case) { c.SelfOrigin = "::" },
		"ws URL for fetch": func(c *corpus.Case) {
			c.Request = corpus.RequestInput{Kind: "fetch", URLList: []string{"wss://example.com/"}}
		},
		"data URL":           func(c *corpus.Case) { c.Request = corpus.RequestInput{Kind: "fetch", URLList: []string{"data:,x"}} },
		"sandbox":            func(c *corpus.Case) { c.Policies = []corpus.PolicyInput{header("sandbox; connect-src *")} },
		"form-action":        func(c *corpus.Case) { c.Policies = []corpus.PolicyInput{header("form-action 'none'")} },
		"no URL":             func(c *corpus.Case) { c.Request.URLList = nil },
		"no kind":            func(c *corpus.Case) { c.Request.Kind = "" },
		"unknown kind":       func(c *corpus.Case) { c.Request.Kind = "telepathy" },
		"WebSocket fragment": func(c *corpus.Case) { c.Request.URLList = []string{"wss://example.com/#f"} },
		"redirected WebSocket": func(c *corpus.Case) {
			c.Request.URLList = []string{"https://example.com/", "https://example.org/"}
		},
	} {
		c := ok
		c.Policies = append([]corpus.PolicyInput(nil), ok.Policies...)
		change(&c)
		if _, err := toBrowserCase(c); err == nil {
			t.Errorf("%s: a page can run it, want an error", name)
		}
	}
}

// TestNoPanics feeds the harness's pure functions odd inputs.
func TestNoPanics(t *testing.T) {
	odd := []string{"", ",", ";", " , ; ,", "'", "\x00", "%", "%zz", "?", "#", "?__probe=", "http://[", "ws://a/#",
		"script-src\tconnect-src", strings.Repeat("a,", 1000), "é", "\xff\xfe", "http://a.example/?__probe=x&__hop=99999999999999999999"}
	for _, s := range odd {
		withScriptNonce(s, "n", false)
		withScriptNonce(s, "n", true)
		untagURL(s)
		probeOf(s)
		tagURL(s, "p", 1)
		originsOf([]string{s})
		c := corpus.Case{ID: "odd", SelfOrigin: s, Policies: []corpus.PolicyInput{header(s)}, Request: corpus.RequestInput{Kind: "fetch", URLList: []string{s}}}
		toBrowserCase(c)
		c.SelfOrigin = "http://example.com"
		r := &row{Case: browserCase{Case: c}}
		for _, e := range engines {
			r.dialectOf(e.Name)
		}
		c.CheckCommand()
		code(s)
		anchor(s)
	}
	_ = model.Allowed
}
