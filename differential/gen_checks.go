package differential

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"hash/fnv"
	"math/rand"
	"reflect"
	"strings"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"

	"github.com/cspmodel/cspmodel/corpus"
)

// This file generates cases of the checks other than requests (inline,
// eval, wasm, navigation-request, navigation-response, base, sandbox,
// rtc), in the manner of gen.go's request recipes: a CheckRecipe is a tree
// of small integers, each choosing among options ordered from the simplest,
// so that gopter shrinks a failing recipe to a short, plain case. Each
// check draws its sources from a pool of its own, built around the case's
// text, nonce and URLs so that both verdicts are common: nonces and digests
// that match and that nearly match, 'unsafe-inline' with and without a
// nonce, hash or 'strict-dynamic', 'unsafe-hashes', 'report-sample',
// 'unsafe-eval', 'wasm-unsafe-eval', form-action and frame-ancestors near
// the URLs and ancestors, base-uri, sandbox tokens and webrtc values.

// CheckRecipe chooses every part of a generated case of one check. Build
// reads only the parts its check uses.
type CheckRecipe struct {
	Check    string
	Self     uint8 // the self-origin, from checkOrigins
	Global   uint8 // window mostly; worker and worklet where the check allows
	Policies []CheckPolicyRecipe
	// Inline and eval
	Type    uint8 // the inline type or the eval type
	Text    uint8 // the inline text or the eval code, from checkTexts
	Element ElementRecipe
	Trusted uint8 // eval: none, the body, the body and parameters as TrustedScripts
	// Navigations and base
	NavigationType uint8
	URLs           []uint8 // from navigationURLs: the navigation's URL list
	Response       []CheckPolicyRecipe
	Ancestors      []uint8 // from ancestorPool, parent first
	Base           uint8   // from basePool
	// Own is a host and a path segment of the recipe's own (gen.go's
	// OwnRecipe), for the checks that match URLs: when present they come
	// first among the host-sources, the URLs, the ancestors and the <base>
	// URLs (the URLs naming the host as OwnRecipe's Miss says), and the
	// self-origin is https on the own host when Self is even. EachCheck
	// leaves it empty, EachCheckOwn draws it.
	Own OwnRecipe
}

// CheckPolicyRecipe chooses one policy delivery of a generated check case.
type CheckPolicyRecipe struct {
	Disposition uint8 // mostly enforce; report sometimes
	Delivery    uint8 // mostly header; meta sometimes (never for a response)
	Directives  []CheckDirectiveRecipe
}

// CheckDirectiveRecipe chooses a directive, from the check's directive
// list (the check's own first), and its sources from the check's pool.
type CheckDirectiveRecipe struct {
	Name    uint8
	Sources []uint8
}

// ElementRecipe chooses the element of an inline case.
type ElementRecipe struct {
	Name              uint8 // for the attribute types: the element's local name
	Nonce             uint8 // none, the policy's nonce, a near miss
	Dangling          uint8 // none; an attribute named "<script"; a value holding "<style"
	NotParserInserted bool
	Duplicate         bool
}

var (
	checkOrigins   = []string{"https://example.com", "https://example.com", "http://example.com", "https://sub.example.com", "null"}
	checkTexts     = []string{"alert(1)", "doSubmit()", "", "color: red", "document.body.className = 'ready'; // a sample is cut at forty characters", "caf\u00e9 \u2603"}
	inlineTypes    = []string{"script", "script attribute", "style", "style attribute"}
	attrElements   = []string{"button", "p", "script"}
	evalTypes      = []string{"EVAL", "FUNCTION", "TIMER"}
	navigationURLs = []string{"https://example.com/submit", "javascript:void(0)", "https://evil.example/collect", "https://sub.example.com/form", "http://example.com/submit", "https://example.com:8443/x"}
	responseURLs   = []string{"https://example.com/framed", "https://partner.example/widget", "http://example.com/framed", "data:text/html,hi"}
	ancestorPool   = []string{"https://example.com", "https://evil.example", "https://partner.example", "https://sub.example.com", "null", "http://example.com"}
	baseURLs       = []string{"https://example.com/", "https://evil.com/", "https://example.com/app/", "http://example.com/", "https://cdn.example.com/", "https://EXAMPLE.com:443/"}
	sandboxTokens  = []string{"allow-scripts", "allow-same-origin", "allow-forms", "allow-popups", "allow-top-navigation", "allow-modals", "ALLOW-SCRIPTS", "allow-downloads", "allow-scripts allow-same-origin", "junk"}
	webrtcValues   = []string{"'allow'", "'block'", "'ALLOW'", "'allow' 'block'", "allow", "'none'"}
	hostSources    = []string{"https://example.com", "https://evil.example", "*.example.com", "https://example.com/submit", "http://example.com", "https://partner.example", "example.com"}
	nonceValue     = "abc123"

	checkDispositions = []string{"enforce", "enforce", "enforce", "report"}
	checkDeliveries   = []string{"header", "header", "header", "header", "meta"}
)

