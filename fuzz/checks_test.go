package fuzz

import "testing"

// FuzzInlineCheck compares model and engine on inline checks: arbitrary
// policies, element, attributes (the nonce among them) and text. Its
// arguments are inlineArgs, in order (checks.go).
func FuzzInlineCheck(f *testing.F) {
	for _, a := range seedsOf(f, inlineSeeds) {
		f.Add(a.policies, a.typ, a.localName, a.attrs, a.flags, a.source)
	}
	f.Fuzz(func(t *testing.T, policies string, typ uint8, localName, attrs string, flags uint8, source string) {
		agreeCase(t, inlineArgs{policies, typ, localName, attrs, flags, source}.toCase())
	})
}

// FuzzGlobalCheck compares model and engine on the checks of a global
// object: eval (with Trusted Types), WebAssembly, WebRTC and the sandbox.
// Its arguments are globalArgs, in order (checks.go).
func FuzzGlobalCheck(f *testing.F) {
	for _, a := range seedsOf(f, globalSeeds) {
		f.Add(a.policies, a.check, a.evalType, a.code, a.body, a.params, a.flags)
	}
	f.Fuzz(func(t *testing.T, policies string, check, evalType uint8, code, body, params string, flags uint8) {
		agreeCase(t, globalArgs{policies, check, evalType, code, body, params, flags}.toCase())
	})
}

// FuzzNavigationCheck compares model and engine on navigation requests
// (form-action, javascript: URLs), navigation responses (frame-ancestors)
// and <base> URLs. Its arguments are navigationArgs, in order (checks.go).
func FuzzNavigationCheck(f *testing.F) {
	for _, a := range seedsOf(f, navigationSeeds) {
		f.Add(a.policies, a.selfOrigin, a.check, a.urls, a.kind, a.response, a.ancestors)
	}
	f.Fuzz(func(t *testing.T, policies, selfOrigin string, check uint8, urls string, kind uint8, response, ancestors string) {
		agreeCase(t, navigationArgs{policies, selfOrigin, check, urls, kind, response, ancestors}.toCase())
	})
}
