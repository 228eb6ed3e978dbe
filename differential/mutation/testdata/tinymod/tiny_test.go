package tiny

import "testing"

func TestMax(t *testing.T) {
	if Max(1, 2) != 2 || Max(3, 1) != 3 {
		t.Errorf("Max(1, 2) = %d, Max(3, 1) = %d, want 2 and 3", Max(1, 2), Max(3, 1))
	}
}

func TestJoin(t *testing.T) {
	if got := Join("a", "b"); got != "ab" {
		t.Errorf("Join(a, b) = %q", got)
	}
}

func TestSpin(t *testing.T) {
	if got := Spin(3); got != 0 {
		t.Errorf("Spin(3) = %d", got)
	}
}
