package fuzz

import (
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"path"
	"strings"

	"golang.org/x/tools/txtar"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/differential"
)

// Target describes one of the project's fuzz targets for the tools around
// them: the campaign, the seed corpora, the libFuzzer build and the crash
// converter. TestTargetsMatchTheTree holds this list to the Fuzz functions
// in the tree and to their argument types, and the libFuzzer check holds
// .clusterfuzzlite/build.sh to it.
type Target struct {
	Name    string  // the Go function, FuzzDecide
	Dir     string  // its package's directory in the module, "fuzz"
	Binary  string  // the libFuzzer binary's name, fuzz_decide
	Params  []Param // its arguments after *testing.T
	Summary string  // what it compares, one line

	// seeds returns the target's seed inputs. root reads the module's
	// files for targets whose seeds live in testdata.
	seeds func(root fs.FS) ([][]any, error)
	// toCase turns an input into a corpus case, for targets whose inputs
	// are decisions; nil for the others.
	toCase func(args []any) (corpus.Case, error)
}

// Package is the target's import path.
func (t Target) Package() string { return "github.com/cspmodel/cspmodel/" + t.Dir }

// Seeds returns the target's seed inputs, each a list of arguments as
// Params says: its own seeds, then the fuzzer's finds kept in
// <Dir>/testdata/fuzz/<Name>/. root is the module's root directory
// (os.DirFS of it); without one, only the seeds that need no files come.
func (t Target) Seeds(root fs.FS) ([][]any, error) {
	seeds, err := t.seeds(root)
	if err != nil || root == nil {
		return seeds, err
	}
	dir := path.Join(t.Dir, "testdata", "fuzz", t.Name)
	entries, err := fs.ReadDir(root, dir)
	if errors.Is(err, fs.ErrNotExist) {
		return seeds, nil
	}
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := fs.ReadFile(root, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		args, err := UnmarshalGoFuzz(t.Params, data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path.Join(dir, e.Name()), err)
		}
		seeds = append(seeds, args)
	}
	return seeds, nil
}

// Case turns one input of the target into a corpus case: the decision it
// stands for, with no expectation yet. It fails for targets whose inputs
// are not decisions (FuzzParseDocument).
func (t Target) Case(args []any) (corpus.Case, error) {
	if t.toCase == nil {
		return corpus.Case{}, fmt.Errorf("%s's inputs are not decisions, so they cannot become corpus cases", t.Name)
	}
	if len(args) != len(t.Params) {
		return corpus.Case{}, fmt.Errorf("%s takes %d arguments, not %d", t.Name, len(t.Params), len(args))
	}
	return t.toCase(args)
}

