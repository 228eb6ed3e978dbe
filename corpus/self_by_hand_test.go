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
