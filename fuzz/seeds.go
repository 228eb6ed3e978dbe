package fuzz

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/model"
)

// Each target's seed list is computed once per process (a libFuzzer build
// runs the whole FuzzX function for every input, and there f.Add does
// nothing: its seeds come from the seed corpus zips that fuzz/seedcorpus
// writes from these same lists).

// decideSeeds are FuzzDecide's seeds: every corpus case, then fieldSeeds.
var decideSeeds = sync.OnceValues(func() ([]decideArgs, error) {
	cases, err := loadedCorpus()
	if err != nil {
		return nil, err
	}
	var seeds []decideArgs
	for _, c := range cases {
		seeds = append(seeds, argsOf(c))
	}
	return append(seeds, fieldSeeds()...), nil
})

// sourceExpressionSeed is one of FuzzSourceExpression's inputs.
type sourceExpressionSeed struct {
	expressions, url, origin string
	redirects, shape         uint8
}

// sourceExpressionSeeds are every (expression, URL, origin) of the corpus
// and of fieldSeeds, and every source list of two or more expressions
// there (a directive's value, less its name) with the same URLs, each with
// its own padding shape so that the shapes are spread over the seeds, then
// the wildcard depths around the engine's host index (depthSeeds).
var sourceExpressionSeeds = sync.OnceValues(func() ([]sourceExpressionSeed, error) {
	all, err := decideSeeds()
	if err != nil {
		return nil, err
	}
	var seeds []sourceExpressionSeed
	seen := map[sourceExpressionSeed]bool{}
	add := func(expressions string, c corpus.Case) {
		for i, u := range c.Request.URLList {
			s := sourceExpressionSeed{expressions, u, c.SelfOrigin, uint8(min(i, 3)), 0}
			if seen[s] {
				continue
			}
			seen[s] = true
			s.shape = uint8(len(seeds) * 37) // spread the shapes: 37 is odd, so every byte comes round
			seeds = append(seeds, s)
		}
	}
	for _, a := range all {
		c := a.toCase()
		for _, p := range c.Policies {
			var directives [][]string
			for _, d := range strings.FieldsFunc(p.Value, func(r rune) bool { return r == ';' || r == ',' }) {
				directives = append(directives, strings.Fields(d))
			}
			for _, tokens := range directives {
				for _, token := range tokens {
					add(token, c)
				}
			}
			for _, tokens := range directives {
				if len(tokens) > 2 {
					add(strings.Join(tokens[1:], " "), c)
				}
			}
		}
	}
	seeds = append(seeds, depthSeeds()...)
	// Port-parts the grammar refuses, beside the URL's host: the careless
	// readings of them (carelessPorts) put the URL at the port each spells.
	for _, e := range []string{"example.com:8a", "https://example.com:-1", "example.com:4 43", "*:0x50", "example.com:80:"} {
		seeds = append(seeds, sourceExpressionSeed{e, "https://example.com/", seedSelf, 0, 0})
	}
	// Path-parts that hold each byte the grammar allows besides letters,
	// digits and '/' (#grammardef-path-part), with and without a
	// scheme-part: the URLs they name (namedURLs) must match them.
	for _, e := range []string{"https://example.com/a-._~!$&'()*+=:@b", "example.com/-/.~/!$&'()*+=:@/", "*.example.com/%41-b/"} {
		seeds = append(seeds, sourceExpressionSeed{e, "https://example.com/", seedSelf, 0, 0})
	}
	return seeds, nil
})

// policySeeds are FuzzParsePolicy's seeds: the policies of every corpus case
// and of fieldSeeds.
var policySeeds = sync.OnceValues(func() ([]string, error) {
	all, err := decideSeeds()
	if err != nil {
		return nil, err
	}
	var seeds []string
	seen := map[string]bool{}
	for _, a := range all {
		if !seen[a.policies] {
			seen[a.policies] = true
			seeds = append(seeds, a.policies)
		}
	}
	return seeds, nil
})

