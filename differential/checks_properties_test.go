package differential

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/model"
)

// The properties of the checks beyond requests: the engine decides every
// generated case of each check it decides as the model does, and three
// rules of the inline checks hold, each stated on the model and, apart, on
// the engine.

// TestEngineEqualsModelOnChecks draws ten times -prop.cases cases (20,000
// by default) of every check beyond requests, from the properties' seed,
// and holds the engine to the model's verdict and violations field by
// field (or to its refusal); then as many of each check that matches URLs
// with names of their own (EachCheckOwn).
func TestEngineEqualsModelOnChecks(t *testing.T) {
	seed := *propSeed
	if seed == 0 {
		seed = defaultSeed
	}
	n := 10 * *propCases
	run := func(ck, what string, each func(int64, string, int, func(int, CheckRecipe) error) error) {
		verdicts := map[string]int{}
		err := each(seed, ck, n, func(i int, r CheckRecipe) error {
			c := r.Build(fmt.Sprintf("%s%s/%d", ck, what, i))
			want := corpus.RunModel(c, nil)
			if d := disagreement(c, want); d != "" {
				return fmt.Errorf("%s%s case %d: %s", ck, what, i, d)
			}
			verdicts[want.Verdict]++
			return nil
		})
		if err != nil {
			t.Fatalf("%v\nreplay: go test ./differential -run '^TestEngineEqualsModelOnChecks$' -prop.seed=%d", err, seed)
		}
		t.Logf("%s%s: %d cases, verdicts %v", ck, what, n, verdicts)
	}
	for _, ck := range CheckGenerated {
		run(ck, "", EachCheck)
	}
	// The checks that match URLs again, on names of the recipes' own.
	for _, ck := range []string{corpus.CheckNavigationRequest, corpus.CheckNavigationResponse, corpus.CheckBase} {
		run(ck, "/own", EachCheckOwn)
	}
}

// both decides a case with the model and the engine.
func both(c corpus.Case) [2]corpus.Result {
	return [2]corpus.Result{corpus.RunModel(c, nil), corpus.RunEngine(c)}
}

var sides = [2]string{"model", "engine"}

// sameCheckDecision compares two results but for the policies' texts, which a
// transformation changes.
func sameCheckDecision(a, b corpus.Result) []corpus.Difference {
	fields := make([]string, 0, len(corpus.Fields))
	for _, f := range corpus.Fields {
		if f != "original_policy" {
			fields = append(fields, f)
		}
	}
	return corpus.Compare(a, b, fields)
}

// rewriteDirectives rewrites each directive of every policy of c for which
// keep says so, with edit; it reports whether it rewrote one.
func rewriteDirectives(c *corpus.Case, keep func(tokens []string) bool, edit func(tokens []string) []string) bool {
	changed := false
	for i := range c.Policies {
		parts := strings.Split(c.Policies[i].Value, ";")
		for j, part := range parts {
			tokens := strings.Fields(part)
			if len(tokens) < 2 || !keep(tokens[1:]) {
				continue
			}
			parts[j] = " " + tokens[0] + " " + strings.Join(edit(tokens[1:]), " ")
			changed = true
		}
		c.Policies[i].Value = strings.Join(parts, ";")
	}
	return changed
}

func hasKind(tokens []string, kinds ...model.SourceExpressionKind) bool {
	for _, tok := range tokens {
		k := model.ParseSourceExpression(tok).Kind
		for _, want := range kinds {
			if k == want {
				return true
			}
		}
	}
	return false
}

func hasKeyword(tokens []string, keyword string) bool {
	for _, tok := range tokens {
		if strings.EqualFold(tok, keyword) {
			return true
		}
	}
	return false
}

// TestUnsafeInlineBesideANonceOrHashAllowsNothing: a list that holds a
// nonce-source or a hash-source never allows all inline behavior
// (#allow-all-inline step 2.1), so adding 'unsafe-inline' to it never
// allows more; here the whole decision stays the same, on the model and on
// the engine.
func TestUnsafeInlineBesideANonceOrHashAllowsNothing(t *testing.T) {
	compared := 0
	props := gopter.NewProperties(parameters(t, *propCases))
	props.Property("'unsafe-inline' next to a nonce or a hash changes nothing", prop.ForAll(func(r CheckRecipe) *gopter.PropResult {
		c := r.Build("generated")
		plus := c
		plus.Policies = append([]corpus.PolicyInput(nil), c.Policies...)
		if !rewriteDirectives(&plus, func(tokens []string) bool { return hasKind(tokens, model.NonceSource, model.HashSource) },
			func(tokens []string) []string { return append(tokens, "'unsafe-inline'") }) {
			return pass
		}
		compared++
		before, after := both(c), both(plus)
		for s := range sides {
			if before[s].Verdict == corpus.VerdictBlocked && after[s].Verdict == corpus.VerdictAllowed || len(sameCheckDecision(before[s], after[s])) > 0 {
				return fail("%s: %s\ngave %+v\nwith 'unsafe-inline': %s\ngave %+v", sides[s], caseJSON(c), before[s], caseJSON(plus), after[s])
			}
		}
		return pass
	}, GenCheckRecipe(corpus.CheckInline)))
	props.TestingRun(t)
	nonVacuous(t, "nonce or hash lists", compared)
}

