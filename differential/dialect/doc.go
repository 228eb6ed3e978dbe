// Package dialect answers what a given browser engine does with a request
// (or another check: an inline script, eval, a navigation, …) under a
// policy: each engine's dialect of CSP3 is a fixed list of rules,
// each a known way in which that engine departs from the spec as the model
// reads it, written as a change to the case the model then decides.
//
//	d, _ := dialect.Get("chromium")
//	res, rules := d.Decide(c, nil) // the verdict Chromium gives, and the rules that changed c
//
// The model itself stays a literal transcription of the spec: a dialect is
// a layer over it, and the model decides every case a dialect hands it. The
// compiled engine (package engine) implements the spec only.
//
// # A dialect is a theory that can fail
//
// Each rule states exactly when it applies (Rule.Applies) and what it
// changes (Rule.Effect), and its code holds to that. A dialect applies its
// rules to every case, those on which its engine agrees with the model
// included, so it predicts every verdict: differential/browser holds each
// dialect to every verdict its engine gave in the recorded run
// (differential/browser/testdata/verdicts.txt, offline, in every go test
// run) and in each live run, and fails, naming the rules, where the
// dialect and the engine differ. Dialect.FittedOn names the engine version
// the rules were fitted on; docs/conformance.md gives, per engine, how
// many recorded verdicts the dialect gives on the cases its rules were
// written from (fit) and on generated cases (prediction), and every rule
// with the cases it decides.
//
// # Stages, and why the order of the rules does not matter
//
// A rule acts at one stage of the engine's own processing, and the stages
// run in the engine's order whatever the order of the rules:
//
//  1. deliveries into policies (meta-content-split-on-commas);
//  2. the request checked (websocket-url-as-given);
//  3. reading: each source expression written in a policy, the page's
//     origin and the URLs, as the engine reads them (source-query-ignored,
//     ip-hosts-match, path-decoded-whole), then read again where a reading
//     needs those done (path-may-start-with-double-slash reads a source
//     the grammar refuses with its path decoded and its query dropped, as
//     the first readings read every other), and the sources the engine
//     ignores (ws-schemes-only-for-websockets, star-before-path-dropped,
//     schemeless-star-with-port-or-path-ignored,
//     strict-dynamic-in-default-src, port-leading-zero-never-matches,
//     trailing-dot-host-dropped, self-skips-local-schemes);
//  4. matching: the sources a source read also matches as
//     (websocket-url-as-given for *, self-compares-port-numbers,
//     missing-port-is-scheme-default, missing-http-port-matches-443,
//     port-80-matches-443, port-80-upgrades-to-443, star-matches-data-images
//     for * in img-src), added for every
//     source until nothing new comes, so that they compose (Firefox's 'self'
//     on http://example.com is http://example.com:80, which matches 443);
//     then the written sources that do not match one URL of the list after
//     all (upgrade-needs-default-port), which never removes a source a rule
//     added. Where that makes the URLs of a redirect chain meet different
//     sources, each URL is checked against its own, hop by hop, with the
//     model's checks in the order main fetch runs them.
//
// Rules at the same stage commute: the first readings change different
// parts of a source expression (each reads it with the same lenient parser,
// which keeps a query after the path apart), the second reading has one
// rule and takes only tokens no first reading could read, the rules that ignore or drop
// a source only test it, and the rules that add sources form a closure. A
// test in differential/browser rewrites the recorded cases under other
// orders of each dialect's rules and requires the same case.
//
// # The other checks
//
// A dialect covers the checks its Checks field lists, besides requests:
// those its engine was observed on and held to. On any other check Decide
// answers unsupported (corpus.Result.Unsupported), never the model's
// verdict as if it were the engine's. On a covered check, the rules with
// a check hook change the case (hash-padding-optional reads a hash-source
// padded and its padding bits cleared, wasm-compile-unchecked drops the policies of a wasm
// check, form-action-redirects-unchecked cuts a form submission's URL list
// to its action URL, frame-ancestors-path-ignored drops the path of a
// frame-ancestors source, star-matches-opaque-ancestor reads an opaque
// ancestor as the URL of its document where every frame-ancestors holds *,
// trusted-types-eval-trusts-strings reads eval()'s plain string as a
// TrustedScript, function-trusted-script-refused reads the Function
// constructor's TrustedScripts as plain strings, sandbox-ignored-in-workers
// drops a
// sandboxed worker's policies, sandbox-flags-accumulate gives every
// enforced sandbox the allow- keywords they share) and the model decides
// the changed case. Each changes its own part of the case, so their order does not
// matter either, but for one pair: trusted-types-eval-trusts-strings takes
// eval() as the page called it, so it comes before
// string-timer-needs-trusted-types, which decides a string timer as eval()
// (the timer's string still goes to Trusted Types first).
//
// # Security considerations
//
// A dialect's verdict is a prediction of what one engine version did on
// this project's cases, not a guarantee: where a dialect says allowed, an
// engine may still block, and the reverse. Decide is total over arbitrary
// strings: a case the model refuses is refused with the model's error and
// no verdict, never allowed.
package dialect
