package engine_test

import (
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// TestParseOriginAsModel: ParseOrigin gives the model's origin for every
// input the model accepts, refuses what the model refuses, and says why:
// the empty string by name (it is a common mistake of callers), anything
// else with the URL parser's reason.
func TestParseOriginAsModel(t *testing.T) {
	for _, s := range []string{"https://example.com", "http://example.com:8080/path", "null", "custom://host", "HTTPS://EXAMPLE.COM:443", "https://[::1]", "data:,x", "blob:https://example.com/u"} {
		got, gerr := engine.ParseOrigin(s)
		want, werr := model.ParseOrigin(s)
		if (gerr == nil) != (werr == nil) || gerr == nil && got.String() != want.String() {
			t.Errorf("ParseOrigin(%q) = %v, %v; the model's %v, %v", s, got, gerr, want, werr)
		}
	}
	for s, why := range map[string]string{"": "the empty string is not an origin", " ": "not a valid URL", "example.com": "not a valid URL", "https://": "not a valid URL"} {
		if _, err := engine.ParseOrigin(s); err == nil || !strings.Contains(err.Error(), why) {
			t.Errorf("ParseOrigin(%q): error %v, want one saying %q", s, err, why)
		}
		if _, err := model.ParseOrigin(s); err == nil {
			t.Errorf("model.ParseOrigin(%q) accepts it", s)
		}
	}
}