// urlFastPathSeeds are FuzzURLFastPath's seeds: urlSeeds, then every URL
// and self-origin of the corpus and of fieldSeeds.
var urlFastPathSeeds = sync.OnceValues(func() ([]string, error) {
	all, err := decideSeeds()
	if err != nil {
		return nil, err
	}
	seeds := append([]string(nil), urlSeeds...)
	seen := map[string]bool{}
	for _, s := range seeds {
		seen[s] = true
	}
	for _, a := range all {
		for _, s := range append(strings.Split(a.urls, "\n"), a.selfOrigin) {
			if !seen[s] {
				seen[s] = true
				seeds = append(seeds, s)
			}
		}
	}
	return append(append(seeds, partByteSeeds()...), partEntrySeeds()...), nil
})

// partEntrySeeds are composedURL inputs, one for each entry of each of
// urlParts' tables, every other part its first entry (https, "://", no
// credentials, example.com, no port, path, query or fragment): the seed
// run then parses every edge the tables hold, one at a time, and the
// fuzzer starts from each.
func partEntrySeeds() []string {
	var seeds []string
	for p, table := range urlParts {
		for e := range table {
			choice := make([]byte, len(urlParts)+2) // the last two: insert nothing
			choice[p] = byte(e)
			seeds = append(seeds, string(choice))
		}
	}
	return seeds
}

// partByteSeeds are URLs whose path, query and fragment each hold every
// printable ASCII byte that part can hold, for a special, a WebSocket and a
// non-special URL: each part has its own percent-encode set, and the
// fuzzer, left to itself, rarely puts a byte such as '<' after a '#'.
func partByteSeeds() []string {
	var printable []byte
	for c := byte(' '); c < 0x7f; c++ {
		printable = append(printable, c)
	}
	without := func(drop string) string {
		var b []byte
		for _, c := range printable {
			if strings.IndexByte(drop, c) < 0 {
				b = append(b, c)
			}
		}
		return string(b)
	}
	path, query, fragment := without("?#\\"), without("#"), string(printable)
	var seeds []string
	for _, prefix := range []string{"https://example.com/", "wss://example.com/", "custom://host/"} {
		seeds = append(seeds, prefix+path, prefix+"p?"+query, prefix+"p#"+fragment, prefix+"a?b#"+fragment)
	}
	return seeds
}

const (
	seedSelf = "https://example.com"
	seedCDN  = "https://cdn.example/app.js"
)