// choose takes option i of opts, modulo their number. (This file keeps
// helpers of its own so that it depends on gen.go for nothing.)
func choose[T any](opts []T, i uint8) T { return opts[int(i)%len(opts)] }

// checkDirectives are the directives each check's policies draw from, the
// check's own first.
var checkDirectives = map[string][]string{
	corpus.CheckInline:             {"script-src", "default-src", "style-src", "script-src-elem", "script-src-attr", "style-src-elem", "style-src-attr", "img-src"},
	corpus.CheckEval:               {"script-src", "default-src", "require-trusted-types-for", "script-src-elem", "img-src"},
	corpus.CheckWasm:               {"script-src", "default-src", "script-src-elem", "img-src"},
	corpus.CheckNavigationRequest:  {"form-action", "script-src", "default-src", "img-src"},
	corpus.CheckNavigationResponse: {"frame-ancestors", "form-action", "default-src"},
	corpus.CheckBase:               {"base-uri", "default-src", "script-src"},
	corpus.CheckSandbox:            {"sandbox", "script-src"},
	corpus.CheckRTC:                {"webrtc", "default-src", "connect-src"},
}

// CheckGenerated lists the checks the generators cover, in the order csp
// vectors generate writes them.
var CheckGenerated = []string{corpus.CheckInline, corpus.CheckEval, corpus.CheckWasm, corpus.CheckNavigationRequest,
	corpus.CheckNavigationResponse, corpus.CheckBase, corpus.CheckSandbox, corpus.CheckRTC}

// digestOf returns the hash-source of text (its UTF-8 bytes) under
// algorithm, in base64 or in unpadded base64url.
func digestOf(algorithm, text string, url bool) string {
	var sum []byte
	switch algorithm {
	case "sha384":
		s := sha512.Sum384([]byte(text))
		sum = s[:]
	default:
		s := sha256.Sum256([]byte(text))
		sum = s[:]
	}
	enc := base64.StdEncoding
	if url {
		enc = base64.RawURLEncoding
	}
	return "'" + algorithm + "-" + enc.EncodeToString(sum) + "'"
}

