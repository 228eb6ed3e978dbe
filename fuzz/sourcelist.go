package fuzz

import (
	"fmt"
	"strings"

	"github.com/cspmodel/cspmodel/differential"
	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// FuzzSourceExpression matches a source list three ways: as the fuzzer gave
// it, padded with a fixed list, and padded as the input's shape byte says.
// The padding matters because the engine scans a list of up to 16
// host-sources (flatMax in engine/sources.go) and files a longer one in a
// host index, whose "*." lookups are bounded by the fewest and the most
// labels among its wildcard keys (minLabel and maxLabel): a fixed padding
// fixes those bounds too, so a wrong bound goes unseen unless the fuzzed
// wildcard is the deepest or the shallowest of the list.
//
// The shape byte:
//
//	bits 0-2  how many host-sources the padding adds (padCounts): with the
//	          usual one fuzzed expression, lists of 1 to 34, either side of 16
//	bits 3-5  the depths, in labels, of the padding's "*." wildcards
//	          (padDepths): none, one depth, or several, shallower and
//	          deeper than the fuzzed ones
//	bit 6     the padding goes before the fuzzed list instead of after it
//	bit 7     the padding is built from the URL's own host (near misses:
//	          one label off, or the right host with port 1) instead of
//	          names of its own

var padCounts = [8]int{0, 1, 8, 14, 15, 16, 17, 33}

var padDepths = [8][]int{
	nil,
	{1},
	{2},
	{3, 4},
	{6},
	{1, 2, 3, 4, 5, 6},
	{2, 7},
	{5, 1, 8},
}

// fixedPadding is seventeen host-sources, one of each shape, that make any
// list longer than the engine's flat scan takes.
var fixedPadding = []string{
	"pad0.invalid", "*.pad1.invalid", "https://pad2.invalid:8443", "*.a.b.pad3.invalid", "pad4.invalid/p/",
	"*.pad5.invalid:*", "http://pad6.invalid", "wss://*.pad7.invalid", "pad8.invalid:80", "*.pad9.invalid/x",
	"pad10.invalid", "*.pad11", "pad12.invalid", "*.x.pad13.invalid", "pad14.invalid", "pad15.invalid", "pad16.invalid",
}

// padList returns list padded as shape says, for a URL whose host is host.
func padList(list []string, host string, shape uint8) []string {
	n := padCounts[shape&7]
	depths := padDepths[shape>>3&7]
	near := shape&0x80 != 0
	labels := strings.Split(host, ".")
	pad := make([]string, 0, n)
	for i := range n {
		if len(depths) > 0 && i%2 == 0 {
			d := depths[i/2%len(depths)]
			switch {
			case !near:
				pad = append(pad, fmt.Sprintf("*.p%d%s", i, strings.Repeat(".pad", d-1)))
			case i/2%2 == 0: // a key of the right depth that the host does not end with
				pad = append(pad, fmt.Sprintf("*.z%d", i)+dotted(tail(labels, d-1)))
			default: // the host's own suffix, on a port it rarely has
				pad = append(pad, "*."+strings.Join(tail(labels, d), ".")+":1")
			}
			continue
		}
		switch {
		case !near:
			pad = append(pad, fmt.Sprintf("h%d.invalid", i))
		case i%4 < 2:
			pad = append(pad, fmt.Sprintf("z%d.%s", i, host))
		default:
			pad = append(pad, host+":1")
		}
	}
	if shape&0x40 != 0 {
		return append(pad, list...)
	}
	return append(append(make([]string, 0, len(list)+n), list...), pad...)
}

// tail is the last n labels, with "pad" labels in front when there are fewer.
func tail(labels []string, n int) []string {
	if n <= len(labels) {
		return labels[len(labels)-n:]
	}
	out := make([]string, 0, n)
	for range n - len(labels) {
		out = append(out, "pad")
	}
	return append(out, labels...)
}

func dotted(labels []string) string {
	if len(labels) == 0 {
		return ""
	}
	return "." + strings.Join(labels, ".")
}

// listVariant is one of the lists FuzzSourceExpression matches for an
// input, with how it was built.
type listVariant struct {
	how  string
	list []string
}

// sourceListVariants are the lists FuzzSourceExpression matches for one
// input: the fuzzed list, the list with fixedPadding, the list padded as
// shape says, the list after a 'none' (which, among other expressions,
// matches nothing and changes nothing: #match-url-to-source-list steps 2-3
// look only at a list of 'none' alone), and the list's expressions and a
// "*" glued into one by tabs (an expression that holds whitespace matches
// no grammar, so it matches nothing, although its pieces would match most
// URLs).
func sourceListVariants(expressions string, u model.URL, shape uint8) []listVariant {
	list := strings.Split(expressions, " ")
	return []listVariant{
		{"as given", list},
		{"with the fixed padding", append(append([]string(nil), list...), fixedPadding...)},
		{fmt.Sprintf("with shape %#02x's padding", shape), padList(list, u.Host.Serialized, shape)},
		{"after a 'none'", append([]string{"'none'"}, list...)},
		{"and a \"*\" glued into one expression by tabs", []string{strings.Join(list, "\t") + "\t*"}},
	}
}

// matchDisagreement matches each of sourceListVariants with the model and
// the engine, and returns the first list they disagree on with a message
// that says how, or a nil list. Input that is not a URL and an origin is
// not a disagreement.
func matchDisagreement(expressions, rawURL, origin string, redirects, shape uint8) ([]string, string) {
	u, err := model.ParseURL(rawURL)
	if err != nil {
		return nil, "" // not a URL: nothing to match
	}
	o, err := model.ParseOrigin(origin)
	if err != nil {
		return nil, ""
	}
	rc := int(redirects % 4)
	for _, v := range sourceListVariants(expressions, u, shape) {
		m := model.MatchURLToSourceList(u, v.list, o, rc, nil) == model.Matches
		if e := engine.MatchSourceList(v.list, u, o, rc); m != e {
			var tr model.Trace
			model.MatchURLToSourceList(u, v.list, o, rc, &tr)
			return v.list, fmt.Sprintf("MatchURLToSourceList(%q, %q, %q, %d), the list %s: model %v, engine %v\n%s",
				rawURL, v.list, origin, rc, v.how, m, e, tr.String())
		}
	}
	// The URL again at each port a careless reading of the list's
	// port-parts names, which the fuzzer would have to write digit by
	// digit: a port-part the grammar refuses names no port.
	list := strings.Split(expressions, " ")
	for _, port := range carelessPorts(list) {
		at := u
		if at.Port = port; port == model.DefaultPort(at.Scheme) {
			at.Port = -1
		}
		m := model.MatchURLToSourceList(at, list, o, rc, nil) == model.Matches
		if e := engine.MatchSourceList(list, at, o, rc); m != e {
			return list, fmt.Sprintf("MatchURLToSourceList(%q, %q, %q, %d), the URL at port %d, which a port-part of the list spells when read carelessly: model %v, engine %v",
				rawURL, list, origin, rc, port, m, e)
		}
	}
	// The URLs the list's host-sources name, which the fuzzer would have to
	// write twice (host, port and path in the expression and in the URL):
	// a byte of a path-part that one side misreads shows only when the
	// URL's path holds it too.
	for _, named := range namedURLs(list, u) {
		m := model.MatchURLToSourceList(named, list, o, rc, nil) == model.Matches
		if e := engine.MatchSourceList(list, named, o, rc); m != e {
			return list, fmt.Sprintf("MatchURLToSourceList(%q, %q, %q, %d), with the URL %q that an expression of the list names: model %v, engine %v",
				rawURL, list, origin, rc, named.String(), m, e)
		}
	}
	return nil, ""
}

// namedURLs are the URLs the first eight host-sources of list name
// (differential.NamedURL: u's scheme for a source without one, u's host
// for a lone "*"), as the full parser reads them.
func namedURLs(list []string, u model.URL) []model.URL {
	var urls []model.URL
	for _, e := range list {
		if len(urls) == 8 {
			break
		}
		if e == "" || e[0] == '\'' {
			continue
		}
		s := differential.NamedURL(e, u.Scheme, func(host string) string {
			if host == "*" {
				return u.Host.Serialized
			}
			return host
		})
		if named, err := model.ParseURL(s); err == nil {
			urls = append(urls, named)
		}
	}
	return urls
}

// carelessPorts are the ports, from 0 to 65535, that the port-parts of
// list's expressions (what follows a host's ':' up to a '/') name when
// read carelessly: the number their digits spell once the other bytes are
// dropped, the number their leading digits spell, and the number a reader
// that takes every byte for a digit (the byte less '0') would compute.
// Only port-parts with a byte that is not a digit are read, up to 8 bytes.
func carelessPorts(list []string) []int {
	var ports []int
	add := func(v int) {
		if 0 <= v && v <= 65535 {
			ports = append(ports, v)
		}
	}
	for _, e := range list {
		if i := strings.Index(e, "://"); i >= 0 {
			e = e[i+3:]
		}
		i := strings.IndexByte(e, ':')
		if i < 0 {
			continue
		}
		part := e[i+1:]
		if j := strings.IndexByte(part, '/'); j >= 0 {
			part = part[:j]
		}
		if part == "" || part == "*" || strings.Trim(part, "0123456789") == "" {
			continue
		}
		digits, leading, every := 0, 0, 0
		inLeading := true
		for k := 0; k < len(part) && k < 8; k++ {
			c := part[k]
			isDigit := '0' <= c && c <= '9'
			if isDigit {
				digits = digits*10 + int(c-'0')
			}
			if inLeading = inLeading && isDigit; inLeading {
				leading = leading*10 + int(c-'0')
			}
			if every <= 65535 {
				every = every*10 + int(c-'0') // c-'0' wraps as a byte
			}
		}
		add(digits)
		add(leading)
		add(every)
	}
	return ports
}

// depthSeeds put a "*." wildcard of every depth from 1 to 7 labels against a
// host one label deeper (it matches) and one label off (it does not), under
// paddings that make it the deepest, the shallowest or neither, on both
// sides of the flat scan.
func depthSeeds() []sourceExpressionSeed {
	var seeds []sourceExpressionSeed
	for d := 1; d <= 7; d++ {
		suffix := strings.Repeat("x.", d-1) + "test"
		for _, u := range []string{"https://a." + suffix + "/", "https://a.y" + suffix[1:] + "/"} {
			for depth := range uint8(8) {
				for _, count := range []uint8{3, 4, 7} {
					for _, near := range []uint8{0, 0x80} {
						seeds = append(seeds, sourceExpressionSeed{"*." + suffix, u, seedSelf, 0, count | depth<<3 | near})
					}
				}
			}
		}
	}
	return seeds
}