// hashOf is the base64 digest of text under a SRI algorithm.
func hashOf(alg, text string) string {
	switch alg {
	case "sha384":
		sum := sha512.Sum384([]byte(text))
		return base64.StdEncoding.EncodeToString(sum[:])
	case "sha512":
		sum := sha512.Sum512([]byte(text))
		return base64.StdEncoding.EncodeToString(sum[:])
	}
	sum := sha256.Sum256([]byte(text))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// oneOff changes one character of a base64 value, keeping it base64.
func oneOff(v string) string {
	b := []byte(v)
	if b[0] == 'A' {
		b[0] = 'B'
	} else {
		b[0] = 'A'
	}
	return string(b)
}

// fieldSeeds start every field of a request and a policy that the corpus
// leaves empty or rarely sets from a meaningful value, each next to a twin
// that decides the other way, so that the fuzzer mutates from both sides of
// each check:
//   - integrity metadata equal to a hash-source, and its near misses: one
//     character off, another algorithm, an extra token of an unknown
//     algorithm (still allowed), two hashes with one missing, options;
//   - nonces, in the policy's case and another;
//   - parser metadata under 'strict-dynamic';
//   - WebTransport hashes with and without 'unsafe-webtransport-hashes';
//   - every destination, and the prefetch and prerender initiators;
//   - redirect chains of 20, 21 and 22 URLs (Fetch follows at most 20
//     redirects, so 21 URLs are the longest list a request can have);
//   - ports 0, 65535, 65536, with leading zeros and empty, and one of 20
//     digits that a 64-bit integer wraps to 443; path-parts of "//";
//   - ftp, blob, data, file and custom schemes;
//   - self-origins of every kind a string can give;
//   - header values with commas at their edges and doubled;
//   - host-source lists on both sides of the engine's flat scan (16
//     host-sources), with "*." wildcards at depths 1 to 6.
func fieldSeeds() []decideArgs {
	var seeds []decideArgs
	add := func(a decideArgs) {
		if a.selfOrigin == "" {
			a.selfOrigin = seedSelf
		}
		seeds = append(seeds, a)
	}
	script := func(policy, integrity, nonce, parser string) {
		add(decideArgs{policies: "e" + policy, urls: seedCDN, destination: "script", integrity: integrity, nonce: nonce, parser: parser})
	}

	// Integrity metadata against hash-sources.
	h256, h384, h512 := hashOf("sha256", "alert(1)"), hashOf("sha384", "alert(1)"), hashOf("sha512", "alert(2)")
	hashes := fmt.Sprintf("script-src 'sha256-%s' 'sha512-%s' https://example.com", h256, h512)
	for _, integrity := range []string{
		"sha256-" + h256,                     // matches
		"sha256-" + oneOff(h256),             // one character off
		"sha384-" + h256,                     // the value under another algorithm
		"sha384-" + h384,                     // an algorithm the list has no hash for
		"sha256-" + h256 + " md5-" + h384,    // an unknown algorithm is ignored
		"sha256-" + h256 + " sha512-" + h512, // both listed
		"sha256-" + h256 + " sha384-" + h384, // the second missing
		"sha384-" + h384 + " sha256-" + h256, // the first missing
		"SHA256-" + h256,                     // algorithms are case-insensitive
		"sha256-" + strings.ToLower(h256),    // values are not
		"sha256-" + h256 + "?ct=application/javascript",
		"sha256-" + h256 + "-extra",           // only the second "-" piece is the value
		"sha256-" + h256 + "  sha512-" + h512, // an empty item between two spaces
		"md5-" + h256,                         // no known algorithm at all
		"sha256-",                             // no value
		"sha256",                              // no '-' at all: an empty value too
		" ",
	} {
		script(hashes, integrity, "", "")
	}
	script("script-src https://example.com", "sha256-"+h256, "", "")                         // no hash-sources
	script(fmt.Sprintf("script-src 'SHA256-%s'", h256), "sha256-"+h256, "", "")              // upper-case algorithm in the policy
	script(fmt.Sprintf("default-src 'sha256-%s'", h256), "sha256-"+h256, "", "")             // through default-src
	script(fmt.Sprintf("script-src-elem 'sha256-%s'", h256), "sha256-"+oneOff(h256), "", "") // script-src-elem, blocked twin
	add(decideArgs{policies: fmt.Sprintf("rscript-src 'sha256-%s'\nestyle-src 'sha256-%s'", h256, h256), urls: seedCDN, destination: "style", integrity: "sha256-" + h256})

	// Nonces.
	for _, p := range []string{"script-src 'nonce-abc123'", "script-src 'NONCE-abc123'", "script-src 'Nonce-abc123' 'self'", "script-src 'nonce-abc 123'", "script-src 'nonce-'"} {
		script(p, "", "abc123", "")
		script(p, "", "ABC123", "")
	}
	// Nonce-sources whose value breaks the grammar (#grammardef-base64-value)
	// at its first, a middle or its last character, or in its padding,
	// against a request that carries that very value: they are no sources,
	// so the request is blocked; beside twins that keep to the grammar.
	for _, v := range []string{"!bc123", "ab!123", "abc12!", "abc123=!", "=abc123", "abc123===", ".abc", "abc123==", "a+/-_1"} {
		script("script-src 'nonce-"+v+"'", "", v, "")
	}
	add(decideArgs{policies: "estyle-src 'nonce-abc123'", urls: seedCDN, destination: "style", nonce: "abc123"})
	add(decideArgs{policies: "estyle-src 'nonce-abc123'", urls: seedCDN, destination: "style", nonce: "abc12"})

	// Parser metadata under 'strict-dynamic'.
	for _, parser := range []string{"parser-inserted", "not-parser-inserted", ""} {
		script("script-src 'strict-dynamic' 'nonce-abc123' https://cdn.example", "", "", parser)
		add(decideArgs{policies: "eScript-Src 'STRICT-DYNAMIC'", urls: seedCDN, destination: "worker", parser: parser})
	}

	// WebTransport sessions with certificate hashes.
	for _, p := range []string{
		"connect-src https://example.com/",
		"connect-src https://example.com/ 'unsafe-webtransport-hashes'",
		"connect-src 'UNSAFE-WEBTRANSPORT-HASHES'",
		"default-src 'unsafe-webtransport-hashes'",
		"connect-src 'none' 'unsafe-webtransport-hashes'",
	} {
		for _, hashes := range []string{"3f5b8c1e", "3f5b8c1e\n9a0b"} {
			add(decideArgs{policies: "e" + p, urls: "https://example.com/", mode: "webtransport", webTransport: hashes})
			add(decideArgs{policies: "e" + p, urls: "https://other.example/", mode: "webtransport", webTransport: hashes})
		}
	}
	add(decideArgs{policies: "rconnect-src 'self'\neconnect-src *", urls: "https://other.example/", mode: "webtransport", webTransport: "3f5b8c1e"})
	add(decideArgs{policies: "econnect-src https://example.com/", urls: "https://other.example/", mode: "webtransport"})                   // no hashes: the URL decides
	add(decideArgs{policies: "econnect-src https://example.com/", urls: "https://other.example/", mode: "cors", webTransport: "3f5b8c1e"}) // hashes without the mode
	// An API's request with hashes: its mode is the API's, never
	// webtransport, whatever the fields say (requestDifference sets them).
	add(decideArgs{policies: "econnect-src 'unsafe-webtransport-hashes'", urls: "https://other.example/", kind: "fetch", webTransport: "3f5b8c1e"})

	// Every destination, and the resource-hint initiators.
	mixed := "edefault-src https://example.com; script-src https://cdn.example; img-src *; style-src 'self'; media-src https://cdn.example:443; frame-src 'none'; worker-src https://cdn.example/; manifest-src 'self'; font-src https:; object-src data:"
	for _, d := range model.Destinations() {
		add(decideArgs{policies: mixed, urls: seedCDN, destination: d, mode: "no-cors"})
		for _, initiator := range []string{"prefetch", "prerender"} {
			add(decideArgs{policies: mixed, urls: seedCDN, destination: d, initiator: initiator})
		}
	}
	for _, initiator := range []string{"prefetch", "prerender"} {
		for _, p := range []string{"default-src 'none'; img-src https://cdn.example", "default-src 'none'; img-src https://other.example", "default-src https://cdn.example", "connect-src 'none'; script-src 'none'"} {
			add(decideArgs{policies: "e" + p, urls: seedCDN, destination: "script", initiator: initiator})
		}
	}

	// Redirect chains up to and past Fetch's limit of 20 redirects.
	for _, n := range []int{20, 21, 22} {
		var urls []string
		for i := range n {
			urls = append(urls, fmt.Sprintf("https://r%d.example/step/%d", i%3, i))
		}
		for _, p := range []string{"connect-src https://r0.example https://r1.example https://r2.example/step/", "connect-src https://r0.example https://r1.example"} {
			add(decideArgs{policies: "e" + p, urls: strings.Join(urls, "\n"), kind: "fetch"})
		}
	}

	// Ports on their edges, in URLs and in host-sources.
	for _, port := range []string{"0", "65535", "65536", "00443", "0443", "080", "", "18446744073709552059"} {
		u := "https://example.com:" + port + "/"
		add(decideArgs{policies: "econnect-src https://example.com:" + port, urls: u, kind: "fetch"})
		add(decideArgs{policies: "econnect-src example.com:" + port + " *:" + port, urls: "https://example.com/", kind: "xhr"})
		add(decideArgs{policies: "econnect-src 'self'", selfOrigin: "https://example.com:" + port, urls: u, kind: "eventsource"})
	}
	add(decideArgs{policies: "econnect-src wss://example.com:65535", urls: "wss://example.com:65535/", kind: "websocket"})

	// A path-part of "//" alone, or starting with it, is no path-absolute
	// (its first segment is empty), so the source is none; "/" and "/a//"
	// are (the corpus holds "//" and "/a//" too, in
	// documented/edges.txtar; these put all four before the fuzzer).
	for _, path := range []string{"//", "//a", "/", "/a//"} {
		add(decideArgs{policies: "econnect-src https://example.com" + path, urls: "https://example.com//\nhttps://example.com" + path, kind: "fetch"})
	}

	// Other schemes. A file: URL's host is a domain, which a scheme-less
	// host-source matches only under a self-origin of its scheme: a tuple
	// only the Go API builds (handBuiltSelves gives the first URL's).
	for _, u := range []string{"ftp://example.com/f", "blob:https://example.com/0b8c", "data:,x", "custom://example.com/p", "CUSTOM://Example.com:99/p", "file://example.com/f"} {
		for _, p := range []string{"img-src ftp: blob: data: custom:", "img-src *", "img-src 'self'", "img-src ftp://example.com custom://example.com", "default-src https:", "img-src example.com"} {
			add(decideArgs{policies: "e" + p, urls: u, destination: "image"})
		}
		add(decideArgs{policies: "econnect-src *", urls: u, kind: "fetch"})
	}
	add(decideArgs{policies: "eimg-src 'self'", selfOrigin: "custom://example.com", urls: "custom://example.com/p", destination: "image"})
	add(decideArgs{policies: "eimg-src 'self'", selfOrigin: "null", urls: "data:,x", destination: "image"})

	// Self-origins of every kind a string gives: ports, addresses, every
	// special scheme, blob: URLs of inner URLs whose origin is a tuple and
	// of ones whose origin is opaque, and opaque ones, against 'self', "*"
	// and a scheme-less host-source (whose schemes are the self-origin's).
	for _, self := range []string{"https://example.com:8443", "HTTPS://EXAMPLE.COM:443", "https://example.com:0", "http://10.0.0.1", "https://[::1]",
		"wss://example.com", "ftp://example.com", "blob:https://example.com/u", "blob:ftp://example.com/u", "blob:custom://example.com/u",
		"file:///x", "custom://example.com", "null", "data:,x"} {
		for _, p := range []string{"img-src 'self'", "img-src *", "img-src example.com 10.0.0.1"} {
			for _, u := range []string{"https://example.com/", "https://example.com:8443/", "http://10.0.0.1/", "https://[::1]/", "ftp://example.com/", "wss://example.com/", "blob:https://example.com/u"} {
				add(decideArgs{policies: "e" + p, selfOrigin: self, urls: u, destination: "image"})
			}
		}
	}

	// Header values with commas at their edges and doubled: a header's
	// values are split at commas (#parse-response-csp step 2), and a policy
	// with no directives is not kept (step 2.2); a <meta> element's value
	// is one policy whatever it holds.
	for _, p := range []string{"e,img-src 'none'", "eimg-src 'none',", "e,,img-src 'none',,", "e,", "eimg-src *,,img-src 'none'", "r,img-src 'none'", "m,img-src 'none'", "mimg-src *,img-src 'none'"} {
		add(decideArgs{policies: p, urls: "https://example.com/x", destination: "image"})
	}

	// Long and short host-source lists with wildcards at every depth.
	for _, n := range []int{15, 16, 17, 40} {
		list := hostList(n)
		for _, u := range []string{"https://x.d6.d5.d4.d3.d2.d1.example/", "https://x.d1.example/", "https://h3.example/", "https://x.d3.d2.d1.example/", "https://d1.example/"} {
			add(decideArgs{policies: "econnect-src " + list, urls: u, kind: "fetch"})
		}
	}

	// Every printable byte in each part of a URL (partByteSeeds): the
	// blocked URI of a violation serializes the URL, and a path-part
	// compares its path, so a byte encoded differently shows.
	for _, u := range partByteSeeds() {
		kind := "fetch"
		if strings.HasPrefix(u, "wss:") {
			kind = "websocket"
		}
		for _, p := range []string{"econnect-src 'none'", "econnect-src https://example.com/p wss://example.com/ custom://host/%21%22", "rconnect-src https://example.com/%3C custom:"} {
			add(decideArgs{policies: p, urls: u, kind: kind})
			add(decideArgs{policies: p, urls: "https://example.com/start\n" + u, kind: kind})
		}
	}
	return seeds
}

// hostList is n host-sources: "*." wildcards over suffixes 1 to 6 labels
// deep below example ("*.d1.example" … "*.d6.d5.d4.d3.d2.d1.example"), then
// exact hosts.
func hostList(n int) string {
	var list []string
	suffix := "example"
	for d := 1; d <= 6 && len(list) < n; d++ {
		suffix = fmt.Sprintf("d%d.%s", d, suffix)
		list = append(list, "*."+suffix)
	}
	for i := 0; len(list) < n; i++ {
		list = append(list, fmt.Sprintf("h%d.example", i))
	}
	return strings.Join(list, " ")
}
