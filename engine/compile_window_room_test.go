package engine

import (
	"fmt"
	"strings"
	"testing"
)

// TestCompileWindowMakesRoomOnce: compileWindow makes room for a list's
// host records once, from an estimate of the tokens left, and keeps no
// more room than the records take plus a quarter and four. A list of plain
// host-sources therefore costs one allocation for its records whatever its
// length (up to the flat scan's 16, past which the index adds its own),
// and a list of long tokens or of mostly other expressions is trimmed to
// its hosts. (The
// estimate and the trim drew several mutants that only changed memory;
// this pins both.)
func TestCompileWindowMakesRoomOnce(t *testing.T) {
	hosts := func(k int) string {
		var b strings.Builder
		for i := range k {
			fmt.Fprintf(&b, "h%d.example ", i)
		}
		return strings.TrimSpace(b.String())
	}
	check := func(value string, wantHosts int, exactAllocs bool) {
		t.Helper()
		var l sourceList
		compileSourceList(&l, value, schemeSet{})
		n, c := len(l.hostSet.hosts), cap(l.hostSet.hosts)
		if n != wantHosts {
			t.Fatalf("%q: %d host records, want %d", value, n, wantHosts)
		}
		if c > n+n/4+4 {
			t.Errorf("%q: room for %d records kept for %d", value, c, n)
		}
		if !exactAllocs {
			return
		}
		if a := testing.AllocsPerRun(20, func() {
			var l sourceList
			compileSourceList(&l, value, schemeSet{})
		}); a != 1 {
			t.Errorf("%q: %v allocations, want 1 (the records' room, made once)", value, a)
		}
	}
	for k := 1; k <= flatMax; k++ {
		check(hosts(k), k, true)
		// Hosts of 7 bytes, 8 with the space: the shortest the estimate
		// (8 bytes a token) still counts exactly.
		check(strings.Join(strings.Fields(strings.Repeat("ab00.cd ", k)), " "), k, true)
		// Longer tokens (a scheme-part, a wildcard) make the estimate
		// generous, and the trim then gives the room back.
		check(strings.ReplaceAll(hosts(k), "h", "https://*.h"), k, false)
	}
	// Past 256 bytes the tokens are counted: room for exactly the records.
	var l sourceList
	compileSourceList(&l, hosts(60), schemeSet{})
	if n, c := len(l.hostSet.hosts), cap(l.hostSet.hosts); n != 60 || c != 60 {
		t.Errorf("60 host-sources: %d records in room for %d, want 60 in 60", n, c)
	}
	// Mostly keywords and nonces: the room estimated from their length is
	// trimmed to the records.
	check("'self' 'unsafe-inline' 'unsafe-eval' 'strict-dynamic' 'report-sample' a.example 'wasm-unsafe-eval' 'unsafe-hashes' 'inline-speculation-rules'", 1, false)
	check(strings.Repeat("'self' ", 80)+"a.example b.example", 2, false)
}
