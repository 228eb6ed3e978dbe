package differential

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/cspmodel/cspmodel/corpus"
)

// The properties below are consequences of the spec's algorithms that hold
// for every input; each one runs the model on a generated case and on a
// transformed copy, and compares. Every case a property decides also goes
// through the engine (decideBoth), so that the cases a property forces
// (padded lists, long chains, matching metadata) hold the engine to the
// model too. A failure shrinks to a small recipe and prints both cases.

// nonVacuous fails a property test whose interesting branch ran for less
// than a tenth of the generated cases: such a property would pass whatever
// the model did.
func nonVacuous(t *testing.T, name string, n int) {
	t.Helper()
	t.Logf("%s: %d of %d cases compared", name, n, *propCases)
	if n < *propCases/10 {
		t.Errorf("%s compared only %d of %d cases", name, n, *propCases)
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func fail(format string, args ...any) *gopter.PropResult {
	return gopter.NewPropResult(false, fmt.Sprintf(format, args...))
}

var pass = gopter.NewPropResult(true, "")

// changesAlgorithm tells whether a source expression changes how a source
// list is read rather than adding to what it matches: 'strict-dynamic' makes
// script-src ignore its host- and scheme-sources.
func changesAlgorithm(s SourceRecipe) bool {
	return pick(sourceKinds, s.Kind) == "keyword" && pick(keywords, s.Host) == "'strict-dynamic'"
}

// indexOf is the index of v in opts, for recipes that choose a named option.
func indexOf[T comparable](opts []T, v T) uint8 {
	for i, o := range opts {
		if o == v {
			return uint8(i)
		}
	}
	panic(fmt.Sprintf("%v is not an option", v))
}

// TestAddingASourceNeverBlocksMore: #match-url-to-source-list matches when
// any expression matches, so one more expression can only turn Blocked into
// Allowed (keywords that change the algorithm aside, and non-ASCII tokens,
// which drop their whole directive: this property found that). Nonce- and
// hash-sources, too, only add ways to match (#script-pre-request steps
// 1.1-1.2).
func TestAddingASourceNeverBlocksMore(t *testing.T) {
	compared := 0
	props := gopter.NewProperties(parameters(t, *propCases))
	props.Property("adding a source never blocks more", prop.ForAll(func(r Recipe, extra SourceRecipe, where uint8) *gopter.PropResult {
		var slots [][2]int
		for i, p := range r.Policies {
			for j := range p.Directives {
				slots = append(slots, [2]int{i, j})
			}
		}
		if len(slots) == 0 || changesAlgorithm(extra) {
			return pass
		}
		before, ok, bad := decideBoth(r.Build("before"))
		if bad != nil {
			return bad
		}
		if !ok || before.Verdict == corpus.VerdictBlocked {
			return pass
		}
		compared++
		wider := r.clone()
		s := slots[int(where)%len(slots)]
		d := &wider.Policies[s[0]].Directives[s[1]]
		d.Sources = append(d.Sources, extra)
		if !isASCII(wider.Build("after").Policies[s[0]].Value) {
			// Not a source expression at all: #parse-serialized-policy step
			// 3.2 skips a directive that is not ASCII whole, so its policy
			// falls back to default-src, which may block more.
			return pass
		}
		after, ok, bad := decideBoth(wider.Build("after"))
		if bad != nil {
			return bad
		}
		if !ok || after.Verdict != corpus.VerdictAllowed {
			return fail("allowed:\n  %s\nbut with one more source:\n  %s\n  -> %+v", caseJSON(r.Build("before")), caseJSON(wider.Build("after")), after)
		}
		return pass
	}, GenRecipe(), genSource(), gen.UInt8()))
	props.TestingRun(t)
	nonVacuous(t, "allowed cases widened", compared)
}

// TestNoneBlocksEverything: a source list that is 'none' alone matches no URL
// (#match-url-to-source-list step 3), so an enforced connect-src 'none', or
// default-src 'none' without connect-src, blocks every connection the API
// lets the page attempt.
func TestNoneBlocksEverything(t *testing.T) {
	compared := 0
	props := gopter.NewProperties(parameters(t, *propCases))
	props.Property("'none' alone blocks every connection", prop.ForAll(func(r Recipe, viaDefault bool) *gopter.PropResult {
		r.Kind %= 6 // the connection kinds
		name := uint8(0)
		if viaDefault {
			name = 1
		}
		r.Policies = []PolicyRecipe{{Directives: []DirectiveRecipe{{Name: name, Sources: []SourceRecipe{{Kind: indexOf(sourceKinds, "none")}}}}}}
		c := r.Build("none")
		res, ok, bad := decideBoth(c)
		if bad != nil {
			return bad
		}
		if ok {
			compared++
		}
		if ok && res.Verdict != corpus.VerdictBlocked {
			return fail("%s\n  -> %+v", caseJSON(c), res)
		}
		return pass
	}, GenRecipe(), gen.Bool()))
	props.TestingRun(t)
	nonVacuous(t, "connections decided", compared)
}

// TestReportOnlyNeverBlocks: report-only policies only report (main fetch
// step 4 runs #report-for-request, which never blocks), and that holds for
// a prefetch as well, which #does-request-violate-policy step 1 hands to
// #does-resource-hint-violate-policy: half of the cases are made prefetches.
func TestReportOnlyNeverBlocks(t *testing.T) {
	compared, prefetches := 0, 0
	props := gopter.NewProperties(parameters(t, *propCases))
	props.Property("report-only never blocks", prop.ForAll(func(r Recipe, prefetch bool) *gopter.PropResult {
		if prefetch {
			if isConnection(r) {
				r.Kind = 6 + r.Kind%24 // a destination
			}
			r.Request.Initiator = indexOf(initiators, "prefetch")
		}
		c := r.Build("report-only")
		for i := range c.Policies {
			c.Policies[i].Disposition = "report"
		}
		res, ok, bad := decideBoth(c)
		if bad != nil {
			return bad
		}
		if !ok {
			return pass
		}
		compared++
		if prefetch && len(res.Violations) > 0 {
			prefetches++
		}
		if res.Verdict != corpus.VerdictAllowed {
			return fail("%s\n  -> %+v", caseJSON(c), res)
		}
		for _, v := range res.Violations {
			if v.Disposition != "report" {
				return fail("%s\n  -> an enforced violation %+v", caseJSON(c), v)
			}
		}
		return pass
	}, GenRecipe(), gen.Bool()))
	props.TestingRun(t)
	nonVacuous(t, "cases decided", compared)
	nonVacuous(t, "prefetches reported", prefetches)
}

// TestEnforcedPoliciesCompose: #should-block-request blocks when any
// enforced policy's directive says Blocked, so a case is blocked exactly
// when one of its enforced policies, alone, blocks it.
func TestEnforcedPoliciesCompose(t *testing.T) {
	compared := 0
	props := gopter.NewProperties(parameters(t, *propCases))
	props.Property("several enforced policies block iff one does", prop.ForAll(func(r Recipe) *gopter.PropResult {
		c := r.Build("all")
		all, ok, bad := decideBoth(c)
		if bad != nil {
			return bad
		}
		if !ok {
			return pass
		}
		compared++
		anyAlone := false
		for i, p := range c.Policies {
			if p.Disposition == "report" {
				continue
			}
			alone := c
			alone.Policies = []corpus.PolicyInput{c.Policies[i]}
			res, ok, bad := decideBoth(alone)
			if bad != nil {
				return bad
			}
			if !ok {
				return fail("%s decided, but not with policy %d alone: %s", caseJSON(c), i, res.Error)
			}
			anyAlone = anyAlone || res.Verdict == corpus.VerdictBlocked
		}
		if (all.Verdict == corpus.VerdictBlocked) != anyAlone {
			return fail("%s\n  -> %s, but blocked by one policy alone: %v", caseJSON(c), all.Verdict, anyAlone)
		}
		return pass
	}, GenRecipe()))
	props.TestingRun(t)
	nonVacuous(t, "cases decided", compared)
}

// TestDefaultSrcStandsInForConnectSrc: for connection requests, whose
// effective directive is connect-src, #directive-fallback-list falls back to
// default-src, so renaming connect-src to default-src in a policy without
// default-src changes no verdict, and only the violated directive's name in
// the reports.
func TestDefaultSrcStandsInForConnectSrc(t *testing.T) {
	compared := 0
	props := gopter.NewProperties(parameters(t, *propCases))
	props.Property("default-src X acts as connect-src X for connections", prop.ForAll(func(r Recipe) *gopter.PropResult {
		r.Kind %= 6
		renamed := r.clone()
		for i, p := range renamed.Policies {
			hasDefault := false
			for _, d := range p.Directives {
				hasDefault = hasDefault || r.directiveName(d.Name) == "default-src"
			}
			if hasDefault {
				continue
			}
			for j, d := range p.Directives {
				if r.directiveName(d.Name) == "connect-src" {
					renamed.Policies[i].Directives[j].Name = indexOf([]string{"connect-src", "default-src"}, "default-src")
				}
			}
		}
		return sameDecision(r.Build("connect-src"), renamed.Build("default-src"), true, &compared)
	}, GenRecipe()))
	props.TestingRun(t)
	nonVacuous(t, "cases decided", compared)
}

// TestCaseChangesNothing: schemes, hosts, keywords and directive names are
// compared ASCII case-insensitively (#parse-serialized-policy, #match-schemes,
// #match-hosts, the keyword grammar) and URL parsing lowercases schemes and
// hosts, so mixing their case changes no verdict and no report but the
// policy text.
func TestCaseChangesNothing(t *testing.T) {
	compared := 0
	props := gopter.NewProperties(parameters(t, *propCases))
	props.Property("case changes in schemes, hosts and keywords change nothing", prop.ForAll(func(r Recipe) *gopter.PropResult {
		r.MixCase = false
		mixed := r.clone()
		mixed.MixCase = true
		return sameDecision(r.Build("lower"), mixed.Build("mixed"), false, &compared)
	}, GenRecipe()))
	props.TestingRun(t)
	nonVacuous(t, "cases decided", compared)
}

// TestRedirectNeverStricter: after a redirect, #match-paths is skipped
// (#match-url-to-source-expression, the path-part step only applies with
// redirect count 0), so a URL allowed as the first URL of a request is still
// allowed when reached by a redirect from an allowed URL.
func TestRedirectNeverStricter(t *testing.T) {
	compared := 0
	props := gopter.NewProperties(parameters(t, *propCases))
	props.Property("a redirect never makes a path-restricted source stricter", prop.ForAll(func(r Recipe, from, to URLRecipe) *gopter.PropResult {
		if pick(kinds, r.Kind) == "websocket" {
			r.Kind = 0 // a WebSocket cannot be redirected
		}
		r.Chain = 0
		r.URLs = []URLRecipe{from}
		first, ok1, bad := decideBoth(r.Build("first"))
		if bad != nil {
			return bad
		}
		r.URLs = []URLRecipe{to}
		target, ok2, bad := decideBoth(r.Build("target"))
		if bad != nil {
			return bad
		}
		if !ok1 || !ok2 || first.Verdict != corpus.VerdictAllowed || target.Verdict != corpus.VerdictAllowed {
			return pass
		}
		compared++
		r.URLs = []URLRecipe{from, to}
		c := r.Build("redirected")
		res, ok, bad := decideBoth(c)
		if bad != nil {
			return bad
		}
		if !ok {
			return pass // e.g. a non-HTTP(S) URL cannot redirect
		}
		if res.Verdict != corpus.VerdictAllowed {
			return fail("both URLs are allowed alone, but not the redirect:\n%s\n  -> %+v", caseJSON(c), res)
		}
		return pass
	}, GenRecipe(), genURL(), genURL()))
	props.TestingRun(t)
	nonVacuous(t, "pairs of allowed URLs redirected", compared)
}

// TestRedirectLimit: Fetch's HTTP-redirect fetch returns a network error
// when the redirect count is already 20 (step 7), so a request redirected 21
// times is refused; 20 redirects are decided, and repeating a chain's last
// URL up to 20 redirects changes no verdict, since every hop after the first
// is matched alike (#match-url-to-source-expression step 3.6: paths count
// only at redirect count 0).
func TestRedirectLimit(t *testing.T) {
	compared := 0
	props := gopter.NewProperties(parameters(t, *propCases))
	props.Property("20 redirects decide as one, 21 are refused", prop.ForAll(func(r Recipe, from, to URLRecipe) *gopter.PropResult {
		if pick(kinds, r.Kind) == "websocket" {
			r.Kind = 0 // a WebSocket is refused at any length
		}
		r.Chain = 0
		r.URLs = []URLRecipe{from, to}
		two, ok, bad := decideBoth(r.Build("two"))
		if bad != nil {
			return bad
		}
		if !ok {
			return pass // a non-HTTP(S) URL: refused at any length
		}
		compared++
		r.Chain = indexOf(chains, 21)
		limit := r.Build("twenty-redirects")
		res, ok, bad := decideBoth(limit)
		if bad != nil {
			return bad
		}
		if !ok || res.Verdict != two.Verdict {
			return fail("one redirect: %s; the same chain padded to 20 redirects:\n%s\n  -> %+v", two.Verdict, caseJSON(limit), res)
		}
		r.Chain = indexOf(chains, 22)
		past := r.Build("twenty-one-redirects")
		res, ok, bad = decideBoth(past)
		if bad != nil {
			return bad
		}
		if ok {
			return fail("21 redirects were decided:\n%s\n  -> %+v", caseJSON(past), res)
		}
		return pass
	}, GenRecipe(), genURL(), genURL()))
	props.TestingRun(t)
	nonVacuous(t, "chains decided", compared)
}

// TestPaddingChangesNothing: #match-url-to-source-list matches when one
// expression matches, so host-sources that match none of a case's URLs
// change no decision. The engine scans short lists and indexes long ones by
// host (more than 16 host-sources), with "*." wildcards looked up between
// the shallowest and the deepest wildcard of the list: padding every list
// with fillers of varied wildcard depths, to either side of that threshold,
// makes the engine decide the recipe's own sources through both paths.
func TestPaddingChangesNothing(t *testing.T) {
	compared := 0
	props := gopter.NewProperties(parameters(t, *propCases))
	props.Property("host-sources that match nothing change nothing", prop.ForAll(func(r Recipe, pad, depth []uint8) *gopter.PropResult {
		padded := r.clone()
		n := 0
		for i, p := range padded.Policies {
			for j := range p.Directives {
				d := &padded.Policies[i].Directives[j]
				d.Pad = 1 + pad[n%len(pad)]%uint8(len(padTotals)-1)
				d.PadDepth = depth[n%len(depth)]
				n++
			}
		}
		if n == 0 {
			return pass
		}
		return sameDecision(r.Build("plain"), padded.Build("padded"), false, &compared)
	}, GenRecipe(), gen.SliceOfN(4, anyByte), gen.SliceOfN(4, anyByte)))
	props.TestingRun(t)
	nonVacuous(t, "cases decided", compared)
}

// scriptRecipe turns r into a script-like request decided by one policy
// whose single directive (the request's own, script-src or default-src: each
// runs #script-pre-request for it) holds r's first directive's sources and
// extra. A prefetch is made an ordinary request: resource hints have their
// own check.
func scriptRecipe(r Recipe, dest, name uint8, extra ...SourceRecipe) Recipe {
	r.Kind = indexOf(kinds, pick([]string{"dest:script", "dest:audioworklet", "dest:paintworklet"}, dest))
	if i := pick(initiators, r.Request.Initiator); i == "prefetch" || i == "prerender" {
		r.Request.Initiator = 0
	}
	var sources []SourceRecipe
	if len(r.Policies) > 0 && len(r.Policies[0].Directives) > 0 {
		sources = append(sources, r.Policies[0].Directives[0].Sources...)
	}
	p := PolicyRecipe{}
	if len(r.Policies) > 0 {
		p.Disposition, p.Delivery = r.Policies[0].Disposition, r.Policies[0].Delivery
	}
	p.Directives = []DirectiveRecipe{{Name: name % 3, Sources: append(sources, extra...)}}
	r.Policies = []PolicyRecipe{p}
	return r
}

// TestMatchingIntegrityAllows: a hash-source whose algorithm and value are
// the request's integrity metadata allows a script-like request
// (#script-pre-request step 1.2, #script-post-request step 1.3), whatever
// its URL: #match-integrity-metadata-to-source-list step 6 finds every
// token with a known algorithm among the hash-sources (algorithm names in
// any case, SRI options after "?" dropped, unknown algorithms ignored).
func TestMatchingIntegrityAllows(t *testing.T) {
	compared, rescued := 0, 0
	props := gopter.NewProperties(parameters(t, *propCases))
	props.Property("a matching hash-source allows a script", prop.ForAll(func(r Recipe, dest, name, alg, value, options, unknown uint8) *gopter.PropResult {
		a := pick([]string{"sha256", "sha384", "sha512"}, alg)
		v := pick(hashPool, value)
		if strings.Contains(v, "-") {
			v = hashPool[0] // SRI's parser cuts a value at its first "-"
		}
		src := SourceRecipe{Kind: indexOf(sourceKinds, "hash"), Scheme: indexOf(hashAlgs, a), Host: indexOf(hashPool, v)}
		r = scriptRecipe(r, dest, name, src)
		token := pick([]string{a, strings.ToUpper(a), mixCase(a)}, alg/3) + "-" + v + pick([]string{"", "?opt", "?a?b"}, options)
		if unknown%2 == 1 {
			token = "md5-" + v + " " + token
		}
		with := r.Build("integrity")
		with.Request.Integrity = token
		without := with
		without.Request.Integrity = ""
		plain, ok, bad := decideBoth(without)
		if bad != nil || !ok {
			return orPass(bad)
		}
		res, ok, bad := decideBoth(with)
		if bad != nil {
			return bad
		}
		compared++
		if plain.Verdict == corpus.VerdictBlocked {
			rescued++
		}
		if !ok || res.Verdict != corpus.VerdictAllowed || len(res.Violations) > 0 {
			return fail("integrity %q matches a hash-source:\n%s\n  -> %+v", token, caseJSON(with), res)
		}
		return pass
	}, GenRecipe(), gen.UInt8(), gen.UInt8(), gen.UInt8(), gen.UInt8(), gen.UInt8(), gen.UInt8()))
	props.TestingRun(t)
	nonVacuous(t, "cases decided", compared)
	nonVacuous(t, "blocked cases allowed by their hash", rescued)
}

// TestNearMissIntegrityIsNoIntegrity: integrity metadata with one token of
// a known algorithm that no hash-source lists does not match
// (#match-integrity-metadata-to-source-list step 6.1, every token must be
// found), and neither does no metadata (step 5), so a script-like request
// whose metadata holds, besides tokens from the pool, one token that is a
// listed hash-source with a character changed, cut or added (the blocked
// twin of TestMatchingIntegrityAllows) is decided exactly as one without
// metadata.
func TestNearMissIntegrityIsNoIntegrity(t *testing.T) {
	compared := 0
	props := gopter.NewProperties(parameters(t, *propCases))
	props.Property("a near-miss integrity token counts for nothing", prop.ForAll(func(r Recipe, dest, name uint8, others []IntegrityRecipe, alg, value, twist uint8) *gopter.PropResult {
		a := pick([]string{"sha256", "sha384", "sha512"}, alg)
		v := pick(hashPool, value)
		if strings.Contains(v, "-") {
			v = hashPool[0] // SRI's parser cuts a value at its first "-"
		}
		twin := SourceRecipe{Kind: indexOf(sourceKinds, "hash"), Scheme: indexOf(hashAlgs, a), Host: indexOf(hashPool, v)}
		c := scriptRecipe(r, dest, name, twin).Build("near-miss")
		miss := pick([]string{nearMiss(v), flipCase(v), v[:len(v)-1], v + "A"}, twist)
		for _, p := range c.Policies {
			if strings.Contains(p.Value, "-"+miss+"'") {
				return pass
			}
		}
		var tokens []string
		for _, o := range others {
			o.Twist = 0
			tokens = append(tokens, o.build())
		}
		tokens = append(tokens, pick([]string{a, strings.ToUpper(a)}, alg/3)+"-"+miss)
		c.Request.Integrity = strings.Join(tokens, " ")
		none := c
		none.Request.Integrity = ""
		return sameDecision(c, none, false, &compared)
	}, GenRecipe(), anyByte, anyByte, gen.SliceOfN(2, genIntegrity()), anyByte, anyByte, anyByte))
	props.TestingRun(t)
	nonVacuous(t, "cases decided", compared)
}

// TestMatchingNonceAllows: a nonce-source whose value is the request's
// nonce allows a script-like request (#script-pre-request step 1.1) and a
// style request (#style-src-pre-request step 3), whatever its URL; the
// keyword "'nonce-" is ASCII case-insensitive like every grammar literal.
func TestMatchingNonceAllows(t *testing.T) {
	compared, rescued := 0, 0
	props := gopter.NewProperties(parameters(t, *propCases))
	props.Property("a matching nonce-source allows a script or a style", prop.ForAll(func(r Recipe, dest, name, kw, value uint8, style bool) *gopter.PropResult {
		v := pick(noncePool[:4], value) // the valid base64-values
		src := SourceRecipe{Kind: indexOf(sourceKinds, "nonce"), Scheme: kw, Host: indexOf(noncePool, v)}
		r = scriptRecipe(r, dest, name, src)
		if style {
			r.Kind = indexOf(kinds, "dest:style")
		}
		with := r.Build("nonce")
		with.Request.Nonce = v
		without := with
		without.Request.Nonce = ""
		plain, ok, bad := decideBoth(without)
		if bad != nil || !ok {
			return orPass(bad)
		}
		res, ok, bad := decideBoth(with)
		if bad != nil {
			return bad
		}
		compared++
		if plain.Verdict == corpus.VerdictBlocked {
			rescued++
		}
		if !ok || res.Verdict != corpus.VerdictAllowed || len(res.Violations) > 0 {
			return fail("nonce %q matches a nonce-source:\n%s\n  -> %+v", v, caseJSON(with), res)
		}
		return pass
	}, GenRecipe(), gen.UInt8(), gen.UInt8(), gen.UInt8(), gen.UInt8(), gen.Bool()))
	props.TestingRun(t)
	nonVacuous(t, "cases decided", compared)
	nonVacuous(t, "blocked cases allowed by their nonce", rescued)
}

// TestNonceIsCaseSensitive: #match-nonce-to-source-list step 3.1 compares
// the nonce with a nonce-source's base64-value exactly, so a script or style
// request whose nonce is a listed one with the case of one letter changed
// (the blocked twin of TestMatchingNonceAllows) matches nothing, and is
// decided as one without a nonce (step 2).
func TestNonceIsCaseSensitive(t *testing.T) {
	compared := 0
	props := gopter.NewProperties(parameters(t, *propCases))
	props.Property("a nonce in another case counts for nothing", prop.ForAll(func(r Recipe, dest, name, kw, value uint8, style bool) *gopter.PropResult {
		v := pick(noncePool[:4], value) // the valid base64-values
		twin := SourceRecipe{Kind: indexOf(sourceKinds, "nonce"), Scheme: kw, Host: indexOf(noncePool, v)}
		r = scriptRecipe(r, dest, name, twin)
		if style {
			r.Kind = indexOf(kinds, "dest:style")
		}
		c := r.Build("nonce-case")
		miss := flipCase(v)
		for _, p := range c.Policies {
			if strings.Contains(p.Value, "-"+miss+"'") {
				return pass
			}
		}
		c.Request.Nonce = miss
		none := c
		none.Request.Nonce = ""
		return sameDecision(c, none, false, &compared)
	}, GenRecipe(), anyByte, anyByte, anyByte, anyByte, gen.Bool()))
	props.TestingRun(t)
	nonVacuous(t, "cases decided", compared)
}

// TestStrictDynamicIgnoresTheURL: with 'strict-dynamic' in its source list,
// #script-pre-request step 1.3 decides a script-like request by its parser
// metadata alone: a request that is not parser-inserted is allowed whatever
// its URL (and step 1.4.1 of #script-post-request likewise).
func TestStrictDynamicIgnoresTheURL(t *testing.T) {
	compared := 0
	props := gopter.NewProperties(parameters(t, *propCases))
	props.Property("'strict-dynamic' allows what is not parser-inserted", prop.ForAll(func(r Recipe, dest, name uint8) *gopter.PropResult {
		sd := SourceRecipe{Kind: indexOf(sourceKinds, "keyword"), Host: indexOf(keywords, "'strict-dynamic'")}
		r = scriptRecipe(r, dest, name, sd)
		c := r.Build("strict-dynamic")
		if c.Request.ParserMetadata == "parser-inserted" {
			c.Request.ParserMetadata = "not-parser-inserted"
		}
		res, ok, bad := decideBoth(c)
		if bad != nil || !ok {
			return orPass(bad)
		}
		compared++
		if res.Verdict != corpus.VerdictAllowed || len(res.Violations) > 0 {
			return fail("not parser-inserted, under 'strict-dynamic':\n%s\n  -> %+v", caseJSON(c), res)
		}
		return pass
	}, GenRecipe(), gen.UInt8(), gen.UInt8()))
	props.TestingRun(t)
	nonVacuous(t, "cases decided", compared)
}

// TestWebTransportHashesKeyword: 'unsafe-webtransport-hashes' is read by
// #connect-src-pre-request and #connect-src-post-request step 4 only, for a
// request whose mode is "webtransport" with a non-empty WebTransport-hash
// list. Such a request is allowed by every connect-src (or default-src)
// that holds the keyword, and its verdict does not depend on its URL; for
// every other request, the keyword changes nothing.
func TestWebTransportHashesKeyword(t *testing.T) {
	var others, sessions int
	props := gopter.NewProperties(parameters(t, *propCases))
	props.Property("'unsafe-webtransport-hashes' matters only to WebTransport with hashes", prop.ForAll(func(r Recipe, session bool, other URLRecipe) *gopter.PropResult {
		kw := SourceRecipe{Kind: indexOf(sourceKinds, "keyword"), Host: indexOf(keywords, "'unsafe-webtransport-hashes'")}
		with := r.clone()
		for i, p := range with.Policies {
			for j := range p.Directives {
				d := &with.Policies[i].Directives[j]
				d.Sources = append(d.Sources, kw)
			}
		}
		if !session {
			if c := r.Build("without"); c.Request.Mode == "webtransport" && len(c.Request.WebTransportHashes) > 0 {
				return pass
			}
			return sameDecision(r.Build("without"), with.Build("with"), false, &others)
		}
		// A WebTransport session with hashes: destination "", not a
		// resource hint, one URL.
		for _, x := range []*Recipe{&r, &with} {
			x.Kind = indexOf(kinds, "dest:")
			x.Request.Initiator, x.Request.WebTransport, x.Chain = 0, 1, 0
			if len(x.URLs) > 1 {
				x.URLs = x.URLs[:1]
			}
		}
		res, ok, bad := decideBoth(with.Build("with"))
		if bad != nil || !ok {
			return orPass(bad)
		}
		sessions++
		if res.Verdict != corpus.VerdictAllowed || len(res.Violations) > 0 {
			return fail("a WebTransport session under 'unsafe-webtransport-hashes' everywhere:\n%s\n  -> %+v", caseJSON(with.Build("with")), res)
		}
		a, okA, bad := decideBoth(r.Build("one-url"))
		if bad != nil {
			return bad
		}
		r.URLs = []URLRecipe{other}
		b, okB, bad := decideBoth(r.Build("other-url"))
		if bad != nil {
			return bad
		}
		if okA && okB && (a.Verdict != b.Verdict || len(a.Violations) != len(b.Violations)) {
			return fail("a WebTransport session's verdict depends on its URL:\n%s\n  -> %+v\n%s\n  -> %+v", caseJSON(r.Build("other-url")), b, caseJSON(r.Build("one-url")), a)
		}
		return pass
	}, GenRecipe(), gen.Bool(), genURL()))
	props.TestingRun(t)
	t.Logf("%d WebTransport sessions decided", sessions)
	nonVacuous(t, "other cases decided", others)
	nonVacuous(t, "WebTransport sessions decided", sessions)
}

// orPass returns bad, or pass when it is nil.
func orPass(bad *gopter.PropResult) *gopter.PropResult {
	if bad != nil {
		return bad
	}
	return pass
}

// sameDecision decides a and b (and holds the engine to the model on
// both), which must both be decided or both be refused, and when decided
// must have the same shape (see shape); it counts the decided pairs in
// compared.
func sameDecision(a, b corpus.Case, renamed bool, compared *int) *gopter.PropResult {
	ra, oka, bad := decideBoth(a)
	if bad != nil {
		return bad
	}
	rb, okb, bad := decideBoth(b)
	if bad != nil {
		return bad
	}
	if oka != okb {
		return fail("%s\n%s\nonly one could be decided: %q %q", caseJSON(a), caseJSON(b), ra.Error, rb.Error)
	}
	if !oka {
		return pass
	}
	*compared++
	if d := cmp.Diff(shape(ra, renamed), shape(rb, renamed)); d != "" {
		return fail("%s\n%s\n(-%s +%s):\n%s", caseJSON(a), caseJSON(b), a.ID, b.ID, d)
	}
	return pass
}

// shape is what a result says about a request, without the policy text
// (which case changes alter). With renamed, connect-src and default-src are
// the same directive name.
func shape(r corpus.Result, renamed bool) []string {
	out := []string{r.Verdict}
	for _, v := range r.Violations {
		d := v.Directive
		if renamed && d == "connect-src" {
			d = "default-src"
		}
		out = append(out, strings.Join([]string{fmt.Sprint(v.Policy), d, v.EffectiveDirective, v.Disposition, v.BlockedURI, v.Check, fmt.Sprint(v.RedirectCount)}, " "))
	}
	return out
}
