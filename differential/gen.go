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
	Kind     uint8       // from kinds; the last ones are destinations
	MixCase  bool        // write schemes, hosts, keywords and names in mixed case
}

// OriginRecipe chooses the document's origin.
type OriginRecipe struct {
	Scheme uint8 // https, http, or "null" (opaque)
	Host   uint8 // from the base pool
	Port   uint8 // default, then explicit ports
}

// PolicyRecipe chooses one policy delivery.
type PolicyRecipe struct {
	Disposition uint8 // mostly enforce; report sometimes
	Delivery    uint8 // mostly header; meta sometimes
	Directives  []DirectiveRecipe
}

// DirectiveRecipe chooses a directive and its source list.
type DirectiveRecipe struct {
	Name    uint8 // connect-src, default-src, then others
	Sources []SourceRecipe
}

// SourceRecipe chooses one source expression.
type SourceRecipe struct {
	Kind   uint8 // host-source, 'self', *, scheme-source, 'none', other keywords, nonce, hash, junk
	Scheme uint8 // for host-sources: none, then the schemes
	Host   uint8 // which policy host
	Shape  uint8 // exact, "*." wildcard, subdomain, bare "*"
	Port   uint8 // none, default, explicit, "*"
	Path   uint8 // none, "/", directories and files, percent-encoded, upper case
}

// URLRecipe chooses one URL near the policy's hosts.
type URLRecipe struct {
	Scheme uint8
	Host   uint8 // the policy's hosts, the self host, then the base pool
	Shape  uint8 // as is, a subdomain, the parent domain
	Port   uint8
	Path   uint8
	Query  uint8
}

var (
	basePool = []string{"example.com", "example.org", "api.example.net", "cdn.example.com", "127.0.0.1", "[::1]", "localhost", "xn--bcher-kva.example", "a.b.c.test"}
	// kinds are the connection kinds; then destinations for other directives.
	kinds         = []string{"fetch", "xhr", "websocket", "eventsource", "beacon", "ping", "dest:image", "dest:script", "dest:", "dest:font", "dest:style", "dest:iframe"}
	directives    = []string{"connect-src", "default-src", "img-src", "script-src", "child-src", "style-src", "font-src", "frame-src", "report-uri", "upgrade-insecure-requests"}
	dispositions  = []string{"enforce", "enforce", "enforce", "report"}
	deliveries    = []string{"header", "header", "header", "header", "meta"}
	sourceSchemes = []string{"", "https", "http", "wss", "ws", "ftp", "data", "blob", "custom+scheme"}
	urlSchemes    = []string{"https", "http", "wss", "ws", "ftp", "data", "blob", "file", "custom"}
	ports         = []string{"", ":443", ":80", ":8080", ":*", ":8443", ":0", ":65535"}
	urlPorts      = []string{"", ":443", ":80", ":8080", ":8443", ":81", ":00080"}
	paths         = []string{"", "/", "/api", "/api/", "/api/v1", "/a%20b/", "/API/", "/a%20b/c", "/%61pi/", "/api/v1/"}
	urlPaths      = []string{"/", "/api", "/api/", "/api/v1", "/api/v1/users", "/a%20b/", "/a b/", "/API/", "/%61pi/", "/api/../x", "/api/v1/", ""}
	keywords      = []string{"'unsafe-inline'", "'unsafe-eval'", "'strict-dynamic'", "'report-sample'", "'wasm-unsafe-eval'", "'unsafe-hashes'"}
	junk          = []string{"https://", "*.", "example.com:", "'selfish'", "http://[::1", "https://ex ample.com", "*:*", "/just/a/path", "\u00e9xample.com"}
)

