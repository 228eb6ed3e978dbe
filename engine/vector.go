package engine

import (
	"fmt"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/model"
)

// RunCase decides a case of the public vector format (docs/vectors.md) with
// the engine, as corpus.RunModel does with the model.
func RunCase(c corpus.Case) corpus.Result {
	deliveries, self, req, err := buildCase(c)
	if err != nil {
		return corpus.Result{ID: c.ID, Error: err.Error()}
	}
	var d Decision
	if err := Compile(deliveries, self).Decide(&req, &d); err != nil {
		return corpus.Result{ID: c.ID, Error: err.Error()}
	}
	res := corpus.Result{ID: c.ID, Verdict: corpus.VerdictAllowed, Violations: []corpus.Violation{}}
	if d.Verdict == model.Blocked {
		res.Verdict = corpus.VerdictBlocked
	}
	for i := range d.Violations {
		v := &d.Violations[i]
		res.Violations = append(res.Violations, corpus.Violation{
			Policy: v.Policy(), OriginalPolicy: v.OriginalPolicy(), Directive: v.Directive(),
			EffectiveDirective: v.EffectiveDirective(), Disposition: string(v.Disposition()),
			BlockedURI: v.BlockedURI(), Check: string(v.Check()), RedirectCount: v.RedirectCount,
		})
	}
	return res
}

// FromCase compiles a case's policies and builds its request, with URLs
// parsed, ready for CSP.Decide: what a benchmark or a caller holding the
// vector format needs to decide the same request many times.
func FromCase(c corpus.Case) (*CSP, Request, error) {
	deliveries, self, req, err := buildCase(c)
	if err != nil {
		return nil, Request{}, err
	}
	return Compile(deliveries, self), req, nil
}

var destinations = map[string]bool{
	"": true, "audio": true, "audioworklet": true, "document": true, "embed": true, "font": true,
	"frame": true, "iframe": true, "image": true, "json": true, "manifest": true, "object": true,
	"paintworklet": true, "report": true, "script": true, "serviceworker": true, "sharedworker": true,
	"style": true, "text": true, "track": true, "video": true, "webidentity": true, "worker": true, "xslt": true,
}

func buildCase(c corpus.Case) ([]model.PolicyDelivery, model.Origin, Request, error) {
	var req Request
	deliveries, err := c.Deliveries()
	if err != nil {
		return nil, model.Origin{}, req, err
	}
	self, err := ParseOrigin(c.SelfOrigin)
	if err != nil {
		return nil, model.Origin{}, req, err
	}
	r := c.Request
	if len(r.URLList) == 0 {
		return nil, model.Origin{}, req, fmt.Errorf("%w: request.url_list is empty", corpus.ErrCase)
	}
	switch {
	case r.Kind != "" && r.Destination != nil:
		return nil, model.Origin{}, req, fmt.Errorf("%w: request has both kind and destination", corpus.ErrCase)
	case r.Kind != "":
		k, ok := ParseKind(r.Kind)
		if !ok || r.Initiator != "" || r.Mode != "" {
			return nil, model.Origin{}, req, fmt.Errorf("%w: request.kind %q", corpus.ErrCase, r.Kind)
		}
		req.Kind = k
	case r.Destination != nil:
		if !destinations[*r.Destination] {
			return nil, model.Origin{}, req, fmt.Errorf("%w: request.destination %q", corpus.ErrCase, *r.Destination)
		}
		req.Destination, req.Initiator, req.Mode = *r.Destination, r.Initiator, r.Mode
	default:
		return nil, model.Origin{}, req, fmt.Errorf("%w: request needs a kind or a destination", corpus.ErrCase)
	}
	for _, s := range r.URLList {
		u, err := ParseURL(s)
		if err != nil {
			return nil, model.Origin{}, req, err
		}
		req.URLs = append(req.URLs, u)
	}
	req.Nonce, req.Integrity, req.ParserMetadata, req.WebTransportHashes = r.Nonce, r.Integrity, r.ParserMetadata, r.WebTransportHashes
	return deliveries, self, req, nil
}

// ParseOrigin reads an origin written as a URL, or "null" for an opaque one.
func ParseOrigin(s string) (model.Origin, error) {
	if s == "" {
		return model.Origin{}, fmt.Errorf("%w: self_origin is missing", corpus.ErrCase)
	}
	if s == "null" {
		return model.NewOpaqueOrigin(), nil
	}
	u, err := ParseURL(s)
	if err != nil {
		return model.Origin{}, err
	}
	return OriginOf(u), nil
}

// OriginOf is a URL's origin: a tuple for ftp, http, https, ws and wss URLs,
// the inner URL's for blob: URLs of http, https (file: is opaque), and a
// fresh opaque origin otherwise.
func OriginOf(u model.URL) model.Origin {
	switch u.Scheme {
	case "ftp", "http", "https", "ws", "wss":
		return model.Origin{Scheme: u.Scheme, Host: u.Host, Port: u.Port}
	case "blob":
		if inner, err := ParseURL(u.Path); err == nil && (inner.Scheme == "http" || inner.Scheme == "https") {
			return OriginOf(inner)
		}
	}
	return model.NewOpaqueOrigin()
}