// sourcePool returns the sources a directive of the recipe's check draws
// from, built around the case's text and URLs.
func (r CheckRecipe) sourcePool(directive string) []string {
	text := choose(checkTexts, r.Text)
	switch r.Check {
	case corpus.CheckInline:
		return []string{"'self'", "'unsafe-inline'", "'nonce-" + nonceValue + "'", digestOf("sha256", text, false), "'none'",
			"'unsafe-hashes'", "'strict-dynamic'", "'report-sample'", "'nonce-abc124'", digestOf("sha256", text+" ", false),
			digestOf("sha384", text, false), digestOf("sha256", text, true), "https:", "*", "'unsafe-eval'", "'Nonce-" + nonceValue + "'"}
	case corpus.CheckEval, corpus.CheckWasm:
		if directive == "require-trusted-types-for" {
			return []string{"'script'", "'script'", "'style'"}
		}
		return []string{"'self'", "'unsafe-eval'", "'wasm-unsafe-eval'", "'report-sample'", "'none'", "'trusted-types-eval'",
			"'unsafe-inline'", "'UNSAFE-EVAL'", "https:", "*"}
	case corpus.CheckNavigationRequest:
		js := "javascript:void(0)"
		if directive == "script-src" || directive == "default-src" {
			return []string{"'self'", "'unsafe-hashes'", digestOf("sha256", js, false), "'unsafe-inline'", "'none'", "'report-sample'",
				"'strict-dynamic'", digestOf("sha256", "void(0)", false), "https:", "*"}
		}
		return append(r.ownSources([]string{"'self'", "'none'", "*", "https:", "'unsafe-inline'"}), hostSources...)
	case corpus.CheckNavigationResponse, corpus.CheckBase:
		return append(r.ownSources([]string{"'self'", "'none'", "*", "https:", "'unsafe-inline'"}), hostSources...)
	case corpus.CheckSandbox:
		if directive == "sandbox" {
			return sandboxTokens
		}
		return []string{"'self'", "'none'"}
	case corpus.CheckRTC:
		if directive == "webrtc" {
			return webrtcValues
		}
		return []string{"'self'", "'none'", "*"}
	}
	return []string{"'self'"}
}

// ownSources puts before pool the host-sources of the own host, when the
// recipe has one: 'self' first (the self-origin is often the own host),
// then the host with a scheme, without, with the own path segment, and
// as a wildcard's suffix; last the scheme-source of the own scheme
// (ownScheme).
func (r CheckRecipe) ownSources(pool []string) []string {
	own, _ := r.Own.host()
	if own == "" {
		return pool
	}
	return append([]string{"'self'", "https://" + own, own, "https://" + own + r.Own.path(), "*." + own, ownScheme(own) + ":"}, pool...)
}

// ownURL puts before pool the URL of the own host (as the URLs name it)
// with the own path segment, then a URL of the own scheme with no host
// and that path, when the recipe has an own host.
func (r CheckRecipe) ownURL(pool []string) []string {
	own, url := r.Own.host()
	if own == "" {
		return pool
	}
	return append([]string{"https://" + url + r.Own.path(), ownScheme(url) + ":" + r.Own.path()}, pool...)
}

// ownScheme is a scheme of no special meaning named after an own host:
// its scheme-source and a URL without a host that the source allows (or,
// from a near miss of the host, does not) meet in the checks' matcher
// where a list's rare parts are decided, which no fixed pool reaches.
func ownScheme(host string) string { return "x" + host }

// ofOwnScheme reports whether s, a URL of the checks' pools or of ownURL,
// is of an own scheme (ownScheme), which takes part in no redirect: no
// pool URL starts with "x".
func ofOwnScheme(s string) bool { return strings.HasPrefix(s, "x") }

// responseDirectives are the directives of a navigation response's own
// policies, frame-ancestors first.
var responseDirectives = []string{"frame-ancestors", "default-src", "form-action"}

// policy writes one generated policy of directives drawn from names.
func (r CheckRecipe) policy(p CheckPolicyRecipe, names []string) string {
	var parts []string
	for _, d := range p.Directives {
		name := choose(names, d.Name)
		words := []string{name}
		pool := r.sourcePool(name)
		for _, s := range d.Sources {
			words = append(words, choose(pool, s))
		}
		if r.Check == corpus.CheckRTC && name == "webrtc" && len(d.Sources) > 1 {
			words = words[:2] // webrtc takes one value; the pool holds the odd ones
		}
		parts = append(parts, strings.Join(words, " "))
	}
	return strings.Join(parts, "; ")
}

