package fuzz

import (
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/google/go-cmp/cmp"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/model"
)

// handBuiltDifference decides c again under one of the changes
// handBuiltChanges gives, each an input only a caller of the Go API can
// pass (a self-origin or URL records no parser gives), and describes how
// model and engine disagree there (on whether the case is refused, a
// check's refusal message, or the decision), or returns "" when they agree.
//
// engine.Compile takes any model.Origin, and the engine reads 'self' from
// the tuple's parts as compiled (a scheme number, a host kind, a port),
// not from its text: a branch for a scheme with no default port or a test
// of the host's kind is reached only by such origins, which ParseOrigin
// never returns (it makes tuples of the special schemes, hosts as their
// kind spells them, default ports as null). The URL records a request or
// a check takes are read from their parts too (a path's first byte, a
// port against the scheme's default, a host's kind).
//
// While fuzzing, the change is picked by a hash of the case's policies and
// URLs (handBuiltPick): all of them would cost every input several times
// as much, and a fuzzer's mutation of any of those bytes draws another. A
// seed run (go test without -fuzz) tries every one: there no mutation
// draws the others, and a seed would otherwise reach only the change its
// hash happens to pick.
func handBuiltDifference(c corpus.Case) string {
	changes := handBuiltChanges(c)
	if len(changes) == 0 {
		return ""
	}
	if !seedRun() {
		changes = changes[handBuiltPick(c)%uint32(len(changes)):][:1]
	}
	for _, h := range changes {
		if msg := h.difference(c); msg != "" {
			return msg
		}
	}
	return ""
}

// handBuilt is one input only the Go API can pass: a self-origin built by
// hand (self), or a change made to every URL record the case decides
// (url, which reports whether it changed the record).
type handBuilt struct {
	self *model.Origin
	url  func(u *model.URL) bool
	// what the URL change does, for a report
	what string
}

// difference decides c under h, and describes how model and engine
// disagree there, or returns "".
//
// A URL record with upper-case letters in its scheme or its domain is
// outside what Request.URLs promises to decide as the model does: the
// engine reads those parts as a parser leaves them (lower case), so it may
// block where the model, which folds case, allows. There the engine is
// held to the safe side only: it must never allow what the model blocks
// or refuses. Every other change must be decided as the model decides it.
func (h handBuilt) difference(c corpus.Case) string {
	if h.self != nil {
		c.SelfByHand = h.self
	}
	changed, folded := h.url == nil, false
	if h.url != nil {
		c.URLsByHand = func(urls []model.URL) {
			for i := range urls {
				changed = h.url(&urls[i]) || changed
				folded = folded || upperCaseParts(&urls[i])
			}
		}
	}
	m := corpus.RunModel(c, nil)
	if !changed {
		return "" // no record the change applies to: the case itself
	}
	return h.compare(c, m, corpus.RunEngine(c), folded)
}

// compare describes how m and e, the model's and the engine's results of
// c under h, disagree; folded: only a wrong Allowed counts (difference).
func (h handBuilt) compare(c corpus.Case, m, e corpus.Result, folded bool) string {
	var what string
	switch {
	case folded:
		if e.Error != "" || e.Verdict != corpus.VerdictAllowed || m.Error == "" && m.Verdict == corpus.VerdictAllowed {
			return ""
		}
		what = "the engine allows what the model does not:\nmodel: " + m.Verdict + " " + quote(m.Error) + "\nengine: " + e.Verdict
	case (m.Error == "") != (e.Error == ""):
		what = "on whether the case can be decided:\nmodel error: " + quote(m.Error) + "\nengine error: " + quote(e.Error)
	case m.Error != e.Error && c.CheckName() != corpus.CheckRequest:
		what = "on the refusal's message:\nmodel error: " + quote(m.Error) + "\nengine error: " + quote(e.Error)
	case m.Error == "" && !cmp.Equal(m, e):
		what = "(-model +engine):\n" + cmp.Diff(m, e)
	default:
		return ""
	}
	if h.self != nil {
		return "model and engine disagree under a self-origin built by hand, " + originByHand(*h.self) + ", " + what +
			"\n(the command below reads the case's self-origin, " + quote(c.SelfOrigin) + ", not the one built by hand)"
	}
	return "model and engine disagree on URL records built by hand (" + h.what + "), " + what +
		"\n(the command below reads the case's URLs as they parse, not as built by hand)"
}

// upperCaseParts reports whether u has an upper-case ASCII letter in its
// scheme or in a domain host.
func upperCaseParts(u *model.URL) bool {
	upper := func(r rune) bool { return 'A' <= r && r <= 'Z' }
	return strings.ContainsFunc(u.Scheme, upper) || u.Host.Kind == model.DomainHost && strings.ContainsFunc(u.Host.Serialized, upper)
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

// handBuiltChanges are handBuiltSelves, then handBuiltURLs.
func handBuiltChanges(c corpus.Case) []handBuilt {
	var out []handBuilt
	for _, o := range handBuiltSelves(c) {
		out = append(out, handBuilt{self: &o})
	}
	return append(out, handBuiltURLs...)
}

// handBuiltURLs are the changes handBuiltDifference makes to every URL
// record a case decides (its request's or navigation's URL list, or its
// <base> URL), each one change from what a parser gives. A record with a
// host and a path that is a list of segments (not opaque) may lose the
// "/" that starts its path, or its path; a port null for its scheme's
// default may have it written out; any port may go past 65535; a domain
// may become an opaque host or an IPv4 address, any other host a domain;
// a domain or a scheme may be in upper case.
var handBuiltURLs = []handBuilt{
	{what: `a path with no "/" in front`, url: func(u *model.URL) bool {
		if u.Host.Kind == model.NoHost || u.OpaquePath || !strings.HasPrefix(u.Path, "/") {
			return false
		}
		u.Path = u.Path[1:]
		return true
	}},
	{what: "an empty path", url: func(u *model.URL) bool {
		if u.Host.Kind == model.NoHost || u.OpaquePath || u.Path == "" {
			return false
		}
		u.Path = ""
		return true
	}},
	{what: "the default port written out", url: func(u *model.URL) bool {
		if u.Port != -1 || model.DefaultPort(u.Scheme) == -1 {
			return false
		}
		u.Port = model.DefaultPort(u.Scheme)
		return true
	}},
	{what: "a port past 65535", url: func(u *model.URL) bool {
		if u.Host.Kind == model.NoHost {
			return false
		}
		u.Port = max(u.Port, model.DefaultPort(u.Scheme)) + 1<<16
		return true
	}},
	{what: "the host's kind changed", url: func(u *model.URL) bool {
		switch u.Host.Kind {
		case model.NoHost:
			return false
		case model.DomainHost:
			u.Host.Kind = model.OpaqueHost
		default:
			u.Host.Kind = model.DomainHost
		}
		return true
	}},
	{what: "a domain as an IPv4 address", url: func(u *model.URL) bool {
		if u.Host.Kind != model.DomainHost {
			return false
		}
		u.Host.Kind = model.IPv4Host
		return true
	}},
	{what: "the host and the scheme in upper case", url: func(u *model.URL) bool {
		host := u.Host.Serialized
		if u.Host.Kind == model.DomainHost {
			host = strings.ToUpper(host)
		}
		if host == u.Host.Serialized && strings.ToUpper(u.Scheme) == u.Scheme {
			return false
		}
		u.Scheme, u.Host.Serialized = strings.ToUpper(u.Scheme), host
		return true
	}},
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
