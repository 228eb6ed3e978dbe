package corpus

import (
	"bytes"
	"strings"
	"testing"
)

// TestPinnedVectorsHold decides every pinned vector with the model and
// expects its recorded verdict and violations (or its refusal).
func TestPinnedVectorsHold(t *testing.T) {
	var generated, failed int
	byCheck := map[string]int{}
	for i, line := range bytes.Split(bytes.TrimSpace(PinnedVectors), []byte("\n")) {
		c, err := DecodeCase(line)
		if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if c.Expect == nil {
			t.Fatalf("line %d (%s) has no expectation", i+1, c.ID)
		}
		if strings.HasPrefix(c.ID, "generated/") {
			if ck := c.CheckName(); ck != CheckRequest {
				byCheck[ck]++
			} else {
				generated++
			}
		}
		if diff := c.Check(RunModel(c, nil)); diff != "" {
			failed++
			if failed <= 10 {
				t.Errorf("%s: %s", c.ID, diff)
			}
		}
	}
	if failed > 0 {
		t.Errorf("%d pinned vectors no longer hold", failed)
	}
	if generated < PinnedCount {
		t.Errorf("%d generated vectors pinned, want %d", generated, PinnedCount)
	}
	for _, ck := range Checks[1:] {
		if byCheck[ck] != PinnedChecks {
			t.Errorf("%d generated %s vectors pinned, want %d", byCheck[ck], ck, PinnedChecks)
		}
	}
}
