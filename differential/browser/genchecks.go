//go:build linux

package browser

import (
	"fmt"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/differential"
)

// GenerateChecks returns the first n generated cases of each check other
// than requests that the generators of package differential cover
// (differential.EachCheck, the recipes behind the pinned vectors), seeded
// by seed, check by check in the order differential.CheckGenerated lists
// them. A case's id, gen/CHECK/SEED/INDEX, names the same case whatever n
// is: each check's cases are a prefix of a longer run's.
func GenerateChecks(seed uint64, n int) []corpus.Case {
	var out []corpus.Case
	for _, check := range differential.CheckGenerated {
		differential.EachCheck(int64(seed), check, n, func(i int, r differential.CheckRecipe) error {
			c := r.Build(fmt.Sprintf("%s%s/%d/%04d", GeneratedPrefix, check, seed, i))
			c.Source = fmt.Sprintf("generated %s check (seed %d, case %d)", check, seed, i)
			out = append(out, c)
			return nil
		})
	}
	return out
}