// TestStrictDynamicIgnoresHostsAndUnsafeInline: in a list with
// 'strict-dynamic' (added here to every script directive and default-src
// of a generated inline script or event handler case), neither host-sources nor 'unsafe-inline' change the
// decision of an inline script or event handler (#allow-all-inline step
// 2.2; host-sources never match inline behavior): adding both, or taking
// every host-source and 'unsafe-inline' away, leaves it as it was, on the
// model and on the engine.
func TestStrictDynamicIgnoresHostsAndUnsafeInline(t *testing.T) {
	compared := 0
	props := gopter.NewProperties(parameters(t, *propCases))
	props.Property("'strict-dynamic' ignores host-sources and 'unsafe-inline'", prop.ForAll(func(r CheckRecipe, remove bool) *gopter.PropResult {
		// An inline script or event handler, under lists of the script
		// directives that all hold 'strict-dynamic'.
		r.Type %= 2
		c := r.Build("generated")
		if typ := c.Inline.Type; typ != model.InlineScript && typ != model.InlineScriptAttribute {
			return fail("type %q is not a script type", typ)
		}
		c.Policies = append([]corpus.PolicyInput(nil), c.Policies...)
		for i := range c.Policies {
			parts := strings.Split(c.Policies[i].Value, ";")
			for j, part := range parts {
				if name, _, _ := strings.Cut(strings.TrimSpace(part), " "); strings.HasPrefix(name, "script-src") || name == "default-src" {
					parts[j] = part + " 'strict-dynamic'"
				}
			}
			c.Policies[i].Value = strings.Join(parts, ";")
		}
		edited := c
		edited.Policies = append([]corpus.PolicyInput(nil), c.Policies...)
		edit := func(tokens []string) []string {
			return append(tokens, "https://evil.example", "*.example.com", "'unsafe-inline'", "'UNSAFE-INLINE'")
		}
		if remove {
			edit = func(tokens []string) []string {
				var kept []string
				for _, tok := range tokens {
					if model.ParseSourceExpression(tok).Kind != model.HostSource && !strings.EqualFold(tok, "'unsafe-inline'") {
						kept = append(kept, tok)
					}
				}
				return kept
			}
		}
		if !rewriteDirectives(&edited, func(tokens []string) bool { return hasKeyword(tokens, "'strict-dynamic'") }, edit) {
			return pass
		}
		compared++
		before, after := both(c), both(edited)
		for s := range sides {
			if d := sameCheckDecision(before[s], after[s]); len(d) > 0 {
				return fail("%s: %s\ngave %+v\nedited (remove %v): %s\ngave %+v\n%v", sides[s], caseJSON(c), before[s], remove, caseJSON(edited), after[s], d)
			}
		}
		return pass
	}, GenCheckRecipe(corpus.CheckInline), gen.Bool()))
	props.TestingRun(t)
	nonVacuous(t, "script types under 'strict-dynamic'", compared)
}

// hashSourceOf is the hash-source of text's UTF-8 bytes under alg (0:
// sha256, 1: sha384, 2: sha512), in base64 or in base64url (which matches
// only with its padding, A15).
func hashSourceOf(alg uint8, text string, url bool) string {
	var sum []byte
	name := "sha256"
	switch alg % 3 {
	case 1:
		s := sha512.Sum384([]byte(text))
		sum, name = s[:], "sha384"
	case 2:
		s := sha512.Sum512([]byte(text))
		sum, name = s[:], "sha512"
	default:
		s := sha256.Sum256([]byte(text))
		sum = s[:]
	}
	enc := base64.StdEncoding
	if url {
		enc = base64.URLEncoding
	}
	return "'" + name + "-" + enc.EncodeToString(sum) + "'"
}

// TestOneByteBreaksAHash: an inline text allowed by its own hash alone is
// blocked once one byte of it changes (a digest of other bytes), on the
// model and on the engine. The changed text stays valid UTF-8: Infra's
// conversion turns every lone surrogate and the model every invalid byte
// into U+FFFD, so two texts that differ only there share a digest.
func TestOneByteBreaksAHash(t *testing.T) {
	compared := 0
	props := gopter.NewProperties(parameters(t, *propCases))
	props.Property("one byte changed breaks a hash match", prop.ForAll(func(text string, pos int, b byte, alg uint8, url bool, typ uint8) *gopter.PropResult {
		if text == "" {
			return pass
		}
		pos %= len(text)
		changed := []byte(text)
		if changed[pos] == b || !utf8.ValidString(text) {
			return pass
		}
		changed[pos] = b
		if !utf8.Valid(changed) {
			return pass
		}
		types := []string{model.InlineScript, model.InlineStyle, model.InlineScriptAttribute, model.InlineStyleAttribute}
		inline := types[int(typ)%len(types)]
		directive := "script-src"
		if strings.HasPrefix(inline, "style") {
			directive = "style-src"
		}
		c := corpus.Case{ID: "hash", CheckType: corpus.CheckInline, SelfOrigin: "https://example.com",
			Policies: []corpus.PolicyInput{{Value: directive + " 'unsafe-hashes' " + hashSourceOf(alg, text, url) + " 'report-sample'"}},
			Inline:   &corpus.InlineInput{Type: inline, Element: &corpus.ElementInput{LocalName: "p"}, Source: text}}
		mutated := c
		in := *c.Inline
		in.Source = string(changed)
		mutated.Inline = &in
		compared++
		before, after := both(c), both(mutated)
		for s := range sides {
			if before[s].Verdict != corpus.VerdictAllowed || after[s].Verdict != corpus.VerdictBlocked {
				return fail("%s: %s gave %s; with byte %d set to %#x: %s gave %+v", sides[s], caseJSON(c), before[s].Verdict, pos, b, caseJSON(mutated), after[s])
			}
		}
		return pass
	}, gen.OneGenOf(gen.AnyString(), gen.AlphaString(), gen.OneConstOf(checkTexts[0], checkTexts[4], checkTexts[5])),
		gen.IntRange(0, 1<<20), gen.UInt8(), gen.UInt8(), gen.Bool(), gen.UInt8()))
	props.TestingRun(t)
	nonVacuous(t, "texts with one byte changed", compared)
}
