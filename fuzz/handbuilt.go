package fuzz

import (
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/google/go-cmp/cmp"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/model"
)

// handBuiltDifference decides c again under one of handBuiltSelves, the
// origins a caller of the Go API can build and no origin string parses
// to, and describes how model and engine disagree there (on whether the
// case is refused, a check's refusal message, or the decision), or returns
// "" when they agree.
//
// engine.Compile takes any model.Origin, and the engine reads 'self' from
// the tuple's parts as compiled (a scheme number, a host kind, a port),
// not from its text: a branch for a scheme with no default port or a test
// of the host's kind is reached only by such origins, which ParseOrigin
// never returns (it makes tuples of the special schemes, hosts as their
// kind spells them, default ports as null).
//
// While fuzzing, the origin is picked by a hash of the case's policies and
// URLs (handBuiltPick): all of them would cost every input half as much
// again, and a fuzzer's mutation of any of those bytes draws another. A
// seed run (go test without -fuzz) tries every one: there no mutation
// draws the others, and a seed would otherwise reach only the variant its
// hash happens to pick.
func handBuiltDifference(c corpus.Case) string {
	selves := handBuiltSelves(c)
	if len(selves) == 0 {
		return ""
	}
	if !seedRun() {
		selves = selves[handBuiltPick(c)%uint32(len(selves)):][:1]
	}
	for _, o := range selves {
		if msg := handBuiltDifferenceUnder(c, o); msg != "" {
			return msg
		}
	}
	return ""
}

// handBuiltDifferenceUnder is handBuiltDifference under the self-origin o.
func handBuiltDifferenceUnder(c corpus.Case, o model.Origin) string {
	c.SelfByHand = &o
	m, e := corpus.RunModel(c, nil), corpus.RunEngine(c)
	var what string
	switch {
	case (m.Error == "") != (e.Error == ""):
		what = "on whether the case can be decided:\nmodel error: " + quote(m.Error) + "\nengine error: " + quote(e.Error)
	case m.Error != e.Error && c.CheckName() != corpus.CheckRequest:
		what = "on the refusal's message:\nmodel error: " + quote(m.Error) + "\nengine error: " + quote(e.Error)
	case m.Error == "" && !cmp.Equal(m, e):
		what = "(-model +engine):\n" + cmp.Diff(m, e)
	default:
		return ""
	}
	return "model and engine disagree under a self-origin built by hand, " + originByHand(o) + ", " + what +
		"\n(the command below reads the case's self-origin, " + quote(c.SelfOrigin) + ", not the one built by hand)"
}

// handBuiltPick hashes what a fuzzer writes of c (FNV-1a of its policies,
// its request's and navigation's URLs and its <base> URL).
func handBuiltPick(c corpus.Case) uint32 {
	h := fnv.New32a()
	for _, p := range c.Policies {
		h.Write([]byte(p.Value))
	}
	urls := c.Request.URLList
	if c.Navigation != nil {
		urls = append(urls[:len(urls):len(urls)], c.Navigation.URLList...)
	}
	for _, u := range append(urls[:len(urls):len(urls)], c.BaseURL) {
		h.Write([]byte(u))
	}
	return h.Sum32()
}

// handBuiltSelves are the self-origins handBuiltDifference picks from for
// c, each one change from what a parser gives:
//   - the case's own tuple with its host's kind changed (a domain to an
//     opaque host, any other kind to a domain; and a domain or an IPv6
//     address to an IPv4 address, an IPv4 address to an IPv6 one), its
//     host's letters in upper case, its scheme's default port written
//     out, and its port (or the default port) past 65535 by 65536;
//   - the tuple of the first URL the case decides (the request's or the
//     navigation's first, else the <base> URL), whatever its scheme: for a
//     scheme with no default port, a tuple ParseOrigin never makes.
//
// An opaque self-origin has no tuple to change, and a case whose
// self-origin or URL does not parse gives only what does.
func handBuiltSelves(c corpus.Case) []model.Origin {
	var out []model.Origin
	if o, err := model.ParseOrigin(c.SelfOrigin); err == nil && !o.Opaque {
		kind := o
		kind.Host.Kind = model.DomainHost
		if o.Host.Kind == model.DomainHost {
			kind.Host.Kind = model.OpaqueHost
		}
		address := o // an address's kind for a domain's text, a domain's for an address's
		address.Host.Kind = model.IPv4Host
		switch o.Host.Kind {
		case model.IPv4Host:
			address.Host.Kind = model.IPv6Host
		case model.IPv6Host:
			address.Host.Kind = model.IPv4Host
		}
		upper := o
		upper.Host.Serialized = strings.ToUpper(o.Host.Serialized)
		past := o
		past.Port = max(o.Port, model.DefaultPort(o.Scheme)) + 1<<16
		out = append(out, kind, address, upper, past)
		if written := o; o.Port == -1 && model.DefaultPort(o.Scheme) != -1 {
			written.Port = model.DefaultPort(o.Scheme)
			out = append(out, written)
		}
	}
	first := c.BaseURL
	if c.Navigation != nil && len(c.Navigation.URLList) > 0 {
		first = c.Navigation.URLList[0]
	} else if len(c.Request.URLList) > 0 {
		first = c.Request.URLList[0]
	}
	if u, err := model.ParseURL(first); err == nil && first != "" {
		out = append(out, model.Origin{Scheme: u.Scheme, Host: u.Host, Port: u.Port})
	}
	return out
}

// originByHand spells a hand-built origin's parts, which its serialization
// would not tell apart (a host's kind, a default port written out).
func originByHand(o model.Origin) string {
	return fmt.Sprintf("scheme %q, host %q (%s), port %d", o.Scheme, o.Host.Serialized, o.Host.Kind, o.Port)
}