// Build turns a recipe into a case with the given id. It never fails:
// every choice is taken modulo its options.
func (r CheckRecipe) Build(id string) corpus.Case {
	c := corpus.Case{ID: id, CheckType: r.Check, SelfOrigin: choose(checkOrigins, r.Self)}
	if own, _ := r.Own.host(); own != "" && r.Self%2 == 0 {
		c.SelfOrigin = "https://" + own
	}
	for _, p := range r.Policies {
		in := corpus.PolicyInput{Value: r.policy(p, checkDirectives[r.Check]), Disposition: choose(checkDispositions, p.Disposition), Source: choose(checkDeliveries, p.Delivery)}
		c.Policies = append(c.Policies, in)
	}
	// Workers and worklets where the check runs in them: a sandbox stops
	// only a worker, so sandbox cases have more.
	kinds := []string{"", "", "", "worker", "worklet"}
	if r.Check == corpus.CheckSandbox {
		kinds = []string{"", "worker", "worker", "worklet"}
	}
	switch r.Check {
	case corpus.CheckEval, corpus.CheckWasm, corpus.CheckSandbox, corpus.CheckRTC:
		if kind := choose(kinds, r.Global); kind != "" {
			c.Global = &corpus.GlobalInput{Kind: kind}
		}
	}
	text := choose(checkTexts, r.Text)
	switch r.Check {
	case corpus.CheckInline:
		typ := choose(inlineTypes, r.Type)
		in := &corpus.InlineInput{Type: typ, Source: text}
		e := &corpus.ElementInput{NotParserInserted: r.Element.NotParserInserted, DuplicateAttribute: r.Element.Duplicate}
		if strings.HasSuffix(typ, " attribute") {
			e.LocalName = choose(attrElements, r.Element.Name)
			name := "onclick"
			if strings.HasPrefix(typ, "style") {
				name = "style"
			}
			e.Attributes = append(e.Attributes, corpus.Attribute{name, text})
		}
		switch r.Element.Dangling % 3 {
		case 1:
			e.Attributes = append(e.Attributes, corpus.Attribute{"<script", ""})
		case 2:
			e.Attributes = append(e.Attributes, corpus.Attribute{"title", "<style>"})
		}
		switch r.Element.Nonce % 3 {
		case 1:
			e.Attributes = append(e.Attributes, corpus.Attribute{"nonce", nonceValue})
		case 2:
			e.Attributes = append(e.Attributes, corpus.Attribute{"nonce", "abc124"})
		}
		if !reflect.ValueOf(*e).IsZero() {
			in.Element = e
		}
		c.Inline = in
	case corpus.CheckEval:
		e := &corpus.EvalInput{Type: choose(evalTypes, r.Type), Code: text}
		if e.Type == "FUNCTION" {
			params := []string{"a"}
			if r.Text%2 == 1 {
				params = []string{"a", "b"}
			}
			body := text
			e.Code = "function anonymous(" + strings.Join(params, ",") + "\n) {\n" + body + "\n}"
			e.Body, e.Parameters = &body, params
		}
		if e.Type != "TIMER" && r.Trusted%3 > 0 {
			e.BodyArg = &corpus.ScriptValueInput{TrustedScript: true}
			if r.Trusted%3 == 2 {
				for range e.Parameters {
					e.ParameterArgs = append(e.ParameterArgs, corpus.ScriptValueInput{TrustedScript: true})
				}
			}
		}
		c.Eval = e
	case corpus.CheckNavigationRequest, corpus.CheckNavigationResponse:
		n := &corpus.NavigationInput{Type: choose([]string{"form-submission", "form-submission", "other"}, r.NavigationType)}
		urls := r.URLs
		if len(urls) == 0 {
			urls = []uint8{0}
		}
		for i, u := range urls {
			s := choose(r.ownURL(navigationURLs), u)
			if r.Check == corpus.CheckNavigationResponse && i == len(urls)-1 {
				s = choose(r.ownURL(responseURLs), u)
			}
			// A javascript: URL is never redirected, and a redirect goes to
			// HTTP(S) URLs only.
			if (strings.HasPrefix(s, "javascript:") || ofOwnScheme(s)) && len(urls) > 1 || strings.HasPrefix(s, "data:") && i > 0 {
				s = navigationURLs[2]
			}
			n.URLList = append(n.URLList, s)
		}
		if r.Check == corpus.CheckNavigationResponse {
			var rp []corpus.PolicyInput
			for _, p := range r.Response {
				rp = append(rp, corpus.PolicyInput{Value: r.policy(p, responseDirectives), Disposition: choose(checkDispositions, p.Disposition), Source: "header"})
			}
			if rp != nil {
				n.Response = &corpus.ResponseInput{Policies: rp}
			}
			for _, a := range r.Ancestors {
				pool := ancestorPool
				if own, url := r.Own.host(); own != "" {
					pool = append([]string{"https://" + url}, pool...)
				}
				n.Ancestors = append(n.Ancestors, choose(pool, a))
			}
		}
		c.Navigation = n
	case corpus.CheckBase:
		c.BaseURL = choose(r.ownURL(baseURLs), r.Base)
	}
	return c
}