func pick[T any](opts []T, i uint8) T { return opts[int(i)%len(opts)] }

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
	c := corpus.Case{ID: id, SelfOrigin: r.Self.build()}
	mix := func(s string) string {
		if r.MixCase {
			return mixCase(s)
		}
		return s
	}
	for _, p := range r.Policies {
		var parts []string
		for _, d := range p.Directives {
			words := []string{mix(pick(directives, d.Name))}
			for _, s := range d.Sources {
				words = append(words, s.build(hosts, mix))
			}
			parts = append(parts, strings.Join(words, " "))
		}
		c.Policies = append(c.Policies, corpus.PolicyInput{
			Value:       strings.Join(parts, "; "),
			Disposition: pick(dispositions, p.Disposition),
			Source:      pick(deliveries, p.Delivery),
		})
	}
	selfHost := pick(basePool, r.Self.Host)
	urls := r.URLs
	if len(urls) == 0 {
		urls = []URLRecipe{{}}
	}
	k := pick(kinds, r.Kind)
	for hop, u := range urls {
		c.Request.URLList = append(c.Request.URLList, u.build(hosts, selfHost, k == "websocket" && hop == 0, mix))
	}
	if strings.HasPrefix(k, "dest:") {
		d := strings.TrimPrefix(k, "dest:")
		c.Request.Destination = &d
	} else {
		c.Request.Kind = k
	}
	return c
}

func (o OriginRecipe) build() string {
	switch o.Scheme % 5 {
	case 4:
		return "null"
	case 1, 3:
		return "http://" + pick(basePool, o.Host) + pick(urlPorts, o.Port)
	}
	return "https://" + pick(basePool, o.Host) + pick(urlPorts, o.Port)
}

func (s SourceRecipe) build(hosts []string, mix func(string) string) string {
	switch s.Kind % 12 {
	case 0, 1, 2, 3, 4: // host-sources are the common case
	case 5:
		return mix("'self'")
	case 6:
		return "*"
	case 7:
		sch := pick(sourceSchemes[1:], s.Scheme)
		return mix(sch) + ":"
	case 8:
		return mix("'none'")
	case 9:
		return mix(pick(keywords, s.Scheme))
	case 10:
		if s.Scheme%2 == 0 {
			return "'nonce-abc" + fmt.Sprint(s.Host%3) + "'"
		}
		return "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
	default:
		return pick(junk, s.Host)
	}
	host := pick(hosts, s.Host)
	switch s.Shape % 6 {
	case 3:
		host = "*." + host
	case 4:
		host = "www." + host
	case 5:
		host = "*"
	}
	var b strings.Builder
	if sch := pick(sourceSchemes, s.Scheme); sch != "" {
		b.WriteString(mix(sch) + "://")
	}
	b.WriteString(mix(host))
	b.WriteString(pick(ports, s.Port))
	b.WriteString(pick(paths, s.Path))
	return b.String()
}

