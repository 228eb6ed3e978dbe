// Package libfuzzer holds the offline check of the project's continuous
// fuzzing integration (.clusterfuzzlite/): its test builds every fuzz target
// the way OSS-Fuzz and ClusterFuzzLite do, with go-118-fuzz-build and
// clang's libFuzzer, by running .clusterfuzzlite/build.sh on a copy of the
// tree with a local stand-in for OSS-Fuzz's compile_native_go_fuzzer
// (testdata/compile_native_go_fuzzer); then it runs each binary for a few
// seconds on its seed corpus and fails on a crash. A planted failure checks
// that a disagreement comes out as a libFuzzer crash with a reproducer that
// fuzz/tocase turns into a corpus case.
//
// The build needs clang with libFuzzer's runtime (Debian: clang-16
// libclang-rt-16-dev) and go-118-fuzz-build from the module proxy. Without
// them the test skips with a message, unless CSPMODEL_REQUIRE_LIBFUZZER=1
// (as .ci/run sets), which makes that a failure. -short skips it too.
// CSPMODEL_LIBFUZZER_SECONDS sets how long each binary runs (default 6).
//
// The test also checks, without clang, that the integration files agree with
// the tree: the Dockerfile's Go toolchain is go.mod's, and build.sh builds
// exactly the targets of fuzz.Targets.
package libfuzzer
