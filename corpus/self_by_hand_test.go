package corpus

import (
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// TestSelfByHandStandsForSelfOrigin holds every door of the corpus (the
// model's request and check builders, the engine's CompileCase and
// CompileCheck, and Build for a caller of the model) to Case.SelfByHand:
// when it is set, 'self' is that origin, not the one SelfOrigin spells.
func TestSelfByHandStandsForSelfOrigin(t *testing.T) {
	other := model.MustParseURL("https://other.example/")
	byHand := model.Origin{Scheme: "https", Host: other.Host, Port: -1}
	request := Case{
		ID:         "request",
		Policies:   []PolicyInput{{Value: "connect-src 'self'"}},
		SelfOrigin: "https://example.com",
		Request:    RequestInput{Kind: "fetch", URLList: []string{"https://other.example/x"}},
	}
	navigation := Case{
		ID:         "navigation",
		CheckType:  CheckNavigationRequest,
		Policies:   []PolicyInput{{Value: "form-action 'self'"}},
		SelfOrigin: "https://example.com",
		Navigation: &NavigationInput{Type: "form-submission", URLList: []string{"https://other.example/x"}},
	}
	request.SelfByHand = &byHand
	if in, err := request.Build(); err != nil || in.SelfOrigin != byHand {
		t.Errorf("Build gives the self-origin %v (error %v), want the one built by hand, %v", in.SelfOrigin, err, byHand)
	}
	for _, c := range []Case{request, navigation} {
		for _, tc := range []struct {
			self *model.Origin
			want string
		}{{nil, "blocked"}, {&byHand, "allowed"}} {
			c.SelfByHand = tc.self
			for side, r := range map[string]Result{"model": RunModel(c, nil), "engine": RunEngine(c)} {
				if r.Error != "" || r.Verdict != tc.want {
					t.Errorf("%s, self by hand %v: the %s says %q (error %q), want %q", c.ID, tc.self, side, r.Verdict, r.Error, tc.want)
				}
			}
		}
	}
}

// TestURLsByHandChangesEveryDoor holds every door of the corpus to
// Case.URLsByHand: when it is set, the request, the navigation and the
// <base> URL are decided as it leaves them, by the model (RunModel, and
// Build for a caller of the model) and by the engine (CompileCase and
// CompileCheck, through RunEngine).
func TestURLsByHandChangesEveryDoor(t *testing.T) {
	toOther := func(urls []model.URL) {
		for i := range urls {
			urls[i].Host.Serialized = "other.example"
		}
	}
	cases := []Case{{
		ID:         "request",
		Policies:   []PolicyInput{{Value: "connect-src https://other.example"}},
		SelfOrigin: "https://example.com",
		Request:    RequestInput{Kind: "fetch", URLList: []string{"https://example.com/x", "https://a.example/y"}},
	}, {
		ID:         "navigation",
		CheckType:  CheckNavigationRequest,
		Policies:   []PolicyInput{{Value: "form-action https://other.example"}},
		SelfOrigin: "https://example.com",
		Navigation: &NavigationInput{Type: "form-submission", URLList: []string{"https://example.com/x"}},
	}, {
		ID:         "base",
		CheckType:  CheckBase,
		Policies:   []PolicyInput{{Value: "base-uri https://other.example"}},
		SelfOrigin: "https://example.com",
		BaseURL:    "https://example.com/",
	}}
	for _, c := range cases {
		for _, tc := range []struct {
			byHand func([]model.URL)
			want   string
		}{{nil, "blocked"}, {toOther, "allowed"}} {
			c.URLsByHand = tc.byHand
			for side, r := range map[string]Result{"model": RunModel(c, nil), "engine": RunEngine(c)} {
				if r.Error != "" || r.Verdict != tc.want {
					t.Errorf("%s, URLs by hand %v: the %s says %q (error %q), want %q", c.ID, tc.byHand != nil, side, r.Verdict, r.Error, tc.want)
				}
			}
		}
	}
	request := cases[0]
	request.URLsByHand = toOther
	if in, err := request.Build(); err != nil || in.Request.URLList[1].Host.Serialized != "other.example" {
		t.Errorf("Build leaves the URLs as they parse (error %v), not as URLsByHand changes them", err)
	}
}
