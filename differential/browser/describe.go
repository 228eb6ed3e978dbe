//go:build linux

package browser

import (
	"fmt"
	"strings"
)

// describeRow shows a case, the model's verdict with a command that
// reproduces it, and every engine's observation with its dialect's verdict
// and the command that reproduces that.
func describeRow(r *row, engines []string) string {
	var b strings.Builder
	c := r.Case.Case
	fmt.Fprintf(&b, "  case %s (%s)\n", c.ID, c.Source)
	fmt.Fprintf(&b, "  model: %s   reproduce: %s\n", r.Model.Verdict, c.CheckCommand())
	for _, e := range engines {
		o, ok := r.Obs[e]
		if !ok {
			continue
		}
		fmt.Fprintf(&b, "  %-8s %s", e+":", o.Verdict)
		if o.isVerdict() {
			fmt.Fprintf(&b, " (its dialect: %s; %s --dialect %s --trace)", r.dialectOf(e).Verdict, c.CheckCommand(), e)
		}
		if o.Reason != "" {
			fmt.Fprintf(&b, " (%s)", o.Reason)
		}
		if len(o.Violations) > 0 {
			v := o.Violations[0]
			fmt.Fprintf(&b, " [%s %s %s]", v.Disposition, v.EffectiveDirective, untagURL(v.BlockedURI))
		}
		b.WriteByte('\n')
	}
	return b.String()
}
