// Package fuzz holds the native Go fuzz targets that hold the engine to the
// model. Each target compares the two on inputs the fuzzer mutates and fails
// with a "(-model +engine)" diff and a command that reproduces it:
//
//	FuzzDecide           whole decisions: policies, self-origin, URL list, caller
//	                     or destination, initiator, mode, nonce, integrity,
//	                     parser metadata, WebTransport hashes
//	FuzzSourceExpression one source list against one URL, as given and padded
//	                     past the engine's flat scan as a shape byte chooses
//	FuzzParsePolicy      policy parsing into the CSP list
//	FuzzURLFastPath      the engine's URL fast path against the full WHATWG parser;
//	                     its allocations on canonical URLs; ParseOrigin
//	FuzzRecipe           whole decisions on the case a generator recipe builds
//	FuzzCheckRecipe      every check beyond requests on the case a check recipe builds
//	FuzzCheckCase        a vector line of any check: decoding, model and engine
//	FuzzInlineCheck      inline scripts, styles and attributes
//	FuzzGlobalCheck      eval (with Trusted Types), WebAssembly, WebRTC, sandbox
//	FuzzNavigationCheck  navigation requests and responses, <base> URLs
//
// Every case a target decides is also held to the engine's promises beyond
// the model's decisions (promises.go): the same answer on a CSP that has
// served other questions, into a stale decision, through the checks'
// prepared entry points, without allocating when decided again; and to
// what only the Go API can pass (goapi.go): a kind of global object or a
// request Kind outside its enum, nil and unprepared inputs, each refused
// fail-closed in the model's words or naming what is missing, and a
// delivery whose disposition or source is none of the named values, which
// the model and the engine's CSP refuse alike (unnamed.go).
//
// Every corpus case (corpus/) is a seed, with the field seeds of seeds.go,
// so `go test ./fuzz` replays them all along with the fuzzer's own finds in
// testdata/fuzz. To fuzz one target:
//
//	go test ./fuzz -run='^$' -fuzz='^FuzzDecide$' -fuzztime=10m
//
// The targets also build as libFuzzer binaries with go-118-fuzz-build, the
// way OSS-Fuzz and ClusterFuzzLite build Go fuzz targets. That tool compiles
// only the _test.go file defining the target it builds, against a stand-in
// for package testing, and runs the whole FuzzX function for every input.
// So each target file calls only helpers from this package's non-test files,
// which take a small interface instead of testing types, and each seed list
// is computed once per process.
//
// Targets (targets.go) lists every fuzz target of the project, spec's
// FuzzParseDocument included, for the commands around them:
//
//	go run ./fuzz/campaign -fuzztime 12m           each target in turn, with a summary
//	go run ./fuzz/seedcorpus -o DIR                <binary>_seed_corpus.zip per target
//	go run ./fuzz/tocase -target FuzzDecide -name short-name FILE
//	                                               a crash file becomes a corpus case
//
// .clusterfuzzlite/ holds the OSS-Fuzz/ClusterFuzzLite build, and the test of
// fuzz/libfuzzer runs it offline: every target built as a libFuzzer binary
// and run on its seed corpus, and a planted failure that must crash.
// docs/fuzzing.md explains the workflow.
package fuzz
