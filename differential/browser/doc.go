// Package browser holds the model to real browser engines: Chromium
// (Blink), Firefox ESR (Gecko) and WebKitGTK (WebKit), driven headless on
// this machine.
//
// For each case (policies delivered by header or <meta>, enforced or
// report-only; a page origin; a request kind; a URL list) the harness
// serves a page under those policies at that origin, and the page makes
// the request with the real API: fetch(), XMLHttpRequest, WebSocket,
// EventSource, navigator.sendBeacon(), <a ping>, or an image. The engine's
// verdict is read from two independent signals: a securitypolicyviolation
// event (its effectiveDirective, blockedURI and disposition), and whether
// the request reached the test server. An event without an arrival is
// Blocked, an arrival without an event Allowed; both at once is Unknown,
// and neither NotSent; neither of those is ever counted as a verdict. The
// model decides the same case with corpus.RunModel.
//
// The cases are every corpus case a page can express (the six connect-src
// callers, and images; the rest are listed with the reason), the focus
// cases of questions.go, and a seeded generated set (gen.go). Pages group
// the cases that share an origin and policies, a few dozen requests each;
// the engines run side by side, each started once and sent from page to
// page by the server.
//
// # Running it
//
//	go test ./differential/browser                        # the default set
//	go test ./differential/browser -run Browser -update   # rewrite the record and docs/conformance.md
//
// TestBrowser runs each installed engine and skips each missing one with a
// message that says what to install. These environment variables steer it:
//
//	CSPMODEL_REQUIRE_BROWSERS=1   a missing engine fails the test (CI sets it)
//	CSPMODEL_BROWSERS=a,b         only these engines (chromium, firefox, webkit)
//	CSPMODEL_BROWSER_CASES=N      N generated cases (default 2400, -short 150; -update at least 2400)
//	CSPMODEL_BROWSER_SEED=S       the generator's seed (default 1)
//	CSPMODEL_BROWSER_SERIAL=1     one engine after another instead of all at once
//	CSPMODEL_BROWSER_ISOLATION=0  no loopback-only namespaces
//	CSPMODEL_BROWSER_DUMP=FILE    write every case and observation as JSON lines
//	CSPMODEL_CHROMIUM, CSPMODEL_FIREFOX, CSPMODEL_MINIBROWSER  other binaries
//
// A plain go test runs the whole generated set that -update records, two to
// four minutes on two cores; a smaller CSPMODEL_BROWSER_CASES, or -short,
// runs a seeded subset: its first cases (the generator's sets are prefixes
// of each other), against the same record.
//
// The test fails when the model disagrees with every engine on a case that
// testdata/divergences.json does not list as a known, explained
// divergence, and when a listed divergence has disappeared; other changes
// are logged. Each divergence is explained by a rule: a rewrite of the
// case (explain.go) under which the model gives the engine's verdict,
// described in that file and in docs/conformance.md.
//
// # Security considerations
//
// Nothing leaves the machine. The test binary runs itself again in new
// network and PID namespaces (a user namespace too when not root), where
// only a loopback interface exists, and every engine lives inside; when the
// test ends, the kernel ends whatever is left. Every engine is also told to
// send all its traffic, loopback included, to the harness's one server on
// an ephemeral port of 127.0.0.1, a forward proxy that answers every host
// itself; Chromium additionally fails any name lookup, and Firefox resolves
// every name to 127.0.0.1. Without namespaces (CSPMODEL_BROWSER_ISOLATION=0,
// or where they are not allowed), those settings alone keep the traffic on
// loopback, and cases that name an IP address off loopback are not run. The
// server's certificate authority is made for the run and never leaves its
// temporary profile directories, which are removed with every process the
// harness started.
package browser
