// Package differential holds the property-based checks of the project: gopter
// generators that build realistic policies and the requests near them, the
// property that the engine decides every generated case as the model does,
// metamorphic properties the spec implies for the model, and the benchmarks
// that compare model and engine on the same workload.
//
// A generated case is built from a Recipe: a tree of small integers and
// slices, each integer choosing among options ordered from the simplest.
// gopter shrinks integers toward zero and slices toward fewer elements, so a
// failing property shrinks to a recipe whose case is short and plain.
//
// The options reach every field of a case: every connection kind and every
// Fetch destination with its initiator, mode, nonce, integrity metadata,
// parser metadata and WebTransport hashes; policies of every fetch directive
// (the request's own, its fallbacks and the others), with host-sources at
// their edges (wildcards at every depth, trailing dots, ports 0, 65535,
// 65536 and with leading zeros, empty ports, "//" paths), nonce-sources and
// hash-sources drawn from the same small pools as the request's metadata,
// lists padded past the engine's flat scan; self-origins and URLs over
// ftp, blob, data and custom schemes; and redirect chains at and past
// Fetch's limit of 20.
package differential

import (
	"fmt"
	"math/rand"
	"reflect"
	"strings"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"

	"github.com/cspmodel/cspmodel/corpus"
)

// Recipe chooses every part of a generated case. Build turns it into one.
type Recipe struct {
	Self     OriginRecipe
	Hosts    []uint8 // base domains the policies speak of, from basePool
	Policies []PolicyRecipe
	URLs     []URLRecipe // the URL list: the API's URL, then redirect targets
	Kind     uint8       // from kinds: the connection kinds, then every destination
	MixCase  bool        // write schemes, hosts, keywords and names in mixed case
	Request  RequestRecipe
	Chain    uint8 // the URL list as it is; or its last URL repeated to 20 or 21 redirects
	// Own is a host and a path segment written character by character,
	// which the fixed pools above cannot hold; GenRecipe leaves it empty
	// (GenRecipeOwn draws it).
	Own OwnRecipe
}

// OwnRecipe builds a host and a path segment one character per byte, for
// what the pools of fixed strings never reach: a change of one byte changes
// one character of a name that the policy's sources, the self-origin and
// the URLs share, or of the URLs' copy of the host only (Miss), and a
// length the fuzzer grows or cuts moves the host across every length the
// engine's matchers treat apart (hosts compared as words of 8 bytes, or in
// full past 16). Each present part joins the options it belongs to: the
// host comes first among the policy's hosts (the sources' and the URLs'
// simplest choice) and is the self-origin's host when Self.Host is a
// multiple of 4; the segment comes first among the paths of the sources
// and of the URLs, alone, with a final "/" and doubled (or followed by
// "/x").
type OwnRecipe struct {
	Host []uint8 // the host's characters, from hostChars; none: no own host
	Len  uint8   // 0: the host is as written; else Len % maxOwnHost bytes, its characters repeated
	Miss uint8   // 0: the URLs name the host as it is; else they change its character at (Miss-1) % length
	Path []uint8 // the segment's characters, from pathChars; none: no own path
	// Named 0: the URLs as URLRecipe builds them; else the first URL is
	// the one the ((Named-1) % n)th of the n host-sources of the policies
	// names (namedURL), the own host in it written as the URLs write it.
	Named uint8
}

// OriginRecipe chooses the document's origin.
type OriginRecipe struct {
	Scheme uint8 // https, http, "null" (opaque), then ftp, blob:, ws, wss, data:, custom
	Host   uint8 // from the base pool
	Port   uint8 // default, then explicit ports
}

// PolicyRecipe chooses one policy delivery.
type PolicyRecipe struct {
	Disposition uint8 // mostly enforce; report sometimes
	Delivery    uint8 // mostly header; meta sometimes
	Separator   uint8 // between directives: "; ", then other spacings and ","
	Directives  []DirectiveRecipe
}

// DirectiveRecipe chooses a directive and its source list.
type DirectiveRecipe struct {
	// Name: the request's own directive, default-src, its other
	// fallbacks, then every other directive (see Recipe.directiveName).
	Name    uint8
	Sources []SourceRecipe
	// Pad adds host-sources that match no generated URL, so that the list
	// holds 16 (the engine's flat-scan limit), 17 or more host-sources;
	// PadDepth chooses the depths of their "*." wildcards (none, or a range
	// within 1 to 6 labels), which bound the engine's suffix lookups.
	Pad      uint8
	PadDepth uint8
}

// SourceRecipe chooses one source expression.
type SourceRecipe struct {
	Kind   uint8 // host-source, 'self', *, scheme-source, 'none', keywords, nonce, hash, junk
	Scheme uint8 // for host-sources: none, then the schemes; for others, their variant
	Host   uint8 // which policy host; the keyword; for nonces and hashes, the pool value
	Shape  uint8 // exact, "*." wildcards of several depths, subdomain, bare "*", trailing dot
	Port   uint8 // none, default, explicit, "*", edges
	Path   uint8 // none, "/", directories and files, percent-encoded, upper case, odd
}

// URLRecipe chooses one URL near the policy's hosts.
type URLRecipe struct {
	Scheme uint8
	Host   uint8 // the policy's hosts, the self host, then the base pool
	Shape  uint8 // as is, a subdomain, the parent domain, deeper, trailing dot, credentials
	Port   uint8
	Path   uint8
	Query  uint8 // none, a query, an empty query, fragments
}

// RequestRecipe chooses the metadata of a request described by its
// destination (the connection kinds have none of their own).
type RequestRecipe struct {
	Initiator    uint8 // "", then prefetch, prerender and others
	Mode         uint8 // "", then Fetch's modes
	WebTransport uint8 // none; mode webtransport with one or two hashes, or none; hashes in another mode
	Nonce        uint8 // none, then the nonce pool
	Integrity    []IntegrityRecipe
	Parser       uint8 // "", parser-inserted, not-parser-inserted (Fetch's values; the vector format refuses others)
}

// IntegrityRecipe chooses one token of the request's integrity metadata.
type IntegrityRecipe struct {
	Alg   uint8 // sha256, sha384, sha512, mixed case, then unknown algorithms
	Value uint8 // from the hash pool, which the policies' hash-sources share
	Twist uint8 // as is, with ?options, or a near miss (one character changed, cut, extended)
}

