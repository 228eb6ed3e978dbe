package model

// This file holds the checks of the other directives (#directives-other)
// that are not fetch directives: webrtc's pre-connect check. (worker-src,
// the other directive of that section, is a fetch directive; its checks are
// in directives_fetch.go.)

// WebRTCPreConnectCheck runs the webrtc pre-connect check of the directive
// named directive.Name: webrtc's own, or Allowed for every other directive.
func WebRTCPreConnectCheck(directive Directive, policy *Policy, tr *Trace) Verdict {
	if directive.Name == "webrtc" {
		return WebRTCPreConnect(directive, policy, tr)
	}
	return Allowed
}

// WebRTCPreConnect is the webrtc directive's pre-connect check: only the
// value 'allow' lets RTC connections through.
//
// Spec: #webrtc-pre-connect
func WebRTCPreConnect(directive Directive, policy *Policy, tr *Trace) Verdict {
	const anchor = "webrtc-pre-connect"
	// Step 1: a value of one item, 'allow' in any ASCII case. Ambiguity(A26):
	// "a single item" is read as "exactly one item", so "webrtc 'allow'
	// 'block'" (which the grammar rejects) blocks.
	if len(directive.Value) == 1 && equalFoldASCII(directive.Value[0], "'allow'") {
		tr.Step(anchor, "1", "'allow': Allowed")
		return Allowed
	}
	// Step 2
	tr.Step(anchor, "2", "value %q: Blocked", directive.Value)
	return Blocked
}