// Generators.

// checkSliceOf generates slices of elem whose length is drawn with the
// given weights (weights[n] for length n), shrinking both by dropping
// elements and by shrinking each one.
func checkSliceOf(elem gopter.Gen, typ reflect.Type, weights ...int) gopter.Gen {
	total := 0
	for _, w := range weights {
		total += w
	}
	return func(params *gopter.GenParameters) *gopter.GenResult {
		x, n := params.Rng.Intn(total), 0
		for x >= weights[n] {
			x -= weights[n]
			n++
		}
		out := reflect.MakeSlice(reflect.SliceOf(typ), 0, n)
		shrinker := gopter.NoShrinker
		for i := 0; i < n; i++ {
			r := elem(params)
			if v, ok := r.Retrieve(); ok {
				out = reflect.Append(out, reflect.ValueOf(v))
				shrinker = r.Shrinker
			}
		}
		return gopter.NewGenResult(out.Interface(), gen.SliceShrinker(shrinker))
	}
}

// simpleFirst draws a choice among the first n+1 options half the time,
// and any choice the other half.
func simpleFirst(n uint8) gopter.Gen {
	return gen.Weighted([]gen.WeightedGen{{Weight: 1, Gen: gen.UInt8Range(0, n)}, {Weight: 1, Gen: gen.UInt8()}})
}

func genCheckDirective() gopter.Gen {
	return gen.Struct(reflect.TypeOf(CheckDirectiveRecipe{}), map[string]gopter.Gen{
		// The check's own directive most of the time.
		"Name":    gen.Weighted([]gen.WeightedGen{{Weight: 7, Gen: gen.Const(uint8(0))}, {Weight: 3, Gen: gen.UInt8()}}),
		"Sources": checkSliceOf(simpleFirst(3), reflect.TypeOf(uint8(0)), 1, 5, 4, 2),
	})
}

func genCheckPolicy() gopter.Gen {
	return gen.Struct(reflect.TypeOf(CheckPolicyRecipe{}), map[string]gopter.Gen{
		"Disposition": gen.UInt8(), "Delivery": gen.UInt8(),
		"Directives": checkSliceOf(genCheckDirective(), reflect.TypeOf(CheckDirectiveRecipe{}), 0, 7, 3),
	})
}

// GenCheckRecipe generates recipes of cases of check (one of
// CheckGenerated): one or two policies of one or two directives, the
// check's own directive most often, and the check's input.
func GenCheckRecipe(check string) gopter.Gen {
	return gen.Struct(reflect.TypeOf(CheckRecipe{}), checkRecipeGens(check))
}

// GenCheckRecipeOwn generates recipes as GenCheckRecipe does, with names of
// their own drawn as GenRecipeOwn draws them.
func GenCheckRecipeOwn(check string) gopter.Gen {
	gens := checkRecipeGens(check)
	gens["Own"] = genOwn()
	return gen.Struct(reflect.TypeOf(CheckRecipe{}), gens)
}