var (
	basePool = []string{"example.com", "example.org", "api.example.net", "cdn.example.com", "127.0.0.1", "[::1]",
		"localhost", "xn--bcher-kva.example", "a.b.c.test", "p.q.r.s.example.com", "example.com."}

	// kinds are the connection kinds, then every Fetch destination
	// (model.IsDestination), the commonest first.
	kinds = []string{"fetch", "xhr", "websocket", "eventsource", "beacon", "ping",
		"dest:script", "dest:image", "dest:", "dest:style", "dest:worker", "dest:font", "dest:iframe",
		"dest:xslt", "dest:serviceworker", "dest:sharedworker", "dest:audioworklet", "dest:paintworklet",
		"dest:manifest", "dest:object", "dest:embed", "dest:frame", "dest:audio", "dest:track", "dest:video",
		"dest:json", "dest:text", "dest:webidentity", "dest:document", "dest:report"}

	// otherDirectives follow a request's own directives in the choice of
	// names: every fetch directive, then directives without checks and an
	// unknown name.
	otherDirectives = []string{"connect-src", "img-src", "script-src", "child-src", "style-src", "font-src",
		"frame-src", "worker-src", "manifest-src", "media-src", "object-src", "script-src-elem", "style-src-elem",
		"default-src", "report-uri", "upgrade-insecure-requests", "sandbox", "frame-ancestors", "script-src-attr", "bogus-src"}

	dispositions  = []string{"enforce", "enforce", "enforce", "report"}
	deliveries    = []string{"header", "header", "header", "header", "meta"}
	separators    = []string{"; ", ";", " ; ", ";\t", ";; ", ";\f", " , "}
	originSchemes = []string{"https", "http", "https", "http", "null", "ftp", "blob", "wss", "ws", "data", "custom"}
	originPorts   = []string{"", ":443", ":80", ":8080", ":8443", ":21", ":00080", ":0", ":65535"}

	sourceKinds   = []string{"host", "host", "host", "host", "host", "host", "self", "star", "scheme", "none", "keyword", "nonce", "hash", "hash", "junk", "nonce", "keyword", "host"}
	sourceSchemes = []string{"", "https", "http", "wss", "ws", "ftp", "data", "blob", "custom", "custom+scheme"}
	sourceShapes  = []string{"exact", "exact", "exact", "wild", "www", "star", "wildparent", "wildtld", "dot", "wilddot", "wilddeep"}
	// ports: "default" is the default port of the source's scheme, or for a
	// scheme-less source of the self-origin's (":21" on an ftp page).
	ports = []string{"", "default", ":443", ":80", ":8080", ":*", ":8443", ":0", ":65535", ":21", ":00443", ":65536", ":99999", ":", ":655350", ":0080"}
	paths = []string{"", "/", "/api", "/api/", "/api/v1", "/a%20b/", "/API/", "/a%20b/c", "/%61pi/", "/api/v1/",
		"//api", "/api//", "/~user/", "/a:b@c/", "/%7Euser/", "/!$&'()*+=/"}
	keywords = []string{"'unsafe-inline'", "'unsafe-webtransport-hashes'", "'strict-dynamic'", "'unsafe-eval'",
		"'report-sample'", "'wasm-unsafe-eval'", "'unsafe-hashes'", "'unsafe-allow-redirects'", "'report-sha256'"}
	junk = []string{"https://", "*.", "example.com:", "'selfish'", "http://[::1", "https://ex ample.com", "*:*",
		"/just/a/path", "\u00e9xample.com", "https://example.com:", "example..com", "*.*.example.com", "'nonce-'", "'sha256-'"}

	// The nonce and hash pools are shared by the policies' nonce-sources and
	// hash-sources and the requests' nonces and integrity metadata, so that
	// matches and near misses are both common. The values are arbitrary
	// base64 (CSP compares metadata with source expressions; it hashes
	// nothing for a request), with '-' and '_' from base64url in one, which
	// SRI's parser cuts at the first '-', and invalid base64-values.
	noncePool     = []string{"abc", "ABC", "r4nd0m+/=", "Zm9v-YmFy_", "a=b", "abc==="}
	nonceKeywords = []string{"'nonce-", "'NONCE-", "'Nonce-"}
	hashPool      = []string{"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "abc123", "Zm9v-YmFy_", "q0Rk/9Wz"}
	hashAlgs      = []string{"sha256", "sha384", "sha512", "SHA256", "Sha512", "sha1", "sha-256"}
	hashTwists    = []string{"", "", "", "", "", "", "===", "empty"}
	integrityAlgs = []string{"sha256", "sha384", "sha512", "SHA256", "sHa384", "md5", "sha1", ""}
	// integrityTwists: as is, then with SRI options (still the same hash),
	// then near misses, which must never match.
	integrityTwists = []string{"", "?opt", "?", "-suffix", "flip", "case", "cut", "extend", "empty"}

	initiators = []string{"", "prefetch", "prerender", "download", "xslt", "imageset", "manifest"}
	modes      = []string{"", "cors", "no-cors", "navigate", "same-origin", "websocket"}
	parsers    = []string{"", "parser-inserted", "not-parser-inserted"}

	urlSchemes = []string{"ftp", "blob", "data", "custom", "wss", "ws", "file", "https", "http"}
	urlShapes  = []string{"", "", "", "sub", "parent", "deep", "dot", "", "", "userpass", "", "sub", "", "user", "", ""}
	urlPorts   = []string{"", ":443", ":80", ":8080", ":8443", ":81", ":00080", ":0", ":65535", ":21", ":00443", ":2121"}
	urlPaths   = []string{"/", "/api", "/api/", "/api/v1", "/api/v1/users", "/a%20b/", "/a b/", "/API/", "/%61pi/", "/api/../x",
		"/api/v1/", "", "//api", "/api//x", "/~user/x", "/a:b@c/d", "/a;b", "/%7Euser/x"}
	queries   = []string{"", "", "?q=1", "#frag", "?", "?#top", "?q=1#f", "", "?q=1", "", "#", ""}
	blobInner = []string{"self", "https", "http", "file", "ftp"}
	// chains: the URL list as it is, or padded with its last URL to 20
	// redirects (21 URLs, Fetch's limit), 21 redirects (refused) or 19.
	chains = []int{0, 21, 22, 20}
)

// hostChars are the characters of an own host: those of a domain label,
// and the dot. pathChars are those of an own path segment: every printable
// ASCII character, those a path-part may hold and those it may not.
const (
	hostChars  = "abcdefghijklmnopqrstuvwxyz0123456789-."
	pathChars  = "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
	maxOwnHost = 48
)

// host is the own host, and the URLs' copy of it ("" and "" when there is
// none).
func (o OwnRecipe) host() (own, url string) {
	if len(o.Host) == 0 {
		return "", ""
	}
	n := len(o.Host)
	if o.Len != 0 {
		n = max(int(o.Len)%maxOwnHost, 1)
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = pick([]byte(hostChars), o.Host[i%len(o.Host)])
	}
	own = string(b)
	if o.Miss != 0 {
		i := (int(o.Miss) - 1) % n
		b[i] = hostChars[(strings.IndexByte(hostChars, b[i])+1)%len(hostChars)]
	}
	return own, string(b)
}

// EdgeMisses are copies of o whose URLs name the own host with one
// character changed at each place where the engine's host comparison
// changes (the first and last character, either side of the first eight
// and of the last eight, the middle one): a fuzz target that decides them
// too needs only a host of the right length to meet a comparison that
// skips a character. None when o has no own host.
func (o OwnRecipe) EdgeMisses() []OwnRecipe {
	own, _ := o.host()
	n := len(own)
	if n == 0 {
		return nil
	}
	var out []OwnRecipe
	seen := map[int]bool{}
	for _, i := range []int{0, 7, 8, n / 2, n - 9, n - 8, n - 1} {
		if i < 0 || i >= n || seen[i] {
			continue
		}
		seen[i] = true
		v := o
		v.Miss = uint8(i + 1)
		out = append(out, v)
	}
	return out
}

// path is "/" and the own path segment ("/" alone when there is none).
func (o OwnRecipe) path() string { return "/" + o.segment() }

// segment is the own path segment ("" when there is none).
func (o OwnRecipe) segment() string {
	b := make([]byte, len(o.Path))
	for i, c := range o.Path {
		b[i] = pick([]byte(pathChars), c)
	}
	return string(b)
}

func pick[T any](opts []T, i uint8) T { return opts[int(i)%len(opts)] }

// ownDirectives is the fallback list of the effective directive of a kind
// (#directive-fallback-list), the directives that can decide its requests.
func ownDirectives(kind string) []string {
	d, ok := strings.CutPrefix(kind, "dest:")
	if !ok {
		return []string{"connect-src", "default-src"}
	}
	switch d {
	case "manifest":
		return []string{"manifest-src", "default-src"}
	case "object", "embed":
		return []string{"object-src", "default-src"}
	case "frame", "iframe":
		return []string{"frame-src", "child-src", "default-src"}
	case "audio", "track", "video":
		return []string{"media-src", "default-src"}
	case "font":
		return []string{"font-src", "default-src"}
	case "image":
		return []string{"img-src", "default-src"}
	case "style":
		return []string{"style-src-elem", "style-src", "default-src"}
	case "script", "xslt", "audioworklet", "paintworklet":
		return []string{"script-src-elem", "script-src", "default-src"}
	case "serviceworker", "sharedworker", "worker":
		return []string{"worker-src", "child-src", "script-src", "default-src"}
	}
	return []string{"connect-src", "default-src"}
}

// directiveName is the directive a DirectiveRecipe's Name chooses for this
// recipe's request: 0 its own directive, 1 default-src, then its other
// fallbacks, then every other directive.
func (r Recipe) directiveName(n uint8) string {
	own := ownDirectives(pick(kinds, r.Kind))
	names := append([]string{own[0], "default-src"}, own[1:len(own)-1]...)
	names = append(names, otherDirectives...)
	return pick(names, n)
}

// Build turns a recipe into a case with the given id. It never fails: every
// choice is taken modulo its options.
func (r Recipe) Build(id string) corpus.Case {
	hosts := make([]string, 0, len(r.Hosts)+1)
	for _, h := range r.Hosts {
		hosts = append(hosts, pick(basePool, h))
	}
	if len(hosts) == 0 {
		hosts = append(hosts, basePool[0])
	}
	selfPool := basePool
	own, ownURL := r.Own.host()
	if own != "" {
		// First, so that the sources' and the URLs' simplest choice
		// of host is the own one.
		hosts = append([]string{own}, hosts...)
		if r.Self.Host%4 == 0 {
			// The self-origin's host is the own host one time in
			// four, so that 'self' meets its near misses.
			selfPool = []string{own}
		}
	}
	srcPaths, urlPaths := paths, urlPaths
	if seg := r.Own.segment(); seg != "" {
		// First, as the own host is: the simplest choices of path
		// then name the own segment on both sides.
		srcPaths = append([]string{"/" + seg, "/" + seg + "/", "/" + seg + "/" + seg}, paths...)
		urlPaths = append([]string{"/" + seg, "/" + seg + "/", "/" + seg + "/x"}, urlPaths...)
	}
	c := corpus.Case{ID: id, SelfOrigin: r.Self.build(selfPool)}
	mix := func(s string) string {
		if r.MixCase {
			return mixCase(s)
		}
		return s
	}
	var hostSources []string
	for _, p := range r.Policies {
		var parts []string
		for _, d := range p.Directives {
			words := []string{mix(r.directiveName(d.Name))}
			words = append(words, d.padding(mix)...)
			for _, s := range d.Sources {
				w := s.build(hosts, srcPaths, pick(originSchemes, r.Self.Scheme), mix)
				if pick(sourceKinds, s.Kind) == "host" {
					hostSources = append(hostSources, w)
				}
				words = append(words, w)
			}
			parts = append(parts, strings.Join(words, " "))
		}
		c.Policies = append(c.Policies, corpus.PolicyInput{
			Value:       strings.Join(parts, pick(separators, p.Separator)),
			Disposition: pick(dispositions, p.Disposition),
			Source:      pick(deliveries, p.Delivery),
		})
	}
	selfHost := pick(selfPool, r.Self.Host)
	selfScheme := pick(originSchemes, r.Self.Scheme)
	urls := r.URLs
	if len(urls) == 0 {
		urls = []URLRecipe{{}}
	}
	k := pick(kinds, r.Kind)
	if k == "websocket" && len(urls) > 1 && urls[1].Host%4 != 0 {
		// A WebSocket cannot be redirected: keep its redirect targets (and
		// the refusal) one time in four.
		urls = urls[:1]
	}
	for hop, u := range urls {
		c.Request.URLList = append(c.Request.URLList, u.build(urlNames{hosts, urlPaths, selfHost, own, ownURL}, selfScheme, hop == 0, k == "websocket" && hop == 0, mix))
	}
	if r.Own.Named != 0 && len(hostSources) > 0 {
		c.Request.URLList[0] = namedURL(pick(hostSources, r.Own.Named-1), selfScheme, own, ownURL)
	}
	if n := pick(chains, r.Chain); n > 0 {
		last := c.Request.URLList[len(c.Request.URLList)-1]
		for len(c.Request.URLList) < n {
			c.Request.URLList = append(c.Request.URLList, last)
		}
	}
	if d, ok := strings.CutPrefix(k, "dest:"); ok {
		c.Request.Destination = &d
		r.Request.apply(&c.Request)
	} else {
		c.Request.Kind = k
	}
	return c
}

func (q RequestRecipe) apply(req *corpus.RequestInput) {
	req.Initiator = pick(initiators, q.Initiator)
	req.Mode = pick(modes, q.Mode)
	switch q.WebTransport % 5 {
	case 1:
		req.Mode, req.WebTransportHashes = "webtransport", []string{"Zm9vYmFy"}
	case 2:
		req.Mode, req.WebTransportHashes = "webtransport", []string{"Zm9vYmFy", "cXV4"}
	case 3:
		req.Mode = "webtransport"
	case 4:
		req.WebTransportHashes = []string{"Zm9vYmFy"}
	}
	if q.Nonce != 0 {
		req.Nonce = pick(noncePool, q.Nonce-1)
	}
	var tokens []string
	for _, t := range q.Integrity {
		tokens = append(tokens, t.build())
	}
	req.Integrity = strings.Join(tokens, " ")
	req.ParserMetadata = pick(parsers, q.Parser)
}

func (t IntegrityRecipe) build() string {
	alg, v := pick(integrityAlgs, t.Alg), pick(hashPool, t.Value)
	switch pick(integrityTwists, t.Twist) {
	case "?opt":
		v += "?opt"
	case "?":
		v += "?"
	case "-suffix":
		// SRI keeps only what precedes the second "-": still the same value.
		if !strings.Contains(v, "-") {
			v += "-suffix"
		}
	case "flip":
		v = nearMiss(v)
	case "case":
		v = flipCase(v)
	case "cut":
		v = v[:len(v)-1]
	case "extend":
		v += "A"
	case "empty":
		v = ""
	}
	if alg == "" {
		return v
	}
	return alg + "-" + v
}

// nearMiss changes the first character of a base64 value to another one.
func nearMiss(v string) string {
	c := byte('A')
	if v[0] == 'A' {
		c = 'B'
	}
	return string(c) + v[1:]
}

// flipCase changes the case of the first letter of v, or returns it with
// one character changed when it has no letter.
func flipCase(v string) string {
	b := []byte(v)
	for i, c := range b {
		switch {
		case 'a' <= c && c <= 'z':
			b[i] = c - 'a' + 'A'
			return string(b)
		case 'A' <= c && c <= 'Z':
			b[i] = c - 'A' + 'a'
			return string(b)
		}
	}
	return nearMiss(v)
}

func (o OriginRecipe) build(hosts []string) string {
	host, port := pick(hosts, o.Host), pick(originPorts, o.Port)
	switch s := pick(originSchemes, o.Scheme); s {
	case "null":
		return "null"
	case "blob":
		return "blob:https://" + host + port + "/6f1c2b2e-9a1d-4c41-8e54-1f5b7a9e3c20"
	case "data":
		return "data:text/html,page"
	default:
		return s + "://" + host + port
	}
}

// padding is the filler host-sources of a directive: none, or enough to
// bring its host-sources to one of padTotals. Their hosts (under .invalid,
// or one-label wildcards like "*.f2") match no generated URL.
func (d DirectiveRecipe) padding(mix func(string) string) []string {
	own := 0
	for _, s := range d.Sources {
		if k := pick(sourceKinds, s.Kind); k == "host" || k == "star" {
			own++
		}
	}
	n := pick(padTotals, d.Pad) - own
	if pick(padTotals, d.Pad) == 0 || n <= 0 {
		return nil
	}
	hi := int(d.PadDepth % 7)
	lo := 1 + int(d.PadDepth/7)%max(hi, 1)
	lo = min(lo, max(hi, 1))
	out := make([]string, 0, n)
	for i := range n {
		var h string
		if hi > 0 && i%2 == 0 {
			depth := lo + (i/2)%(hi-lo+1)
			switch depth {
			case 1:
				h = fmt.Sprintf("*.f%d", i)
			default:
				h = fmt.Sprintf("*.f%d%s.invalid", i, strings.Repeat(".pad", depth-2))
			}
		} else {
			h = fmt.Sprintf("f%d.pad.invalid", i)
		}
		out = append(out, mix(h))
	}
	return out
}

var defaultPorts = map[string]string{"http": ":80", "https": ":443", "ws": ":80", "wss": ":443", "ftp": ":21"}

// padTotals: no padding, then host-source counts on both sides of the
// engine's flat-scan limit (16).
var padTotals = []int{0, 16, 17, 15, 18, 24, 40}

func (s SourceRecipe) build(hosts, paths []string, selfScheme string, mix func(string) string) string {
	switch pick(sourceKinds, s.Kind) {
	case "self":
		return mix("'self'")
	case "star":
		return "*"
	case "scheme":
		return mix(pick(sourceSchemes[1:], s.Scheme)) + ":"
	case "none":
		return mix("'none'")
	case "keyword":
		return mix(pick(keywords, s.Host))
	case "nonce":
		return mix(pick(nonceKeywords, s.Scheme)) + pick(noncePool, s.Host) + "'"
	case "hash":
		v := pick(hashPool, s.Host)
		switch pick(hashTwists, s.Path) {
		case "===":
			v = strings.TrimRight(v, "=") + "==="
		case "empty":
			v = ""
		}
		return "'" + mix(pick(hashAlgs, s.Scheme)) + "-" + v + "'"
	case "junk":
		return pick(junk, s.Host)
	}
	host := pick(hosts, s.Host)
	switch pick(sourceShapes, s.Shape) {
	case "wild":
		host = "*." + host
	case "www":
		host = "www." + host
	case "star":
		host = "*"
	case "wildparent":
		host = "*." + parentDomain(host)
	case "wildtld":
		host = "*." + topLabel(host)
	case "dot":
		host = strings.TrimSuffix(host, ".") + "."
	case "wilddot":
		host = "*." + strings.TrimSuffix(host, ".") + "."
	case "wilddeep":
		host = "*.sub." + host
	}
	var b strings.Builder
	sch := pick(sourceSchemes, s.Scheme)
	if sch != "" {
		b.WriteString(mix(sch) + "://")
	}
	b.WriteString(mix(host))
	port := pick(ports, s.Port)
	if port == "default" {
		if sch == "" {
			sch = selfScheme
		}
		port = defaultPorts[sch]
	}
	b.WriteString(port)
	b.WriteString(pick(paths, s.Path))
	return b.String()
}

// parentDomain drops the first label of a name with at least two.
func parentDomain(h string) string {
	if i := strings.IndexByte(strings.TrimSuffix(h, "."), '.'); i >= 0 {
		return h[i+1:]
	}
	return h
}

// topLabel is the last label of a name, with its trailing dot if any.
func topLabel(h string) string {
	t := strings.TrimSuffix(h, ".")
	if i := strings.LastIndexByte(t, '.'); i >= 0 {
		return h[i+1:]
	}
	return h
}

// build writes the URL. Its scheme is most often one the request can use:
// ws, wss, http or https for a WebSocket's own URL, http or https for every
// other URL (redirects included), and ftp too for the first URL of a page
// on ftp; now and
// then any scheme, so that the refusals of the APIs and of Fetch are
// exercised too.
func (u URLRecipe) build(n urlNames, selfScheme string, first, websocket bool, mix func(string) string) string {
	all := append(append([]string(nil), n.hosts...), n.self)
	all = append(all, basePool...)
	host := pick(all, u.Host)
	if host == n.own {
		host = n.ownURL
	}
	ip := strings.HasPrefix(host, "[") || isIPv4ish(host)
	userinfo := ""
	switch pick(urlShapes, u.Shape) {
	case "sub":
		if !ip {
			host = "sub." + host
		}
	case "parent":
		if !ip {
			host = parentDomain(host)
		}
	case "deep":
		if !ip {
			host = "a.b." + host
		}
	case "dot":
		if !ip {
			host = strings.TrimSuffix(host, ".") + "."
		}
	case "userpass":
		userinfo = "user:pass@"
	case "user":
		userinfo = "user@"
	}
	var scheme string
	switch {
	case u.Scheme >= 4:
		scheme = pick(urlSchemes, u.Scheme)
	case websocket:
		scheme = pick([]string{"wss", "ws", "https", "http"}, u.Scheme)
	case selfScheme == "ftp" && first:
		scheme = pick([]string{"ftp", "https", "http"}, u.Scheme)
	default:
		scheme = pick([]string{"https", "http"}, u.Scheme)
	}
	port := pick(urlPorts, u.Port)
	switch scheme {
	case "data":
		return mix("data") + ":text/plain,hello"
	case "blob":
		// A blob: URL is mostly the page's own (the origin that created
		// it): its inner URL on the self host with the page's scheme, on
		// the URL's port, which makes 'self' compare inner ports.
		inner := pick(blobInner, u.Path)
		if inner == "self" {
			inner = "https"
			if selfScheme == "http" {
				inner = "http"
			}
		}
		if u.Host%4 != 3 {
			host = n.self
		}
		if host == n.own {
			host = n.ownURL
		}
		return "blob:" + mix(inner) + "://" + mix(host) + port + "/0b6f7c5e-5a8a-4c5e-9f0e-3f1d2c4b5a6d"
	}
	q := pick(queries, u.Query)
	if websocket && strings.Contains(q, "#") && q != "#" {
		q = "?frag" // mostly a fragment-free URL a WebSocket can use; "#" alone stays
	}
	return mix(scheme) + "://" + userinfo + mix(host) + port + pick(n.paths, u.Path) + q
}

// namedURL is the URL a host-source names in a generated case: NamedURL,
// with the self-origin's scheme when the source has none (https when that
// scheme has no host), "a.example" for a lone "*", and ownURL for own.
func namedURL(src, selfScheme, own, ownURL string) string {
	scheme := selfScheme
	if _, hasHost := defaultPorts[strings.ToLower(scheme)]; !hasHost {
		scheme = "https"
	}
	return NamedURL(src, scheme, func(host string) string {
		switch {
		case host == "*":
			return "a.example"
		case strings.EqualFold(host, own):
			return ownURL
		}
		return host
	})
}

// NamedURL is the URL a host-source names, most simply, written whether or
// not the source is valid: its scheme-part (else scheme), its host-part
// (an IPv6 literal whole; a "*." wildcard with "a" for its "*"; then as
// hostFor maps it, which also receives a lone "*"), its port-part when it
// is digits, and its path-part (else "/"). A fuzz target that matches a
// list against the URLs its sources name needs to write each part once.
func NamedURL(src, scheme string, hostFor func(string) string) string {
	if s, rest, ok := strings.Cut(src, "://"); ok {
		scheme, src = s, rest
	}
	start := 0
	if strings.HasPrefix(src, "[") {
		start = strings.IndexByte(src, ']') + 1 // an IPv6 literal's colons are its own
	}
	end := strings.IndexAny(src[start:], ":/")
	if end < 0 {
		end = len(src)
	} else {
		end += start
	}
	host, rest := src[:end], src[end:]
	if strings.HasPrefix(host, "*.") {
		host = "a" + host[1:]
	}
	host = hostFor(host)
	port := ""
	if p, ok := strings.CutPrefix(rest, ":"); ok {
		digits, path, _ := strings.Cut(p, "/")
		if digits != "" && strings.Trim(digits, "0123456789") == "" {
			port = ":" + digits
		}
		rest = ""
		if path != "" || strings.Contains(p, "/") {
			rest = "/" + path
		}
	}
	if rest == "" {
		rest = "/"
	}
	return scheme + "://" + host + port + rest
}

// urlNames are what a URL's host and path are chosen from: the policy's
// hosts, then the self host and the base pool; the paths; and the own
// host, which the URLs name as ownURL (its near miss, when the recipe has
// one).
type urlNames struct {
	hosts  []string
	paths  []string
	self   string
	own    string
	ownURL string
}

func isIPv4ish(h string) bool {
	return strings.Trim(h, "0123456789.") == ""
}

// mixCase alternates the case of ASCII letters, so that "connect-src" becomes
// "CoNnEcT-SrC": a change the spec's ASCII case-insensitive comparisons ignore.
func mixCase(s string) string {
	b := []byte(s)
	for i, c := range b {
		if i%2 == 0 && 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// Generators. They are built from byteIn, boolOf, sliceOf and structOf
// rather than gopter's own integer and struct generators, which go through
// reflect.Call for every value and cost more than deciding the case; each
// shrinks as gopter's do: integers toward zero, slices toward fewer and
// smaller elements, structs one field at a time.

// byteIn draws a uint8 in [lo, hi], shrinking toward 0.
func byteIn(lo, hi uint8) gopter.Gen {
	n := int(hi) - int(lo) + 1
	return func(p *gopter.GenParameters) *gopter.GenResult {
		return gopter.NewGenResult(lo+uint8(p.Rng.Intn(n)), gen.UInt8Shrinker)
	}
}

var anyByte = byteIn(0, 255)

// mostly draws from lo most of the time (weight w of 10), else any byte.
func mostly(w int, lo gopter.Gen) gopter.Gen {
	return gen.Weighted([]gen.WeightedGen{{Weight: w, Gen: lo}, {Weight: 10 - w, Gen: anyByte}})
}

// boolOf is true one time in n, shrinking toward false.
func boolOf(n int) gopter.Gen {
	shrink := func(v interface{}) gopter.Shrink {
		if v.(bool) {
			return gopter.ConcatShrinks(gopter.Shrink(func() (interface{}, bool) { return false, true }))
		}
		return gopter.NoShrink
	}
	return func(p *gopter.GenParameters) *gopter.GenResult {
		return gopter.NewGenResult(p.Rng.Intn(n) == 0, shrink)
	}
}

// structOf generates values of the struct type typ, each field drawn by
// gens[name] (fields without a generator stay zero), and shrinks them one
// field at a time with the fields' own shrinkers.
func structOf(typ reflect.Type, gens map[string]gopter.Gen) gopter.Gen {
	type field struct {
		index int
		gen   gopter.Gen
	}
	var fields []field
	for i := range typ.NumField() {
		if g := gens[typ.Field(i).Name]; g != nil {
			fields = append(fields, field{i, g})
		}
	}
	assemble := func(values []interface{}) interface{} {
		v := reflect.New(typ).Elem()
		for k, f := range fields {
			v.Field(f.index).Set(reflect.ValueOf(values[k]))
		}
		return v.Interface()
	}
	return func(p *gopter.GenParameters) *gopter.GenResult {
		values := make([]interface{}, len(fields))
		shrinkers := make([]gopter.Shrinker, len(fields))
		for k, f := range fields {
			r := f.gen(p)
			v, ok := r.Retrieve()
			if !ok {
				return gopter.NewEmptyResult(typ)
			}
			values[k], shrinkers[k] = v, r.Shrinker
		}
		combined := gopter.CombineShrinker(shrinkers...)
		shrinker := func(v interface{}) gopter.Shrink {
			sv := reflect.ValueOf(v)
			parts := make([]interface{}, len(fields))
			for k, f := range fields {
				parts[k] = sv.Field(f.index).Interface()
			}
			next := combined(parts)
			return func() (interface{}, bool) {
				x, ok := next()
				if !ok {
					return nil, false
				}
				return assemble(x.([]interface{})), true
			}
		}
		return gopter.NewGenResult(assemble(values), shrinker)
	}
}

func genSource() gopter.Gen { return genSourceOfKind(anyByte) }

// genSourceOfKind draws sources whose Kind kind draws.
func genSourceOfKind(kind gopter.Gen) gopter.Gen {
	// The simplest choices (no scheme, port or path) are the likeliest, so
	// that many URLs match.
	return structOf(reflect.TypeOf(SourceRecipe{}), map[string]gopter.Gen{
		"Kind": kind, "Scheme": mostly(5, byteIn(0, 0)), "Host": anyByte,
		"Shape": anyByte, "Port": mostly(5, byteIn(0, 0)), "Path": mostly(5, byteIn(0, 1)),
	})
}

func genDirective(source gopter.Gen) gopter.Gen {
	return structOf(reflect.TypeOf(DirectiveRecipe{}), map[string]gopter.Gen{
		// The request's own directive and default-src most of the time.
		"Name": gen.Weighted([]gen.WeightedGen{
			{Weight: 7, Gen: byteIn(0, 1)}, {Weight: 1, Gen: byteIn(2, 3)}, {Weight: 2, Gen: anyByte}}),
		"Sources":  sliceOf(source, reflect.TypeOf(SourceRecipe{}), 1, 4, 4, 2, 1),
		"Pad":      mostly(9, byteIn(0, 0)),
		"PadDepth": anyByte,
	})
}

// sliceOf generates slices of elem whose length is drawn with the given
// weights (weights[n] for length n), and shrinks them both by dropping
// elements and by shrinking each one, as gopter's own slice generators do
// not do together.
func sliceOf(elem gopter.Gen, typ reflect.Type, weights ...int) gopter.Gen {
	total := 0
	for _, w := range weights {
		total += w
	}
	return func(params *gopter.GenParameters) *gopter.GenResult {
		x := params.Rng.Intn(total)
		n := 0
		for x >= weights[n] {
			x -= weights[n]
			n++
		}
		out := reflect.MakeSlice(reflect.SliceOf(typ), 0, n)
		shrinker := gopter.NoShrinker
		for i := 0; i < n; i++ {
			r := elem(params)
			v, ok := r.Retrieve()
			if !ok {
				continue
			}
			out = reflect.Append(out, reflect.ValueOf(v))
			shrinker = r.Shrinker
		}
		return gopter.NewGenResult(out.Interface(), gen.SliceShrinker(shrinker))
	}
}

func genPolicy(source gopter.Gen) gopter.Gen {
	return structOf(reflect.TypeOf(PolicyRecipe{}), map[string]gopter.Gen{
		"Disposition": anyByte, "Delivery": anyByte,
		"Separator":  mostly(8, byteIn(0, 0)),
		"Directives": sliceOf(genDirective(source), reflect.TypeOf(DirectiveRecipe{}), 0, 6, 3, 1),
	})
}

func genURL() gopter.Gen {
	return structOf(reflect.TypeOf(URLRecipe{}), map[string]gopter.Gen{
		// Schemes: mostly the connection schemes.
		"Scheme": gen.Weighted([]gen.WeightedGen{{Weight: 9, Gen: byteIn(0, 3)}, {Weight: 1, Gen: anyByte}}),
		"Host":   gen.Weighted([]gen.WeightedGen{{Weight: 3, Gen: byteIn(0, 1)}, {Weight: 1, Gen: anyByte}}),
		"Shape":  anyByte, "Port": mostly(6, byteIn(0, 0)),
		"Path":  mostly(5, byteIn(0, 2)),
		"Query": anyByte,
	})
}

func genIntegrity() gopter.Gen {
	return structOf(reflect.TypeOf(IntegrityRecipe{}), map[string]gopter.Gen{
		"Alg": mostly(5, byteIn(0, 0)), "Value": anyByte, "Twist": mostly(5, byteIn(0, 0)),
	})
}

func genRequest() gopter.Gen {
	return structOf(reflect.TypeOf(RequestRecipe{}), map[string]gopter.Gen{
		"Initiator":    mostly(7, byteIn(0, 0)),
		"Mode":         mostly(8, byteIn(0, 0)),
		"WebTransport": mostly(8, byteIn(0, 0)),
		"Nonce":        mostly(5, byteIn(0, 0)),
		"Integrity":    sliceOf(genIntegrity(), reflect.TypeOf(IntegrityRecipe{}), 4, 3, 2, 1),
		"Parser":       anyByte,
	})
}

// GenRecipe generates case recipes: one to three policies over one to three
// base domains, a URL list of one to three URLs near those domains (now and
// then padded to Fetch's redirect limit or past it), and a kind: connection
// kinds most of the time, then destinations with their metadata.
func GenRecipe() gopter.Gen {
	return structOf(reflect.TypeOf(Recipe{}), recipeGens())
}

// GenRecipeOwn generates recipes as GenRecipe does, with an own host in
// about half of them and an own path segment in about a third: hosts of 1
// to 47 characters, about half of them at the lengths where the engine's
// host comparison changes (7 to 9, 15 to 17, 23 to 25), and the URLs' copy
// a near miss in about half of those; and in about half of them a first
// URL named by one of the policy's host-sources. It is kept apart from GenRecipe, whose
// draws the pinned vectors record.
func GenRecipeOwn() gopter.Gen {
	gens := recipeGens()
	// 'self' one source in four besides its share of the others, to meet
	// an own self host.
	self := uint8(strings.Index(strings.Join(sourceKinds, " "), "self") / 5)
	gens["Policies"] = sliceOf(genPolicy(genSourceOfKind(gen.Weighted([]gen.WeightedGen{
		{Weight: 1, Gen: byteIn(self, self)}, {Weight: 3, Gen: anyByte}}))), reflect.TypeOf(PolicyRecipe{}), 0, 8, 2, 1)
	// The self-origin's host the own one in about five recipes of eight.
	gens["Self"] = structOf(reflect.TypeOf(OriginRecipe{}), map[string]gopter.Gen{
		"Scheme": gen.Weighted([]gen.WeightedGen{{Weight: 15, Gen: byteIn(0, 4)}, {Weight: 2, Gen: byteIn(5, 6)}, {Weight: 3, Gen: anyByte}}),
		"Host":   gen.Weighted([]gen.WeightedGen{{Weight: 1, Gen: byteIn(0, 0)}, {Weight: 1, Gen: anyByte}}),
		"Port":   gen.Weighted([]gen.WeightedGen{{Weight: 3, Gen: byteIn(0, 0)}, {Weight: 1, Gen: anyByte}}),
	})
	gens["Own"] = genOwn()
	return structOf(reflect.TypeOf(Recipe{}), gens)
}

// genOwn draws OwnRecipes as GenRecipeOwn describes.
func genOwn() gopter.Gen {
	return structOf(reflect.TypeOf(OwnRecipe{}), map[string]gopter.Gen{
		"Host": gen.Weighted([]gen.WeightedGen{
			{Weight: 1, Gen: sliceOf(anyByte, reflect.TypeOf(uint8(0)), 1)},
			{Weight: 1, Gen: sliceOf(anyByte, reflect.TypeOf(uint8(0)), 0, 1, 1, 1, 1, 1, 1, 1, 1)},
		}),
		"Len": gen.Weighted([]gen.WeightedGen{
			{Weight: 2, Gen: byteIn(0, 0)},
			{Weight: 2, Gen: gen.OneConstOf(uint8(7), uint8(8), uint8(9), uint8(15), uint8(16), uint8(17), uint8(23), uint8(24), uint8(25))},
			{Weight: 1, Gen: anyByte},
		}),
		"Miss":  gen.Weighted([]gen.WeightedGen{{Weight: 1, Gen: byteIn(0, 0)}, {Weight: 1, Gen: anyByte}}),
		"Named": gen.Weighted([]gen.WeightedGen{{Weight: 1, Gen: byteIn(0, 0)}, {Weight: 1, Gen: anyByte}}),
		"Path": gen.Weighted([]gen.WeightedGen{
			{Weight: 2, Gen: sliceOf(anyByte, reflect.TypeOf(uint8(0)), 1)},
			{Weight: 1, Gen: sliceOf(anyByte, reflect.TypeOf(uint8(0)), 0, 1, 1, 1, 1)},
		}),
	})
}

// recipeGens are GenRecipe's generators of each field of a Recipe.
func recipeGens() map[string]gopter.Gen {
	return map[string]gopter.Gen{
		"Self": structOf(reflect.TypeOf(OriginRecipe{}), map[string]gopter.Gen{
			// https, http and null pages; ftp and blob: ones often enough
			// that their URLs meet 'self'.
			"Scheme": gen.Weighted([]gen.WeightedGen{{Weight: 15, Gen: byteIn(0, 4)}, {Weight: 2, Gen: byteIn(5, 6)}, {Weight: 3, Gen: anyByte}}),
			"Host":   anyByte,
			"Port":   gen.Weighted([]gen.WeightedGen{{Weight: 3, Gen: byteIn(0, 0)}, {Weight: 1, Gen: anyByte}}),
		}),
		"Hosts":    sliceOf(anyByte, reflect.TypeOf(uint8(0)), 0, 5, 4, 1),
		"Policies": sliceOf(genPolicy(genSource()), reflect.TypeOf(PolicyRecipe{}), 0, 8, 2, 1),
		"URLs":     sliceOf(genURL(), reflect.TypeOf(URLRecipe{}), 0, 7, 2, 1),
		"Kind": gen.Weighted([]gen.WeightedGen{
			{Weight: 6, Gen: byteIn(0, 5)}, {Weight: 2, Gen: byteIn(6, 12)}, {Weight: 2, Gen: anyByte}}),
		"MixCase": boolOf(10),
		"Request": genRequest(),
		"Chain":   gen.Weighted([]gen.WeightedGen{{Weight: 24, Gen: byteIn(0, 0)}, {Weight: 1, Gen: anyByte}}),
	}
}

// Generate returns n recipes drawn reproducibly from seed.
func Generate(seed int64, n int) []Recipe {
	return generateWith(GenRecipe(), seed, n)
}

// GenerateOwn returns n recipes drawn reproducibly from seed by
// GenRecipeOwn.
func GenerateOwn(seed int64, n int) []Recipe {
	return generateWith(GenRecipeOwn(), seed, n)
}

func generateWith(g gopter.Gen, seed int64, n int) []Recipe {
	out := make([]Recipe, 0, n)
	_ = each(g, seed, n, func(_ int, r Recipe) error {
		out = append(out, r)
		return nil
	})
	return out
}

// Each draws n recipes reproducibly from seed, the same ones Generate
// returns, and hands each to f as it is drawn, stopping at the first error
// f returns: memory does not grow with n.
func Each(seed int64, n int, f func(i int, r Recipe) error) error {
	return each(GenRecipe(), seed, n, f)
}

func each(g gopter.Gen, seed int64, n int, f func(i int, r Recipe) error) error {
	params := gopter.DefaultGenParameters()
	params.Rng = rand.New(rand.NewSource(seed))
	for i := 0; i < n; {
		v, ok := g(params).Retrieve()
		if !ok {
			continue
		}
		if err := f(i, v.(Recipe)); err != nil {
			return err
		}
		i++
	}
	return nil
}

// The byte form of a recipe, for fuzzing: a fuzzer mutates bytes, and
// RecipeFromBytes reads any byte string as a recipe, so that every mutation
// moves through the generator's space instead of mostly failing to parse.

// maxSlice is the longest slice RecipeFromBytes builds: enough for any
// recipe GenRecipe draws, and a bound on the case a byte string can build.
const maxSlice = 8

// RecipeFromBytes reads a recipe from data: its fields in declaration order,
// depth first, each uint8 one byte, each bool the low bit of one byte, each
// slice a byte giving its length (modulo maxSlice+1) then its elements. Bytes
// past the end read as zero, the simplest choice, so every byte string is a
// recipe and a short one is a plain case.
func RecipeFromBytes(data []byte) Recipe {
	var r Recipe
	d := &byteReader{data: data}
	d.decode(reflect.ValueOf(&r).Elem())
	return r
}

// Bytes is the byte form of r that RecipeFromBytes reads back as r (slices
// longer than maxSlice are cut to it), without its trailing zero bytes.
func (r Recipe) Bytes() []byte {
	var out []byte
	encodeValue(&out, reflect.ValueOf(r))
	for len(out) > 0 && out[len(out)-1] == 0 {
		out = out[:len(out)-1]
	}
	return out
}

type byteReader struct {
	data []byte
}

func (d *byteReader) next() byte {
	if len(d.data) == 0 {
		return 0
	}
	b := d.data[0]
	d.data = d.data[1:]
	return b
}

func (d *byteReader) decode(v reflect.Value) {
	switch v.Kind() {
	case reflect.Uint8:
		v.SetUint(uint64(d.next()))
	case reflect.Bool:
		v.SetBool(d.next()&1 == 1)
	case reflect.Slice:
		n := int(d.next()) % (maxSlice + 1)
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			d.decode(s.Index(i))
		}
		v.Set(s)
	case reflect.Struct:
		for i := range v.NumField() {
			d.decode(v.Field(i))
		}
	default:
		panic("differential: a Recipe field of kind " + v.Kind().String() + " has no byte form")
	}
}

func encodeValue(out *[]byte, v reflect.Value) {
	switch v.Kind() {
	case reflect.Uint8:
		*out = append(*out, byte(v.Uint()))
	case reflect.Bool:
		b := byte(0)
		if v.Bool() {
			b = 1
		}
		*out = append(*out, b)
	case reflect.Slice:
		n := min(v.Len(), maxSlice)
		*out = append(*out, byte(n))
		for i := range n {
			encodeValue(out, v.Index(i))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			encodeValue(out, v.Field(i))
		}
	default:
		panic("differential: a Recipe field of kind " + v.Kind().String() + " has no byte form")
	}
}
