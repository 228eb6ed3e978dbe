//go:build linux

package browser

import (
	"reflect"
	"testing"

	"github.com/cspmodel/cspmodel/corpus"
)

// TestRewrites: each rule, alone, turns the model's verdict on its own
// example into the engines' verdict, and explain names exactly that rule.
func TestRewrites(t *testing.T) {
	for _, tc := range []struct {
		rule string
		c    corpus.Case
		want string // the engines' verdict
	}{
		{"websocket-url-as-given", focusCase(pageH, hdrs("connect-src https://example.org"), "websocket", "wss://example.org/"), Blocked},
		{"websocket-url-as-given", focusCase(pageH, hdrs("connect-src http:"), "websocket", "http://example.org/"), Blocked},
		{"ip-hosts-match", focusCase(pageH, hdrs("connect-src http://127.0.0.1"), "fetch", "http://127.0.0.1/"), Allowed},
		{"ip-hosts-match", focusCase(pageIP, hdrs("connect-src http://*:8080"), "xhr", "http://127.0.0.1:8080/"), Allowed},
		{"ws-schemes-only-for-websockets", focusCase(pageH, hdrs("connect-src ws:"), "fetch", "http://example.org/"), Blocked},
		{"ws-schemes-only-for-websockets", focusCase(pageH, hdrs("connect-src wss://example.org"), "beacon", "https://example.org/"), Blocked},
		{"port-80-matches-443", focusCase(pageH, hdrs("connect-src http://example.org:80"), "fetch", "https://example.org/"), Allowed},
		{"missing-port-is-scheme-default", focusCase(pageH, hdrs("connect-src example.com"), "beacon", "https://example.com:80/"), Allowed},
		{"self-compares-port-numbers", focusCase(pageH80, hdrs("connect-src 'self'"), "eventsource", "https://example.com:80/"), Allowed},
		{"meta-content-split-on-commas", focusCase(pageH, []corpus.PolicyInput{meta("connect-src 'none', connect-src 'self'")}, "fetch", pageH+"/"), Blocked},
		{"source-query-ignored", focusCase(pageS, hdrs("connect-src https://example.org/api?x=1"), "fetch", "https://example.org/api?x=1"), Allowed},
		{"upgrade-needs-default-port", focusCase(pageH, hdrs("connect-src http://example.org:8080"), "fetch", "https://example.org:8080/"), Blocked},
		{"path-decoded-whole", focusCase(pageH, hdrs("connect-src http://example.org/p/"), "fetch", "http://example.org/p%2Fq"), Allowed},
		{"port-leading-zero-never-matches", focusCase(pageS, hdrs("connect-src https://example.org:0443"), "fetch", "https://example.org/"), Blocked},
		{"trailing-dot-host-dropped", focusCase(pageH, hdrs("connect-src example.org."), "fetch", "http://example.org./"), Blocked},
	} {
		model := corpus.RunModel(tc.c, nil)
		if model.Verdict == tc.want {
			t.Errorf("%s: the model already says %s on its example", tc.rule, tc.want)
			continue
		}
		if got := explain(tc.c, tc.want); !reflect.DeepEqual(got, []string{tc.rule}) {
			t.Errorf("%s: explain(%s %v, %s) = %v", tc.rule, tc.c.Policies[0].Value, tc.c.Request.URLList, tc.want, got)
		}
	}
}

// TestExplainCombines: two rules at once, when one is not enough.
func TestExplainCombines(t *testing.T) {
	c := focusCase(pageH, hdrs("connect-src ws://127.0.0.1:80"), "websocket", "wss://127.0.0.1/")
	if got := corpus.RunModel(c, nil).Verdict; got != Blocked {
		t.Fatalf("the model says %s", got)
	}
	want := []string{"ip-hosts-match", "port-80-matches-443"}
	if got := explain(c, Allowed); !reflect.DeepEqual(got, want) {
		t.Errorf("explain = %v, want %v", got, want)
	}
	c = focusCase(pageH, hdrs("connect-src http://example.org"), "fetch", "http://example.org:443/")
	want = []string{"missing-port-is-scheme-default", "port-80-matches-443"}
	if got := explain(c, Allowed); !reflect.DeepEqual(got, want) {
		t.Errorf("explain = %v, want %v", got, want)
	}
	// Nothing explains a verdict the model would reach anyway by a rule
	// that does not apply.
	same := focusCase(pageH, hdrs("connect-src 'self'"), "fetch", "http://example.org/")
	if got := explain(same, Allowed); got != nil {
		t.Errorf("explain(blocked by 'self', allowed) = %v, want nil", got)
	}
}

func TestMapSources(t *testing.T) {
	c := focusCase(pageH, hdrs("default-src a b;connect-src  c , img-src d"), "fetch", "http://example.org/")
	got := mapSources(c, func(e string) []string { return []string{e, e + "2"} }).Policies[0].Value
	if want := "default-src a a2 b b2; connect-src c c2, img-src d d2"; got != want {
		t.Errorf("mapSources = %q, want %q", got, want)
	}
}