func checkRecipeGens(check string) map[string]gopter.Gen {
	return map[string]gopter.Gen{
		"Check":    gen.Const(check),
		"Self":     simpleFirst(1),
		"Global":   gen.UInt8(),
		"Policies": checkSliceOf(genCheckPolicy(), reflect.TypeOf(CheckPolicyRecipe{}), 1, 8, 3),
		"Type":     gen.Weighted([]gen.WeightedGen{{Weight: 3, Gen: gen.Const(uint8(0))}, {Weight: 2, Gen: gen.UInt8()}}),
		"Text":     simpleFirst(1),
		"Element": gen.Struct(reflect.TypeOf(ElementRecipe{}), map[string]gopter.Gen{
			"Name": gen.UInt8(), "Nonce": gen.UInt8(),
			"Dangling":          gen.Weighted([]gen.WeightedGen{{Weight: 4, Gen: gen.Const(uint8(0))}, {Weight: 1, Gen: gen.UInt8()}}),
			"NotParserInserted": gen.Weighted([]gen.WeightedGen{{Weight: 4, Gen: gen.Const(false)}, {Weight: 1, Gen: gen.Const(true)}}),
			"Duplicate":         gen.Weighted([]gen.WeightedGen{{Weight: 9, Gen: gen.Const(false)}, {Weight: 1, Gen: gen.Const(true)}}),
		}),
		"Trusted":        gen.Weighted([]gen.WeightedGen{{Weight: 3, Gen: gen.Const(uint8(0))}, {Weight: 1, Gen: gen.UInt8()}}),
		"NavigationType": gen.UInt8(),
		"URLs":           checkSliceOf(simpleFirst(1), reflect.TypeOf(uint8(0)), 0, 6, 3, 1),
		"Response":       checkSliceOf(genCheckPolicy(), reflect.TypeOf(CheckPolicyRecipe{}), 1, 6, 2),
		"Ancestors":      checkSliceOf(simpleFirst(1), reflect.TypeOf(uint8(0)), 2, 5, 3, 1),
		"Base":           simpleFirst(1),
	}
}

// checkSeed is the seed of check's generator: seed mixed with the check's
// name, so that each check has a stream of its own whatever the others do.
func checkSeed(seed int64, check string) int64 {
	h := fnv.New64a()
	h.Write([]byte(check))
	return seed ^ int64(h.Sum64())
}

// EachCheck draws n recipes of check reproducibly from seed and hands each
// to f as it is drawn, stopping at the first error f returns.
func EachCheck(seed int64, check string, n int, f func(i int, r CheckRecipe) error) error {
	return eachCheck(GenCheckRecipe(check), seed, check, n, f)
}

// EachCheckOwn is EachCheck with GenCheckRecipeOwn's recipes.
func EachCheckOwn(seed int64, check string, n int, f func(i int, r CheckRecipe) error) error {
	return eachCheck(GenCheckRecipeOwn(check), seed, check, n, f)
}

func eachCheck(g gopter.Gen, seed int64, check string, n int, f func(i int, r CheckRecipe) error) error {
	params := gopter.DefaultGenParameters()
	params.Rng = rand.New(rand.NewSource(checkSeed(seed, check)))
	for i := 0; i < n; {
		v, ok := g(params).Retrieve()
		if !ok {
			continue
		}
		if err := f(i, v.(CheckRecipe)); err != nil {
			return err
		}
		i++
	}
	return nil
}

// CheckRecipeFromBytes reads a check recipe from data, for fuzzing, as
// RecipeFromBytes reads a request recipe: the first byte chooses the check
// (CheckGenerated, modulo its length), and the other fields follow in
// declaration order, each uint8 one byte, each bool the low bit of one,
// each slice a length byte (modulo maxSlice+1) then its elements; bytes
// past the end read as zero. Every byte string is a recipe.
func CheckRecipeFromBytes(data []byte) CheckRecipe {
	d := &byteReader{data: data}
	r := CheckRecipe{Check: choose(CheckGenerated, d.next())}
	v := reflect.ValueOf(&r).Elem()
	for i := 1; i < v.NumField(); i++ {
		d.decode(v.Field(i))
	}
	return r
}

// Bytes is the byte form of r that CheckRecipeFromBytes reads back as r
// (slices longer than maxSlice cut to it), without its trailing zero bytes.
func (r CheckRecipe) Bytes() []byte {
	check := 0
	for i, c := range CheckGenerated {
		if c == r.Check {
			check = i
		}
	}
	out := []byte{byte(check)}
	v := reflect.ValueOf(r)
	for i := 1; i < v.NumField(); i++ {
		encodeValue(&out, v.Field(i))
	}
	for len(out) > 0 && out[len(out)-1] == 0 {
		out = out[:len(out)-1]
	}
	return out
}
