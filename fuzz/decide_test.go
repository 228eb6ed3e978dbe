package fuzz

import "testing"

// FuzzDecide compares whole decisions. Its seeds are every corpus case and
// the field seeds (seeds.go); its arguments are decideArgs, in order.
func FuzzDecide(f *testing.F) {
	for _, a := range seedsOf(f, decideSeeds) {
		f.Add(a.policies, a.selfOrigin, a.urls, a.kind, a.destination, a.initiator, a.mode, a.nonce, a.integrity, a.parser, a.webTransport)
	}
	f.Fuzz(func(t *testing.T, policies, selfOrigin, urls, kind, destination, initiator, mode, nonce, integrity, parser, webTransport string) {
		agreeCase(t, decideArgs{policies, selfOrigin, urls, kind, destination, initiator, mode, nonce, integrity, parser, webTransport}.toCase())
	})
}