// build writes the URL. Its scheme is most often one the request can use:
// ws, wss, http or https for a WebSocket's own URL, http or https for every
// other URL (redirects included); now and then any scheme, so that the
// refusals of the APIs and of Fetch are exercised too.
func (u URLRecipe) build(hosts []string, selfHost string, websocket bool, mix func(string) string) string {
	all := append(append([]string(nil), hosts...), selfHost)
	all = append(all, basePool...)
	host := pick(all, u.Host)
	ip := strings.HasPrefix(host, "[") || isIPv4ish(host)
	switch u.Shape % 5 {
	case 3:
		if !ip {
			host = "sub." + host
		}
	case 4:
		if i := strings.IndexByte(host, '.'); i >= 0 && !ip {
			host = host[i+1:]
		}
	}
	var scheme string
	switch {
	case u.Scheme >= 4:
		scheme = pick(urlSchemes, u.Scheme)
	case websocket:
		scheme = pick([]string{"wss", "ws", "https", "http"}, u.Scheme)
	default:
		scheme = pick([]string{"https", "http"}, u.Scheme)
	}
	switch scheme {
	case "data":
		return mix("data") + ":text/plain,hello"
	case "blob":
		return "blob:https://" + host + "/0b6f7c5e-5a8a-4c5e-9f0e-3f1d2c4b5a6d"
	}
	q := ""
	switch u.Query % 4 {
	case 2:
		q = "?q=1"
	case 3:
		q = "#frag" // a WebSocket URL may not have one
		if websocket {
			q = "?frag"
		}
	}
	return mix(scheme) + "://" + mix(host) + pick(urlPorts, u.Port) + pick(urlPaths, u.Path) + q
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

// Generators.

func genSource() gopter.Gen {
	// The simplest choices (no scheme, port or path) are the likeliest, so
	// that many URLs match.
	simple := func(n uint8) gopter.Gen {
		return gen.Weighted([]gen.WeightedGen{{Weight: 1, Gen: gen.UInt8Range(0, n)}, {Weight: 1, Gen: gen.UInt8()}})
	}
	return gen.Struct(reflect.TypeOf(SourceRecipe{}), map[string]gopter.Gen{
		"Kind": gen.UInt8(), "Scheme": simple(0), "Host": gen.UInt8(),
		"Shape": gen.UInt8(), "Port": simple(0), "Path": simple(1),
	})
}

func genDirective() gopter.Gen {
	return gen.Struct(reflect.TypeOf(DirectiveRecipe{}), map[string]gopter.Gen{
		// connect-src and default-src most of the time.
		"Name":    gen.Weighted([]gen.WeightedGen{{Weight: 8, Gen: gen.UInt8Range(0, 1)}, {Weight: 2, Gen: gen.UInt8()}}),
		"Sources": sliceOf(genSource(), reflect.TypeOf(SourceRecipe{}), 1, 4, 4, 2, 1),
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

func genPolicy() gopter.Gen {
	return gen.Struct(reflect.TypeOf(PolicyRecipe{}), map[string]gopter.Gen{
		"Disposition": gen.UInt8(), "Delivery": gen.UInt8(),
		"Directives": sliceOf(genDirective(), reflect.TypeOf(DirectiveRecipe{}), 0, 6, 3, 1),
	})
}

func genURL() gopter.Gen {
	return gen.Struct(reflect.TypeOf(URLRecipe{}), map[string]gopter.Gen{
		// Schemes: mostly the connection schemes.
		"Scheme": gen.Weighted([]gen.WeightedGen{{Weight: 19, Gen: gen.UInt8Range(0, 3)}, {Weight: 1, Gen: gen.UInt8()}}),
		"Host":   gen.Weighted([]gen.WeightedGen{{Weight: 3, Gen: gen.UInt8Range(0, 1)}, {Weight: 1, Gen: gen.UInt8()}}),
		"Shape":  gen.UInt8(), "Port": gen.Weighted([]gen.WeightedGen{{Weight: 3, Gen: gen.Const(uint8(0))}, {Weight: 2, Gen: gen.UInt8()}}),
		"Path": gen.Weighted([]gen.WeightedGen{{Weight: 1, Gen: gen.UInt8Range(0, 2)}, {Weight: 1, Gen: gen.UInt8()}}), "Query": gen.UInt8(),
	})
}

// GenRecipe generates case recipes: one to three policies over one to three
// base domains, a URL list of one to three URLs near those domains, and a
// kind (connection kinds most of the time).
func GenRecipe() gopter.Gen {
	return gen.Struct(reflect.TypeOf(Recipe{}), map[string]gopter.Gen{
		"Self": gen.Struct(reflect.TypeOf(OriginRecipe{}), map[string]gopter.Gen{
			"Scheme": gen.UInt8(), "Host": gen.UInt8(),
			"Port": gen.Weighted([]gen.WeightedGen{{Weight: 3, Gen: gen.Const(uint8(0))}, {Weight: 1, Gen: gen.UInt8()}}),
		}),
		"Hosts":    sliceOf(gen.UInt8(), reflect.TypeOf(uint8(0)), 0, 5, 4, 1),
		"Policies": sliceOf(genPolicy(), reflect.TypeOf(PolicyRecipe{}), 0, 8, 2, 1),
		"URLs":     sliceOf(genURL(), reflect.TypeOf(URLRecipe{}), 0, 7, 2, 1),
		"Kind":     gen.Weighted([]gen.WeightedGen{{Weight: 8, Gen: gen.UInt8Range(0, 5)}, {Weight: 2, Gen: gen.UInt8()}}),
		"MixCase":  gen.Weighted([]gen.WeightedGen{{Weight: 9, Gen: gen.Const(false)}, {Weight: 1, Gen: gen.Const(true)}}),
	})
}

// Generate returns n recipes drawn reproducibly from seed.
func Generate(seed int64, n int) []Recipe {
	out := make([]Recipe, 0, n)
	_ = Each(seed, n, func(_ int, r Recipe) error {
		out = append(out, r)
		return nil
	})
	return out
}

// Each draws n recipes reproducibly from seed, the same ones Generate
// returns, and hands each to f as it is drawn, stopping at the first error
// f returns: memory does not grow with n.
func Each(seed int64, n int, f func(i int, r Recipe) error) error {
	params := gopter.DefaultGenParameters()
	params.Rng = rand.New(rand.NewSource(seed))
	g := GenRecipe()
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
