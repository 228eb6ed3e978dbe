//go:build gofuzz_libfuzzer

package fuzz

// libFuzzerBuild is true in a binary built by go-118-fuzz-build, which
// builds with the gofuzz_libfuzzer tag. There f.Add does nothing and the
// whole FuzzX function runs for every input, so the targets skip their seed
// loops; the seeds reach the binary as its seed corpus (fuzz/seedcorpus).
const libFuzzerBuild = true
