package model

// Compilation types: how HostEnsureCanCompileStrings is reached.
const (
	// CompileTimer: setTimeout() or setInterval() given a string.
	CompileTimer = "TIMER"
	// CompileFunction: the Function constructor (and its generator and
	// async variants).
	CompileFunction = "FUNCTION"
	// CompileEval: eval(), direct or indirect.
	CompileEval = "EVAL"
)

// Compilation is what a string-compiling sink hands to
// EnsureCSPDoesNotBlockStringCompilation: the compilation type, the
// parameter and body strings, the whole code string, and the values the
// strings came from (which may be TrustedScript objects).
type Compilation struct {
	Type             string
	ParameterStrings []string
	BodyString       string
	CodeString       string
	ParameterArgs    []ScriptValue
	BodyArg          ScriptValue
}

// CanCompileStrings decides whether global may compile c's code
// (EnsureCSPDoesNotBlockStringCompilation, run on a realm's global object):
// Trusted Types first, then each policy's script-src, or else default-src,
// must hold 'unsafe-eval' (or 'trusted-types-eval' where Trusted Types are
// required). Blocked stands for the EvalError the spec throws.
//
// Spec: #can-compile-strings
func CanCompileStrings(global *GlobalObject, c Compilation, tr *Trace) Verdict {
	const anchor = "can-compile-strings"
	defer tr.Enter(anchor, "%s, %d bytes of code", c.Type, len(c.CodeString))()

	var sourceString string
	// Step 1: a timer's string is checked as it is.
	if c.Type == CompileTimer {
		// Step 1.1
		sourceString = c.CodeString
	} else {
		// Step 2: otherwise Trusted Types has a say first.
		// Step 2.1: the sink's name.
		compilationSink := "eval"
		if c.Type == CompileFunction {
			compilationSink = "Function"
		}
		// Step 2.2: is the body a TrustedScript?
		isTrusted := c.BodyArg.TrustedScript
		// Step 2.3: one whose data is the body string?
		if isTrusted {
			// Step 2.3.1
			if c.BodyString != c.BodyArg.Data {
				isTrusted = false
			}
		}
		// Step 2.4: and are the parameters TrustedScripts of their strings?
		if isTrusted {
			// Step 2.4.1 (assert): as many arguments as strings.
			if len(c.ParameterArgs) != len(c.ParameterStrings) {
				tr.Step(anchor, "2.4.1", "assertion failed: %d parameter values for %d strings: Blocked", len(c.ParameterArgs), len(c.ParameterStrings))
				return Blocked
			}
			// Step 2.4.2
			for index := range c.ParameterArgs {
				// Step 2.4.2.1
				arg := c.ParameterArgs[index]
				// Step 2.4.2.2
				if arg.TrustedScript {
					// Step 2.4.2.2.1
					if c.ParameterStrings[index] != arg.Data {
						isTrusted = false
					}
				} else {
					// Step 2.4.2.3
					isTrusted = false
				}
			}
		}
		// Step 2.5: the value to validate. Ambiguity(A19): the step makes it a
		// TrustedScript of the code string whether or not isTrusted is true,
		// which would let every string through Trusted Types; the model makes
		// it a TrustedScript only when isTrusted is true, and the plain code
		// string otherwise, which is what the condition is for.
		sourceToValidate := ScriptValue{TrustedScript: isTrusted, Data: c.CodeString}
		// Step 2.6: the Trusted Types check.
		s, err := GetTrustedTypeCompliantString(global, sourceToValidate, compilationSink, "script", tr)
		// Step 2.7: its error is an EvalError.
		if err != nil {
			tr.Step(anchor, "2.7", "Trusted Types refused the string: EvalError (Blocked)")
			return Blocked
		}
		sourceString = s
		// Step 2.8: the string must come back unchanged.
		if sourceString != c.CodeString {
			tr.Step(anchor, "2.8", "the checked string differs from the code: EvalError (Blocked)")
			return Blocked
		}
	}
	// Step 3
	result := Allowed
	// Step 4: the realm's global object (given).
	// Step 5: each policy of the global object's CSP list.
	cspList := GetCSPOfObject(global, tr)
	if cspList == nil {
		tr.Step(anchor, "5", "the global object has no CSP list: Blocked")
		return Blocked
	}
	trustedTypesRequired, trustedTypesKnown := false, false
	for i := range cspList.Policies {
		policy := &cspList.Policies[i]
		// Step 5.1
		var sourceList []string
		present, from := false, ""
		// Step 5.2: script-src's value, or else default-src's.
		if d, ok := policy.Directive("script-src"); ok {
			sourceList, present, from = d.Value, true, d.Name
		} else if d, ok := policy.Directive("default-src"); ok {
			sourceList, present, from = d.Value, true, d.Name
		}
		// Step 5.3
		if !present {
			continue
		}
		// Step 5.3.1: are Trusted Types required by an enforced policy? The
		// answer is the same for every policy, so it is computed once: a
		// list of n policies costs n steps, not n².
		if !trustedTypesKnown {
			trustedTypesRequired, trustedTypesKnown = DoesSinkTypeRequireTrustedTypes(global, "script", false, tr), true
		}
		// Step 5.3.2: then 'trusted-types-eval' allows the code.
		if trustedTypesRequired && containsKeyword(sourceList, "'trusted-types-eval'") {
			tr.Step(anchor, "5.3.2", "%s has 'trusted-types-eval' and Trusted Types are required: allowed", from)
			continue
		}
		// Step 5.3.3: 'unsafe-eval' allows it.
		if containsKeyword(sourceList, "'unsafe-eval'") {
			tr.Step(anchor, "5.3.3", "%s has 'unsafe-eval': allowed", from)
			continue
		}
		// Step 5.3.4: a violation of script-src.
		violation := CreateViolationForGlobal(global, policy, "script-src", tr)
		violation.Directive, violation.Check = from, CheckEval
		// Step 5.3.5
		violation.Resource = StringResource(ResourceEval)
		// Step 5.3.6: a sample of the code, if the list asks.
		if containsKeyword(sourceList, "'report-sample'") {
			violation.Sample = firstCharacters(sourceString, sampleLength)
		}
		// Step 5.3.7
		ReportViolation(violation, tr)
		// Step 5.3.8: enforced policies block.
		if policy.Disposition == Enforce {
			tr.Step(anchor, "5.3.8", "%s of %q: Blocked", from, policy.Text)
			result = Blocked
		}
	}
	// Step 6: Blocked throws an EvalError.
	tr.Step(anchor, "6", "%s", result)
	return result
}
