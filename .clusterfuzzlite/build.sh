#!/bin/bash -eu
# Builds every fuzz target of cspmodel as a libFuzzer binary in $OUT, with its
# seed corpus, in OSS-Fuzz's base-builder-go image. It serves ClusterFuzzLite
# as .clusterfuzzlite/build.sh and OSS-Fuzz, unchanged, as
# projects/cspmodel/build.sh. fuzz/libfuzzer's test runs it offline with a
# stand-in for compile_native_go_fuzzer (docs/fuzzing.md).
cd "$SRC/cspmodel"

# The Go toolchain go.mod asks for: the base image's Go is older than the
# module's go line, and an environment that holds go to it (GOTOOLCHAIN unset
# or local) would fail the build. The Dockerfile names the same toolchain; a
# named one, or auto (which switches by itself), is kept.
case "${GOTOOLCHAIN:-local}" in
local) export GOTOOLCHAIN="go$(sed -n 's/^go \([0-9.]*\)$/\1/p' go.mod)" ;;
esac

# go-118-fuzz-build compiles each target file against its own package testing.
# GO118FUZZBUILD_VERSION pins it (the local check does); the image's tool is
# built from that project's main branch, so by default take the latest.
go get "github.com/AdamKorcz/go-118-fuzz-build/testing@${GO118FUZZBUILD_VERSION:-latest}"

# The seeds of every target (f.Add does nothing in these binaries).
go run ./fuzz/seedcorpus -o "$OUT"

# One line per fuzz target in fuzz.Targets; a test holds this list to it.
compile_native_go_fuzzer github.com/cspmodel/cspmodel/fuzz FuzzDecide fuzz_decide
compile_native_go_fuzzer github.com/cspmodel/cspmodel/fuzz FuzzSourceExpression fuzz_source_expression
compile_native_go_fuzzer github.com/cspmodel/cspmodel/fuzz FuzzParsePolicy fuzz_parse_policy
compile_native_go_fuzzer github.com/cspmodel/cspmodel/fuzz FuzzURLFastPath fuzz_url_fast_path
compile_native_go_fuzzer github.com/cspmodel/cspmodel/fuzz FuzzRecipe fuzz_recipe
compile_native_go_fuzzer github.com/cspmodel/cspmodel/fuzz FuzzCheckRecipe fuzz_check_recipe
compile_native_go_fuzzer github.com/cspmodel/cspmodel/fuzz FuzzCheckCase fuzz_check_case
compile_native_go_fuzzer github.com/cspmodel/cspmodel/fuzz FuzzInlineCheck fuzz_inline_check
compile_native_go_fuzzer github.com/cspmodel/cspmodel/fuzz FuzzGlobalCheck fuzz_global_check
compile_native_go_fuzzer github.com/cspmodel/cspmodel/fuzz FuzzNavigationCheck fuzz_navigation_check
compile_native_go_fuzzer github.com/cspmodel/cspmodel/engine FuzzEngineInternals fuzz_engine_internals
compile_native_go_fuzzer github.com/cspmodel/cspmodel/spec FuzzParseDocument fuzz_parse_document
