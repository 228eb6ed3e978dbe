// Package fuzz holds the native Go fuzz targets that hold the engine to the
// model. Each target compares the two on inputs the fuzzer mutates and fails
// with a "(-model +engine)" diff and a command that reproduces it:
//
//	FuzzDecide           whole decisions: policies, self-origin, URL list, caller
//	FuzzSourceExpression one source list (usually one expression) against one URL
//	FuzzParsePolicy      policy parsing into the CSP list
//	FuzzURLFastPath      the engine's URL fast path against the full WHATWG parser
//
// Every corpus case (corpus/) is a seed, so `go test ./fuzz` replays them all
// along with the fuzzer's own finds in testdata/fuzz. To fuzz one target:
//
//	go test ./fuzz -run='^$' -fuzz='^FuzzDecide$' -fuzztime=10m
//
// and to run every target in turn, with a summary of executions, new corpus
// entries and failures:
//
//	go run ./fuzz/campaign -fuzztime 15m
//
// docs/fuzzing.md explains how a find becomes a named corpus case.
package fuzz
