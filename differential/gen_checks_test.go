package differential

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/prop"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/model"
)

// checkSample draws n cases of check from seed with the model's result and
// the steps its trace took ("anchor step").
func checkSample(t *testing.T, seed int64, check string, n int) (cases []corpus.Case, results []corpus.Result, steps map[string]int) {
	t.Helper()
	steps = map[string]int{}
	err := EachCheck(seed, check, n, func(i int, r CheckRecipe) error {
		c := r.Build(fmt.Sprintf("%s/%d", check, i))
		var tr model.Trace
		res := corpus.RunModel(c, &tr)
		for _, s := range tr.Steps {
			if s.Step != "" {
				steps[s.Anchor+" "+s.Step]++
			}
		}
		cases, results = append(cases, c), append(results, res)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return cases, results, steps
}

// TestCheckGeneratorsBothVerdicts: for every check, the generated cases are
// valid (the model decides every one), and each verdict is common: at
// least a fifth of the cases. A sandbox's flags are empty now and then and
// set now and then.
func TestCheckGeneratorsBothVerdicts(t *testing.T) {
	const n = 400
	for _, ck := range CheckGenerated {
		_, results, _ := checkSample(t, corpus.PinnedSeed, ck, n)
		count := map[string]int{}
		flags := map[bool]int{}
		for _, res := range results {
			if res.Error != "" {
				t.Errorf("%s: %s: %s", ck, res.ID, res.Error)
				continue
			}
			count[res.Verdict]++
			if ck == corpus.CheckSandbox {
				flags[len(res.SandboxFlags) > 0]++
			}
		}
		for _, v := range []string{corpus.VerdictAllowed, corpus.VerdictBlocked} {
			if count[v] < n/5 {
				t.Errorf("%s: %d of %d cases %s (%v)", ck, count[v], n, v, count)
			}
		}
		if ck == corpus.CheckSandbox && (flags[true] < n/10 || flags[false] < n/10) {
			t.Errorf("sandbox: %d cases with flags, %d without", flags[true], flags[false])
		}
		t.Logf("%s: %v", ck, count)
	}
}

// TestCheckGeneratorsReachSteps: the generated cases of each check reach
// the steps of its algorithms that decide, allowing and blocking: a nonce,
// a hash, 'strict-dynamic' and 'unsafe-inline' that match, nonces that a
// dangling attribute or a duplicate attribute disqualify, nonces and hashes
// that override 'unsafe-inline', Trusted Types, form-action and
// javascript: URLs, every ancestor matching and one failing, and so on.
func TestCheckGeneratorsReachSteps(t *testing.T) {
	want := map[string][]string{
		corpus.CheckInline: {"match-element-to-source-list 1", "match-element-to-source-list 2.1.1", "match-element-to-source-list 5.2.1.1",
			"match-element-to-source-list 5.2.2.5.3", "match-element-to-source-list 6", "is-element-nonceable 2.1", "is-element-nonceable 2.2",
			"is-element-nonceable 3", "allow-all-inline 2.1", "allow-all-inline 2.2", "should-block-inline 3.1.6", "should-block-inline 3.1.8"},
		corpus.CheckEval: {"can-compile-strings 2.7", "can-compile-strings 5.3.2", "can-compile-strings 5.3.3", "can-compile-strings 5.3.8",
			"trusted-types#get-trusted-type-compliant-string-algorithm 1"},
		corpus.CheckWasm:               {"can-compile-wasm-bytes 3.3.4", "can-compile-wasm-bytes 4"},
		corpus.CheckNavigationRequest:  {"form-action-pre-navigate 2.1", "form-action-pre-navigate 3", "should-block-navigation-request 3.1.5", "should-block-navigation-request 4.1.1.6", "match-element-to-source-list 5.2.2.5.3"},
		corpus.CheckNavigationResponse: {"frame-ancestors-navigation-response 1", "frame-ancestors-navigation-response 3", "frame-ancestors-navigation-response 4", "frame-ancestors-navigation-response 6.3", "frame-ancestors-navigation-response 7"},
		corpus.CheckBase:               {"allow-base-for-document 2.4.4", "allow-base-for-document 3"},
		corpus.CheckSandbox:            {"sandbox-init 1", "sandbox-init 4", "sandbox-init 5", "html#csp-derived-sandboxing-flags 3", "html#csp-derived-sandboxing-flags 5"},
		corpus.CheckRTC:                {"webrtc-pre-connect 1", "webrtc-pre-connect 2", "should-block-rtc-connection 2.1.5"},
	}
	for _, ck := range CheckGenerated {
		_, _, steps := checkSample(t, corpus.PinnedSeed, ck, 500)
		for _, s := range want[ck] {
			if steps[s] == 0 {
				t.Errorf("%s: no generated case reaches #%s", ck, s)
			}
		}
	}
}

// TestCheckGeneratorsReproducible: a seed gives the same cases every time,
// another seed other cases; every case is a valid vector line that reads
// back as itself.
func TestCheckGeneratorsReproducible(t *testing.T) {
	for _, ck := range CheckGenerated {
		a, _, _ := checkSample(t, 7, ck, 50)
		b, _, _ := checkSample(t, 7, ck, 50)
		c, _, _ := checkSample(t, 8, ck, 50)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: seed 7 gave two different sets", ck)
		}
		if reflect.DeepEqual(a, c) {
			t.Errorf("%s: seeds 7 and 8 gave the same set", ck)
		}
		for _, x := range a {
			line, err := json.Marshal(x)
			if err != nil {
				t.Fatal(err)
			}
			back, err := corpus.DecodeCase(line)
			if err != nil {
				t.Errorf("%s: %v\n%s", x.ID, err, line)
				continue
			}
			again, _ := json.Marshal(back)
			if !bytes.Equal(line, again) {
				t.Errorf("%s: reads back as\n%s, not\n%s", x.ID, again, line)
			}
		}
	}
}

// TestCheckPropertyModelDecides is a gopter property over every check's
// generator: the model decides each generated case (never an error), the
// same way twice, and a sandbox case alone carries sandbox flags.
func TestCheckPropertyModelDecides(t *testing.T) {
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = *propCases / 10
	if *propSeed != 0 {
		params.Rng.Seed(*propSeed)
	}
	props := gopter.NewProperties(params)
	for _, ck := range CheckGenerated {
		props.Property("the model decides every generated "+ck+" case, the same way twice", prop.ForAll(func(r CheckRecipe) bool {
			c := r.Build("p")
			first, second := corpus.RunModel(c, nil), corpus.RunModel(c, nil)
			if first.Error != "" || !reflect.DeepEqual(first, second) {
				return false
			}
			return (first.SandboxFlags != nil) == (ck == corpus.CheckSandbox)
		}, GenCheckRecipe(ck)))
	}
	props.TestingRun(t)
}

// TestCheckRecipeBytesRoundTrip: CheckRecipeFromBytes reads back every
// generated check recipe, with names of its own or without, from its Bytes.
func TestCheckRecipeBytesRoundTrip(t *testing.T) {
	for _, ck := range CheckGenerated {
		for _, each := range []func(int64, string, int, func(int, CheckRecipe) error) error{EachCheck, EachCheckOwn} {
			err := each(3, ck, 300, func(i int, r CheckRecipe) error {
				b := r.Bytes()
				if d := cmp.Diff(r, CheckRecipeFromBytes(b), cmpopts.EquateEmpty()); d != "" {
					return fmt.Errorf("%s recipe %d: CheckRecipeFromBytes(%q) (-want +got):\n%s", ck, i, b, d)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestCheckRecipeFromBytesIsTotal: every byte string is a check recipe,
// and builds a case of bounded size that model and engine decide alike.
func TestCheckRecipeFromBytesIsTotal(t *testing.T) {
	for _, b := range byteStrings(6) {
		c := CheckRecipeFromBytes(b).Build("bytes")
		js, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		if len(js) > 1<<20 {
			t.Errorf("CheckRecipeFromBytes(%d bytes) builds a case of %d bytes", len(b), len(js))
		}
		if d := disagreement(c, corpus.RunModel(c, nil)); d != "" {
			t.Errorf("CheckRecipeFromBytes(%q): %s", b, d)
		}
	}
}

// TestOwnSchemeReaches holds the checks' own names to their scheme: a
// form-action or base-uri list naming the own scheme (ownScheme) meets a
// URL of that scheme without a host, as itself and as a near miss, in
// both the checks that match URLs against such lists.
func TestOwnSchemeReaches(t *testing.T) {
	for _, u := range slices.Concat(navigationURLs, responseURLs, baseURLs) {
		if ofOwnScheme(u) {
			t.Errorf("pool URL %q reads as one of an own scheme (ofOwnScheme), which is never redirected", u)
		}
	}
	const n = 4000
	for _, ck := range []string{corpus.CheckNavigationRequest, corpus.CheckBase} {
		counts := map[bool]int{}
		err := EachCheckOwn(defaultSeed, ck, n, func(i int, r CheckRecipe) error {
			own, url := r.Own.host()
			if own == "" {
				return nil
			}
			c := r.Build(fmt.Sprint(i))
			listed := false
			for _, p := range c.Policies {
				listed = listed || slices.Contains(strings.Fields(strings.ReplaceAll(p.Value, ";", " ")), ownScheme(own)+":")
			}
			urls := []string{c.BaseURL}
			if c.Navigation != nil {
				urls = c.Navigation.URLList
			}
			if listed && slices.ContainsFunc(urls, func(u string) bool { return strings.HasPrefix(u, ownScheme(url)+":/") }) {
				counts[own != url]++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, miss := range []bool{false, true} {
			of := map[bool]string{false: "it", true: "a near miss of it"}[miss]
			t.Logf("%s: %d of %d cases list the own scheme and have a URL of %s", ck, counts[miss], n, of)
			if counts[miss] < 5 {
				t.Errorf("%s: %d of %d cases list the own scheme with a URL of %s, want at least 5", ck, counts[miss], n, of)
			}
		}
	}
}
