package engine

import (
	"math"
	"strings"
	"testing"
)

// TestCountTokensAsFields holds countTokens to a plain split on ASCII
// whitespace (tab, LF, FF, CR, space; not VT nor the non-ASCII spaces) over
// every string of up to six bytes drawn from letters, each ASCII whitespace
// byte, VT and a non-ASCII byte, and for limits 0 to 3 and no limit: it must
// return the number of tokens, or limit+1 when there are more than limit.
// compileSourceList relies on it to tell « 'none' » from « 'none' x » and to
// size the host-sources of a long list.
func TestCountTokensAsFields(t *testing.T) {
	alphabet := []byte{'a', 'Z', ' ', '\t', '\n', '\f', '\r', '\v', 0x85}
	asciiSpace := func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\f' || r == '\r' }
	buf := make([]byte, 0, 6)
	var walk func()
	walk = func() {
		s := string(buf)
		tokens := len(strings.FieldsFunc(s, asciiSpace))
		for _, limit := range []int{0, 1, 2, 3, math.MaxInt} {
			want := min(tokens, limit+1)
			if limit == math.MaxInt {
				want = tokens
			}
			if got := countTokens(s, limit); got != want {
				t.Fatalf("countTokens(%q, %d) = %d, want %d", s, limit, got, want)
			}
		}
		if len(buf) == cap(buf) {
			return
		}
		for _, c := range alphabet {
			buf = append(buf, c)
			walk()
			buf = buf[:len(buf)-1]
		}
	}
	walk()
}
