// Package tiny is a throwaway module for the mutation command's own test:
// its tests kill some mutants and miss one on purpose.
package tiny

// Max returns the larger of a and b.
func Max(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// IsX reports whether s is "x". No test calls it.
func IsX(s string) bool {
	return s == "x"
}

// Join joins two strings.
func Join(a, b string) string {
	return a + b
}

// Spin counts n down to zero.
func Spin(n int) int {
	for n != 0 {
		n--
	}
	return n
}
