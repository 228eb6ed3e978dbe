package main

import (
	"bytes"
	"io"
	"testing"

	"github.com/cspmodel/cspmodel/corpus"
)

// BenchmarkCheckVectors runs `csp check --vectors -` on the pinned vectors,
// in process, with each implementation: JSON lines in, one result per line
// out, as an implementation under `csp vectors run` does. Profile it with
// -cpuprofile to see where the vector kit's time goes (docs/performance.md).
func BenchmarkCheckVectors(b *testing.B) {
	for _, impl := range []string{"model", "engine"} {
		b.Run("impl="+impl, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(corpus.PinnedVectors)))
			for b.Loop() {
				var errOut bytes.Buffer
				if code := run([]string{"check", "--engine", impl, "--vectors", "-"}, bytes.NewReader(corpus.PinnedVectors), io.Discard, &errOut); code != exitOK {
					b.Fatalf("exit %d: %s", code, errOut.String())
				}
			}
		})
	}
}
