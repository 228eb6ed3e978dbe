package engine_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// TestRequestValidationAsModel decides requests of every API kind, for URLs
// with and without credentials (user name, password, both), of each scheme
// an API may refuse, with and without a fragment, alone, followed by one
// redirect or by 20 or 21, and with an empty URL list, and expects Decide to
// refuse exactly those the model refuses, with engine.ErrRequest and a
// Blocked verdict, and to decide the others as the model does. The model
// refuses in three places: the API's constructor (model.Kinds),
// WithRedirects (a redirect to a URL that is not http or https, more than 20
// redirects) and DecideRequest (a redirected WebSocket request, an empty URL
// list).
func TestRequestValidationAsModel(t *testing.T) {
	kinds := map[string]engine.Kind{
		"fetch": engine.KindFetch, "xhr": engine.KindXHR, "eventsource": engine.KindEventSource,
		"beacon": engine.KindBeacon, "ping": engine.KindPing, "websocket": engine.KindWebSocket,
	}
	if len(kinds) != len(model.Kinds) {
		t.Fatalf("the test knows %d kinds, the model %d", len(kinds), len(model.Kinds))
	}
	urls := []string{
		"https://example.com/", "https://user@example.com/", "https://:pw@example.com/", "https://user:pw@example.com/",
		"http://example.com/#f", "http://u@example.com/#f", "wss://example.com/", "wss://u:p@example.com/", "ws://example.com/#f",
		"ftp://example.com/", "ftp://u@example.com/", "data:,x", "blob:https://example.com/uuid", "custom+x://u@example.com/",
	}
	redirects := [][]string{nil, {"https://example.com/next"}, {"https://u@example.com/next"}, {"data:,x"}, {}}
	for _, n := range []int{20, 21} {
		many := make([]string, n)
		for i := range many {
			many[i] = "https://example.com/hop"
		}
		redirects = append(redirects, many)
	}
	self, err := engine.ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	policies := []string{"connect-src https://example.com wss://example.com", "default-src 'none'"}
	refused, decided := 0, 0
	for _, policy := range policies {
		deliveries := []model.PolicyDelivery{{Value: policy}}
		c := engine.Compile(deliveries, self)
		for name, kind := range kinds {
			for _, s := range urls {
				for _, targets := range redirects {
					req, merr := model.Kinds[name](s)
					empty := targets != nil && len(targets) == 0 // the empty URL list
					if merr == nil && len(targets) > 0 {
						req, merr = model.WithRedirects(req, targets...)
					}
					if empty {
						req.URLList = nil
					}
					var md model.Decision
					if merr == nil {
						md, merr = model.DecideRequest(model.Environment{CSPList: model.NewCSPList(deliveries, self, nil)}, req, nil)
					}
					u, err := engine.ParseURL(s)
					if err != nil {
						t.Fatal(err)
					}
					list := append([]model.URL{u}, parseURLs(t, targets...)...)
					if empty {
						list = nil
					}
					var d engine.Decision
					d.Verdict = model.Allowed // Decide must overwrite it, refusal or not
					err = c.Decide(&engine.Request{Kind: kind, URLs: list}, &d)
					what := name + " " + s
					switch {
					case empty:
						what += " (an empty URL list)"
					case targets != nil:
						what += fmt.Sprintf(" then %s (%d redirects)", targets[0], len(targets))
					}
					if (err != nil) != (merr != nil) {
						t.Errorf("%s: engine error %v, model error %v", what, err, merr)
						continue
					}
					if err != nil {
						refused++
						if !errors.Is(err, engine.ErrRequest) {
							t.Errorf("%s: the error %v is not an engine.ErrRequest", what, err)
						}
						if d.Verdict != model.Blocked {
							t.Errorf("%s: refused with verdict %v", what, d.Verdict)
						}
						continue
					}
					decided++
					if want := md.Verdict; d.Verdict != want {
						t.Errorf("%s under %q: engine %v, model %v", what, policy, d.Verdict, want)
					}
				}
			}
		}
	}
	if refused < 20 || decided < 20 {
		t.Fatalf("%d refused, %d decided: the table no longer exercises both", refused, decided)
	}
}

// TestRedirectFaultsInFetchOrder: Fetch meets a redirect chain hop by hop
// and stops at the first fault, a location URL that is not http or https
// (HTTP-redirect fetch step 6) before a redirect count past 20 (step 7) at
// the same hop. In a chain of 22 redirects with one data: URL, the engine
// and the model must both blame the scheme when that URL comes at or before
// the 21st redirect, and the count when it comes after.
func TestRedirectFaultsInFetchOrder(t *testing.T) {
	self, err := engine.ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	c := engine.Compile([]model.PolicyDelivery{{Value: "connect-src *"}}, self)
	// blame names the fault err blames: the scheme, the count or another.
	blame := func(err error, scheme, count string) string {
		switch {
		case err == nil:
			return "nothing"
		case strings.Contains(err.Error(), scheme):
			return "scheme"
		case strings.Contains(err.Error(), count):
			return "count"
		}
		return "another fault: " + err.Error()
	}
	for _, at := range []int{0, 1, 20, 21, 22} {
		urls := make([]string, 23)
		for i := range urls {
			urls[i] = "https://example.com/hop"
		}
		urls[at] = "data:,x"
		want := "scheme"
		if at > 21 {
			want = "count"
		}
		req, merr := model.NewFetchRequest(urls[0])
		if merr == nil {
			_, merr = model.WithRedirects(req, urls[1:]...)
		}
		var d engine.Decision
		err := c.Decide(&engine.Request{Kind: engine.KindFetch, URLs: parseURLs(t, urls...)}, &d)
		if got := blame(merr, "(HTTP-redirect fetch step 6)", "(HTTP-redirect fetch step 7)"); got != want {
			t.Errorf("data: URL at %d of 23: the model blames %s, want the %s", at, got, want)
		}
		if got := blame(err, "only http and https URLs take part in redirects", "more than 20 redirects"); got != want {
			t.Errorf("data: URL at %d of 23: the engine blames %s, want the %s", at, got, want)
		}
	}
}

// parseURLs parses each URL with engine.ParseURL, as a caller prepares a
// request's URL list.
func parseURLs(t *testing.T, urls ...string) []model.URL {
	t.Helper()
	var list []model.URL
	for _, s := range urls {
		u, err := engine.ParseURL(s)
		if err != nil {
			t.Fatal(err)
		}
		list = append(list, u)
	}
	return list
}
