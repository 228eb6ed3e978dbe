package fuzz

import (
	"strings"

	"github.com/cspmodel/cspmodel/corpus"
)

// The fuzz targets take plain strings (and bytes): go test -fuzz and
// go-118-fuzz-build accept only basic types. A case travels as:
//   - policies: one delivery per line, its first byte saying which kind:
//     'e' an enforced header, 'r' a report-only header, 'm' a <meta>
//     element, 'M' a report-only <meta> (which HTML ignores), anything else
//     an enforced header with that byte kept; in a value, the byte 0x1E
//     stands for a line feed, which the lines cannot hold (a <meta>'s
//     content may, and the policy parsers treat it as white space);
//   - urls: the URL list, one per line (the first URL, then each redirect
//     target);
//   - kind: a caller, or "" to use destination, initiator and mode;
//   - nonce, integrity, parser metadata as they are;
//   - webTransport: the WebTransport hash list, one hash per line ("" for
//     none).

func encodePolicies(ps []corpus.PolicyInput) string {
	var lines []string
	for _, p := range ps {
		prefix := "e"
		switch {
		case p.Source == "meta" && p.Disposition == "report":
			prefix = "M"
		case p.Source == "meta":
			prefix = "m"
		case p.Disposition == "report":
			prefix = "r"
		}
		lines = append(lines, prefix+strings.ReplaceAll(p.Value, "\n", "\x1e"))
	}
	return strings.Join(lines, "\n")
}

func decodePolicies(s string) []corpus.PolicyInput {
	if s == "" {
		return nil
	}
	var ps []corpus.PolicyInput
	for _, line := range strings.Split(s, "\n") {
		p := corpus.PolicyInput{Value: line, Disposition: "enforce", Source: "header"}
		if line != "" {
			switch line[0] {
			case 'e':
				p.Value = line[1:]
			case 'r':
				p.Value, p.Disposition = line[1:], "report"
			case 'm':
				p.Value, p.Source = line[1:], "meta"
			case 'M':
				p.Value, p.Source, p.Disposition = line[1:], "meta", "report"
			}
			p.Value = strings.ReplaceAll(p.Value, "\x1e", "\n")
		}
		ps = append(ps, p)
	}
	return ps
}

// decideArgs are FuzzDecide's arguments, in order.
type decideArgs struct {
	policies, selfOrigin, urls, kind, destination, initiator, mode, nonce, integrity, parser, webTransport string
}

// list is a as FuzzDecide's argument list.
func (a decideArgs) list() []any {
	return []any{a.policies, a.selfOrigin, a.urls, a.kind, a.destination, a.initiator, a.mode, a.nonce, a.integrity, a.parser, a.webTransport}
}

// decideArgsOf reads FuzzDecide's argument list, eleven strings.
func decideArgsOf(args []any) decideArgs {
	s := strs(args)
	return decideArgs{s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10]}
}

// argsOf writes a case as FuzzDecide's arguments.
func argsOf(c corpus.Case) decideArgs {
	a := decideArgs{
		policies: encodePolicies(c.Policies), selfOrigin: c.SelfOrigin, urls: strings.Join(c.Request.URLList, "\n"),
		kind: c.Request.Kind, initiator: c.Request.Initiator, mode: c.Request.Mode,
		nonce: c.Request.Nonce, integrity: c.Request.Integrity, parser: c.Request.ParserMetadata,
		webTransport: strings.Join(c.Request.WebTransportHashes, "\n"),
	}
	if c.Request.Destination != nil {
		a.destination = *c.Request.Destination
	}
	return a
}

// toCase reads FuzzDecide's arguments as a case. A kind wins over
// destination, initiator and mode, which it sets itself.
func (a decideArgs) toCase() corpus.Case {
	c := corpus.Case{ID: "fuzz", Policies: decodePolicies(a.policies), SelfOrigin: a.selfOrigin}
	c.Request.URLList = strings.Split(a.urls, "\n")
	if a.kind != "" {
		c.Request.Kind = a.kind
	} else {
		d := a.destination
		c.Request.Destination = &d
		c.Request.Initiator, c.Request.Mode = a.initiator, a.mode
	}
	c.Request.Nonce, c.Request.Integrity, c.Request.ParserMetadata = a.nonce, a.integrity, a.parser
	if a.webTransport != "" {
		c.Request.WebTransportHashes = strings.Split(a.webTransport, "\n")
	}
	return c
}
