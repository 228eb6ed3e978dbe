package fuzz

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/model"
)

// TestFieldSeedsDecideBothWays checks that the field seeds start each field
// on both sides of the checks that read it: for each family, the model
// allows some seeds and blocks others (and refuses some, where a request can
// be refused), so the fuzzer mutates from both.
func TestFieldSeedsDecideBothWays(t *testing.T) {
	families := []struct {
		name    string
		in      func(decideArgs) bool
		refused bool // some seeds of the family must be refused
	}{
		{"integrity metadata", func(a decideArgs) bool { return a.integrity != "" }, false},
		{"integrity, script-src hashes only", func(a decideArgs) bool {
			return a.integrity != "" && strings.Contains(a.policies, "'sha256-") && strings.Contains(a.policies, "'sha512-")
		}, false},
		{"nonces", func(a decideArgs) bool { return a.nonce != "" }, false},
		{"parser metadata", func(a decideArgs) bool { return a.parser != "" }, false},
		{"WebTransport hashes", func(a decideArgs) bool { return a.webTransport != "" && a.mode == "webtransport" }, false},
		{"resource-hint initiators", func(a decideArgs) bool { return a.initiator == "prefetch" || a.initiator == "prerender" }, false},
		{"redirect chains of 20 URLs or more", func(a decideArgs) bool { return strings.Count(a.urls, "\n") >= 19 }, true},
		{"ports on their edges", func(a decideArgs) bool { return portEdge(a.urls) || portEdge(a.policies) }, true},
		{"other schemes", func(a decideArgs) bool {
			return !partBytes(a) && (strings.Contains(a.urls, "ftp:") || strings.Contains(a.urls, "blob:") || strings.Contains(a.urls, "data:") || strings.Contains(strings.ToLower(a.urls), "custom:"))
		}, false},
		// A WebSocket URL with a fragment is refused, the others decided.
		{"every printable byte in a URL part", partBytes, true},
		{"lists over 16 host-sources", func(a decideArgs) bool {
			return strings.Count(a.policies, " ") > 16 && strings.Contains(a.policies, "*.d6.")
		}, false},
		{"lists of 16 host-sources or fewer", func(a decideArgs) bool {
			return strings.Count(a.policies, " ") <= 16 && strings.Contains(a.policies, "*.d6.")
		}, false},
	}
	seeds := fieldSeeds()
	for _, fam := range families {
		verdicts := map[string]int{}
		for _, a := range seeds {
			if !fam.in(a) {
				continue
			}
			r := corpus.RunModel(a.toCase(), nil)
			switch {
			case r.Error != "":
				verdicts["refused"]++
			default:
				verdicts[r.Verdict]++
			}
		}
		if verdicts["allowed"] == 0 || verdicts["blocked"] == 0 || fam.refused != (verdicts["refused"] > 0) {
			t.Errorf("%s: the field seeds decide %v; want both allowed and blocked, and refusals: %v", fam.name, verdicts, fam.refused)
		}
	}
}

// partBytes reports whether a seed's URLs are one of partByteSeeds.
func partBytes(a decideArgs) bool {
	return strings.Contains(a.urls, "()*+,-./0123456789:;<=>")
}

func portEdge(s string) bool {
	for _, p := range []string{":0/", ":65535", ":65536", ":00443", ":/"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// TestFieldSeedsReachEveryDestination checks that every Fetch destination
// is a field seed's, plain and with each resource-hint initiator.
func TestFieldSeedsReachEveryDestination(t *testing.T) {
	seen := map[string]bool{}
	for _, a := range fieldSeeds() {
		if a.kind == "" {
			seen[a.initiator+"/"+a.destination] = true
		}
	}
	for _, d := range model.Destinations() {
		for _, initiator := range []string{"", "prefetch", "prerender"} {
			if !seen[initiator+"/"+d] {
				t.Errorf("no field seed has destination %q with initiator %q", d, initiator)
			}
		}
	}
	for _, d := range []string{"audio", "webidentity", "xslt", "paintworklet"} {
		if !seen["/"+d] {
			t.Errorf("no seed for %s", d)
		}
	}
}

// TestFieldSeedsRedirectAroundTheLimit checks that the longest chains sit
// on both sides of Fetch's limit: 21 URLs (20 redirects) are decided, 22
// refused.
func TestFieldSeedsRedirectAroundTheLimit(t *testing.T) {
	decided := map[int]bool{}
	for _, a := range fieldSeeds() {
		n := strings.Count(a.urls, "\n") + 1
		if n < 20 {
			continue
		}
		decided[n] = corpus.RunModel(a.toCase(), nil).Error == ""
	}
	if want := map[int]bool{20: true, 21: true, 22: false}; fmt.Sprint(decided) != fmt.Sprint(want) {
		t.Errorf("chains of 20 or more URLs decided: %v, want %v", decided, want)
	}
}

// TestDepthSeedsMoveTheIndexBounds checks that the depth seeds make the
// fuzzed wildcard the deepest and the shallowest "*." of lists longer than
// the engine's flat scan, for every depth from 1 to 7, and that they also
// leave it strictly between the padding's.
func TestDepthSeedsMoveTheIndexBounds(t *testing.T) {
	deepest, shallowest, between := map[int]bool{}, map[int]bool{}, map[int]bool{}
	for _, s := range depthSeeds() {
		u, err := model.ParseURL(s.url)
		if err != nil {
			t.Fatal(err)
		}
		list := padList([]string{s.expressions}, u.Host.Serialized, s.shape)
		lo, hi := 1<<30, 0
		for _, e := range list {
			if strings.HasPrefix(e, "*.") {
				host, _, _ := strings.Cut(e[1:], ":")
				n := strings.Count(host, ".")
				lo, hi = min(lo, n), max(hi, n)
			}
		}
		if len(list) <= 16 {
			continue
		}
		d := strings.Count(s.expressions, ".")
		deepest[d] = deepest[d] || d == hi
		shallowest[d] = shallowest[d] || d == lo
		between[d] = between[d] || lo < d && d < hi
	}
	for d := 1; d <= 7; d++ {
		if !deepest[d] || !shallowest[d] {
			t.Errorf("%d-label wildcard in a list over 16: deepest in some seed %v, shallowest %v; want both", d, deepest[d], shallowest[d])
		}
		if d > 1 && !between[d] {
			t.Errorf("no depth seed leaves a %d-label wildcard between the padding's", d)
		}
	}
}
