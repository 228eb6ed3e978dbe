package model

// CanCompileWasmBytes decides whether global may compile WebAssembly
// (EnsureCSPDoesNotBlockWasmByteCompilation, run on a realm's global object):
// each policy's script-src, or else default-src, must hold 'unsafe-eval' or
// 'wasm-unsafe-eval'. Blocked stands for the WebAssembly.CompileError the
// spec throws.
//
// Spec: #can-compile-wasm-bytes
func CanCompileWasmBytes(global *GlobalObject, tr *Trace) Verdict {
	const anchor = "can-compile-wasm-bytes"
	defer tr.Enter(anchor, "%s", global.Kind)()

	// Step 1: the realm's global object (given).
	// Step 2
	result := Allowed
	// Step 3: each policy of the global object's CSP list.
	cspList := GetCSPOfObject(global, tr)
	if cspList == nil {
		tr.Step(anchor, "3", "the global object has no CSP list: Blocked")
		return Blocked
	}
	for i := range cspList.Policies {
		policy := &cspList.Policies[i]
		// Step 3.1
		var sourceList []string
		present, from := false, ""
		// Step 3.2: script-src's value, or else default-src's.
		if d, ok := policy.Directive("script-src"); ok {
			sourceList, present, from = d.Value, true, d.Name
		} else if d, ok := policy.Directive("default-src"); ok {
			sourceList, present, from = d.Value, true, d.Name
		}
		// Step 3.3: neither 'unsafe-eval' nor 'wasm-unsafe-eval'.
		if present && !containsKeyword(sourceList, "'unsafe-eval'") && !containsKeyword(sourceList, "'wasm-unsafe-eval'") {
			// Step 3.3.1: a violation of script-src.
			violation := CreateViolationForGlobal(global, policy, "script-src", tr)
			violation.Directive, violation.Check = from, CheckWasm
			// Step 3.3.2
			violation.Resource = StringResource(ResourceWasmEval)
			// Step 3.3.3
			ReportViolation(violation, tr)
			// Step 3.3.4: enforced policies block.
			if policy.Disposition == Enforce {
				tr.Step(anchor, "3.3.4", "%s of %q allows neither: Blocked", from, policy.Text)
				result = Blocked
			}
		}
	}
	// Step 4: Blocked throws a WebAssembly.CompileError.
	tr.Step(anchor, "4", "%s", result)
	return result
}
