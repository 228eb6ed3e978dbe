package fuzz

import "testing"

// FuzzDecide compares whole decisions: every corpus case is a seed.
func FuzzDecide(f *testing.F) {
	for _, c := range loadCorpus(f) {
		a := argsOf(c)
		f.Add(a.policies, a.selfOrigin, a.urls, a.kind, a.destination, a.initiator, a.mode, a.nonce, a.integrity, a.parser)
	}
	f.Fuzz(func(t *testing.T, policies, selfOrigin, urls, kind, destination, initiator, mode, nonce, integrity, parser string) {
		c := decideArgs{policies, selfOrigin, urls, kind, destination, initiator, mode, nonce, integrity, parser}.toCase()
		agreeCase(t, c)
	})
}