// Targets are the project's fuzz targets.
var Targets = []Target{
	{
		Name: "FuzzDecide", Dir: "fuzz", Binary: "fuzz_decide",
		Params:  []Param{String, String, String, String, String, String, String, String, String, String, String},
		Summary: "whole decisions, model against engine",
		seeds: func(fs.FS) ([][]any, error) {
			return asArgs(decideSeeds, decideArgs.list)
		},
		toCase: func(args []any) (corpus.Case, error) {
			return decideArgsOf(args).toCase(), nil
		},
	},
	{
		Name: "FuzzSourceExpression", Dir: "fuzz", Binary: "fuzz_source_expression",
		Params:  []Param{String, String, String, Uint8, Uint8},
		Summary: "#match-url-to-source-list, model against engine, on lists padded past the flat scan",
		seeds: func(fs.FS) ([][]any, error) {
			return asArgs(sourceExpressionSeeds, func(s sourceExpressionSeed) []any {
				return []any{s.expressions, s.url, s.origin, s.redirects, s.shape}
			})
		},
		toCase: sourceExpressionCase,
	},
	{
		Name: "FuzzParsePolicy", Dir: "fuzz", Binary: "fuzz_parse_policy",
		Params:  []Param{String},
		Summary: "the CSP list model and engine parse, and the serialize-parse round trip",
		seeds: func(fs.FS) ([][]any, error) {
			return asArgs(policySeeds, func(s string) []any { return []any{s} })
		},
		toCase: func(args []any) (corpus.Case, error) {
			c := corpus.Case{Policies: decodePolicies(args[0].(string)), SelfOrigin: seedSelf}
			c.Request.Kind = "fetch"
			c.Request.URLList = []string{seedSelf + "/"}
			return c, nil
		},
	},
	{
		Name: "FuzzURLFastPath", Dir: "fuzz", Binary: "fuzz_url_fast_path",
		Params:  []Param{String},
		Summary: "the engine's URL fast path against the full WHATWG parser",
		seeds: func(fs.FS) ([][]any, error) {
			return asArgs(urlFastPathSeeds, func(s string) []any { return []any{s} })
		},
		toCase: func(args []any) (corpus.Case, error) {
			c := corpus.Case{Policies: []corpus.PolicyInput{{Value: "connect-src " + seedSelf, Disposition: "enforce", Source: "header"}}, SelfOrigin: seedSelf}
			c.Request.Kind = "fetch"
			c.Request.URLList = []string{args[0].(string)}
			return c, nil
		},
	},
	{
		Name: "FuzzRecipe", Dir: "fuzz", Binary: "fuzz_recipe",
		Params:  []Param{Bytes},
		Summary: "whole decisions on generator recipes, model against engine (structure-aware)",
		seeds: func(fs.FS) ([][]any, error) {
			return asArgs(recipeSeeds, func(b []byte) []any { return []any{b} })
		},
		toCase: func(args []any) (corpus.Case, error) {
			b, _ := args[0].([]byte)
			return differential.RecipeFromBytes(b).Build("fuzz"), nil
		},
	},
	{
		Name: "FuzzCheckRecipe", Dir: "fuzz", Binary: "fuzz_check_recipe",
		Params:  []Param{Bytes},
		Summary: "the checks beyond requests on generator recipes, model against engine (structure-aware)",
		seeds: func(fs.FS) ([][]any, error) {
			return asArgs(checkRecipeSeeds, func(b []byte) []any { return []any{b} })
		},
		toCase: func(args []any) (corpus.Case, error) {
			b, _ := args[0].([]byte)
			return differential.CheckRecipeFromBytes(b).Build("fuzz"), nil
		},
	},
	{
		Name: "FuzzCheckCase", Dir: "fuzz", Binary: "fuzz_check_case",
		Params:  []Param{Bytes},
		Summary: "vector lines of every check: decoding, model, report bodies and engine stay total",
		seeds: func(fs.FS) ([][]any, error) {
			return asArgs(checkCaseSeeds, func(line []byte) []any { return []any{line} })
		},
		toCase: func(args []any) (corpus.Case, error) {
			line, _ := args[0].([]byte)
			c, err := corpus.DecodeCase(line)
			if err != nil {
				return corpus.Case{}, fmt.Errorf("the input is not a vector line: %w", err)
			}
			return c, nil
		},
	},
	{
		Name: "FuzzInlineCheck", Dir: "fuzz", Binary: "fuzz_inline_check",
		Params:  []Param{String, Uint8, String, String, Uint8, String},
		Summary: "inline checks (nonces, hashes, 'strict-dynamic'), model against engine",
		seeds: func(fs.FS) ([][]any, error) {
			return asArgs(inlineSeeds, func(a inlineArgs) []any {
				return []any{a.policies, a.typ, a.localName, a.attrs, a.flags, a.source}
			})
		},
		toCase: func(args []any) (corpus.Case, error) {
			return inlineArgs{args[0].(string), args[1].(uint8), args[2].(string), args[3].(string), args[4].(uint8), args[5].(string)}.toCase(), nil
		},
	},
	{
		Name: "FuzzGlobalCheck", Dir: "fuzz", Binary: "fuzz_global_check",
		Params:  []Param{String, Uint8, Uint8, String, String, String, Uint8},
		Summary: "eval (with Trusted Types), wasm, rtc and sandbox checks, model against engine",
		seeds: func(fs.FS) ([][]any, error) {
			return asArgs(globalSeeds, func(a globalArgs) []any {
				return []any{a.policies, a.check, a.evalType, a.code, a.body, a.params, a.flags}
			})
		},
		toCase: func(args []any) (corpus.Case, error) {
			return globalArgs{args[0].(string), args[1].(uint8), args[2].(uint8), args[3].(string), args[4].(string), args[5].(string), args[6].(uint8)}.toCase(), nil
		},
	},
	{
		Name: "FuzzNavigationCheck", Dir: "fuzz", Binary: "fuzz_navigation_check",
		Params:  []Param{String, String, Uint8, String, Uint8, String, String},
		Summary: "navigation-request (form-action, javascript: URLs), navigation-response (frame-ancestors) and base checks, model against engine",
		seeds: func(fs.FS) ([][]any, error) {
			return asArgs(navigationSeeds, func(a navigationArgs) []any {
				return []any{a.policies, a.selfOrigin, a.check, a.urls, a.kind, a.response, a.ancestors}
			})
		},
		toCase: func(args []any) (corpus.Case, error) {
			return navigationArgs{args[0].(string), args[1].(string), args[2].(uint8), args[3].(string), args[4].(uint8), args[5].(string), args[6].(string)}.toCase(), nil
		},
	},
	{
		Name: "FuzzEngineInternals", Dir: "engine", Binary: "fuzz_engine_internals",
		Params:  []Param{String, String, String, String, String, String, String, String, String, String, String, Uint8, Uint8, Uint8},
		Summary: "the engine against itself: scans, lay-outs and shared lists, windows, limits, two goroutines",
		seeds: func(fs.FS) ([][]any, error) {
			// FuzzDecide's seeds, with warm-ups, orders and limits
			// that vary from seed to seed.
			return asArgs(decideSeeds, func(a decideArgs) []any {
				h := fnv.New32a()
				h.Write([]byte(a.policies + "\x00" + a.urls + "\x00" + a.destination + a.kind))
				x := h.Sum32()
				return append(a.list(), uint8(x), uint8(x>>8), uint8(x>>16))
			})
		},
		toCase: func(args []any) (corpus.Case, error) {
			// The request: the warm-ups and limits are the engine's
			// own, which a case does not hold.
			return decideArgsOf(args[:11]).toCase(), nil
		},
	},
	{
		Name: "FuzzParseDocument", Dir: "spec", Binary: "fuzz_parse_document",
		Params:  []Param{String},
		Summary: "the Bikeshed reader: no panic, step numbers always rise",
		seeds:   documentSeeds,
	},
}

