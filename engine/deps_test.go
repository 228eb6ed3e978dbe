package engine

import (
	"os/exec"
	"strings"
	"testing"
)

// TestEngineDependencies keeps the engine embeddable: a proxy that decides
// requests with it must not pull in the test corpus, the vector format or
// the checks. It may depend on the standard library, the model and the
// WHATWG URL parser (with what that parser needs) only.
func TestEngineDependencies(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		t.Skipf("go list is not available here: %v", err)
	}
	allowed := []string{
		"github.com/cspmodel/cspmodel/engine",
		"github.com/cspmodel/cspmodel/model",
		"github.com/nlnwa/whatwg-url/",
		"github.com/bits-and-blooms/bitset",
		"golang.org/x/net/idna",
		"golang.org/x/text/",
	}
	for _, dep := range strings.Fields(string(out)) {
		ok := false
		for _, a := range allowed {
			if dep == a || strings.HasSuffix(a, "/") && strings.HasPrefix(dep, a) {
				ok = true
			}
		}
		if !ok {
			t.Errorf("the engine depends on %s", dep)
		}
	}
}
