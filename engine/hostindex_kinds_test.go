package engine

import (
	"fmt"
	"hash/maphash"
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// TestIndexedBucketsKeepKindsApart: a bucket of a long list's index holds
// the host-sources whose keys hash there, of both kinds, and a look-up of
// one kind must pass over the other. A "*." source's key drops its '*'
// (".b.cd"), and an exact source "x.b.cd" less its first byte reads the
// same; so when the hash seed puts "x.b.cd" in the bucket of ".b.cd", a
// suffix look-up that took it for a "*." source would let https://qq.b.cd
// through. The seed is random for each process, so the test searches, for
// each first byte a host can have, a middle label that makes the two share
// a bucket, and decides that list: the model's answer (no match) is
// expected every time.
func TestIndexedBucketsKeepKindsApart(t *testing.T) {
	const fillers = flatMax + 8 // indexed: more than flatMax host-sources
	list := func(first byte, label string) []string {
		l := []string{string(first) + "." + label + ".cd", "*.w.cd"}
		for i := range fillers {
			l = append(l, fmt.Sprintf("f%d.pad.example", i))
		}
		return l
	}
	self, err := model.ParseOrigin("https://self.example")
	if err != nil {
		t.Fatal(err)
	}
	// The mask of a list of that size.
	var probe sourceList
	compileSourceList(&probe, strings.Join(list('a', "k"), " "), schemeSet{})
	if probe.ix == nil {
		t.Fatalf("a list of %d host-sources is not indexed", len(list('a', "k")))
	}
	mask := probe.ix.mask
	tried := 0
	for _, first := range []byte("abcdefghijklmnopqrstuvwxyz0123456789-") {
		found := ""
		for n := 0; n < 10000 && found == ""; n++ {
			label := fmt.Sprintf("k%d", n)
			if maphash.String(hashSeed, string(first)+"."+label+".cd")&mask == maphash.String(hashSeed, "."+label+".cd")&mask {
				found = label
			}
		}
		if found == "" {
			t.Fatalf("no label puts %q.kN.cd in the bucket of .kN.cd (mask %d): the search is too short", first, mask)
		}
		exprs := list(first, found)
		u, err := model.ParseURL("https://qq." + found + ".cd/")
		if err != nil {
			t.Fatal(err)
		}
		want := model.MatchURLToSourceList(u, exprs, self, 0, nil) == model.Matches
		if got := MatchSourceList(exprs, u, self, 0); got != want {
			t.Errorf("%s against %q...: engine %v, model %v", u.String(), exprs[:2], got, want)
		}
		tried++
	}
	t.Logf("%d lists, each with an exact host-source in a \"*.\" key's bucket", tried)
}