// TargetNamed returns the target called name.
func TargetNamed(name string) (Target, bool) {
	for _, t := range Targets {
		if t.Name == name {
			return t, true
		}
	}
	return Target{}, false
}

func asArgs[S any](seeds func() ([]S, error), args func(S) []any) ([][]any, error) {
	ss, err := seeds()
	if err != nil {
		return nil, err
	}
	out := make([][]any, len(ss))
	for i, s := range ss {
		out[i] = args(s)
	}
	return out, nil
}

func strs(args []any) []string {
	s := make([]string, len(args))
	for i, a := range args {
		s[i], _ = a.(string)
	}
	return s
}

// documentSeeds are FuzzParseDocument's seeds: the Bikeshed sources in the
// spec audit's fixtures (spec/testdata/audit/*.txtar), which cover the
// shapes CSP3's source uses.
func documentSeeds(root fs.FS) ([][]any, error) {
	if root == nil {
		return nil, nil
	}
	names, err := fs.Glob(root, "spec/testdata/audit/*.txtar")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, errors.New("no spec/testdata/audit/*.txtar under the module root")
	}
	var seeds [][]any
	for _, name := range names {
		data, err := fs.ReadFile(root, name)
		if err != nil {
			return nil, err
		}
		for _, f := range txtar.Parse(data).Files {
			if strings.HasSuffix(f.Name, ".bs") {
				seeds = append(seeds, []any{string(f.Data)})
			}
		}
	}
	if len(seeds) == 0 {
		return nil, fmt.Errorf("no .bs files in %s", path.Join("spec/testdata/audit", "*.txtar"))
	}
	return seeds, nil
}

// sourceExpressionCase turns a FuzzSourceExpression input into a decision:
// a fetch() whose connect-src is the list model and engine disagree on (the
// list as given when they agree), from the origin, redirected as many times
// as the input says through the URL itself.
func sourceExpressionCase(args []any) (corpus.Case, error) {
	expressions, rawURL, origin := args[0].(string), args[1].(string), args[2].(string)
	redirects, shape := args[3].(uint8), args[4].(uint8)
	list, _ := matchDisagreement(expressions, rawURL, origin, redirects, shape)
	if list == nil {
		list = strings.Split(expressions, " ")
	}
	c := corpus.Case{
		Policies:   []corpus.PolicyInput{{Value: "connect-src " + strings.Join(list, " "), Disposition: "enforce", Source: "header"}},
		SelfOrigin: origin,
	}
	c.Request.Kind = "fetch"
	for range int(redirects % 4) {
		c.Request.URLList = append(c.Request.URLList, rawURL)
	}
	c.Request.URLList = append(c.Request.URLList, rawURL)
	return c, nil
}
