//go:build linux

package browser

import (
	"crypto/rand"
	_ "embed"
	"encoding/hex"
	"strings"
)

// probeScript runs on every page of requests, after the server's CFG
// constant.
//
//go:embed probe.js
var probeScript string

// checksScript runs on every page of checks, and docJS in each test
// document, local-scheme document and worker of a unit (checks.go).
var (
	//go:embed checks.js
	checksScript string
	//go:embed doc.js
	docJS string
)

// newNonce returns a fresh nonce for a page's script.
func newNonce() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// withScriptNonce lets the page's own inline script run under a policy
// without touching anything a connection is checked against: it puts
// "script-src 'nonce-N'; script-src-elem 'nonce-N';" in front of each
// policy, where they come first and so are the directives that count for
// scripts. A header value holds comma-separated policies, and each gets
// them; a <meta> element's content is one policy (the HTML Standard parses
// it whole), and gets them once, at the front, which also serves an engine
// that splits it on commas, since only its first part could then need them
// and directives without them restrict no script. Blank policies, which
// hold no directives and restrict nothing, are left as they are. Neither
// connect-src, img-src nor their default-src fallback ever reads the
// script directives, so no verdict under test changes.
func withScriptNonce(value, nonce string, meta bool) string {
	prefix := "script-src 'nonce-" + nonce + "'; script-src-elem 'nonce-" + nonce + "'; "
	if meta {
		if strings.TrimSpace(value) == "" {
			return value
		}
		return prefix + value
	}
	policies := strings.Split(value, ",")
	for i, policy := range policies {
		if strings.TrimSpace(policy) == "" {
			policies[i] = ""
		} else {
			policies[i] = prefix + strings.TrimLeft(policy, " \t\r\n\f")
		}
	}
	return strings.Join(policies, ", ")
}
