package engine_test

import (
	"flag"
	"testing"
	"time"

	"github.com/leanovate/gopter"
)

// propSeed is the gopter seed of this package's properties, fixed by
// default so that `go test ./...` gives the same result on the same code,
// as the differential package's are; 0 draws a fresh one (a campaign).
var propSeed = flag.Int64("prop.seed", 20261201, "gopter seed of the engine's properties (0: a fresh one, logged, and printed on failure)")

// propParameters returns gopter's parameters for a property run on n cases
// with -prop.seed's seed, logs the seed, and on failure prints the command
// that replays it.
func propParameters(t *testing.T, n int) *gopter.TestParameters {
	t.Helper()
	seed := *propSeed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	p := gopter.DefaultTestParametersWithSeed(seed)
	p.MinSuccessfulTests = n
	t.Logf("gopter seed %d", seed)
	name := t.Name()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("failed with gopter seed %d; replay: go test ./engine -run '^%s$' -prop.seed=%d", seed, name, seed)
		}
	})
	return p
}
