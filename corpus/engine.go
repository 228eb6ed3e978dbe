package corpus

import (
	"fmt"

	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// This file adapts the public vector format to the compiled engine (package
// engine), which knows nothing of cases and results: the engine depends only
// on the model, the standard library and the URL parser.

// RunEngine decides a case of the public vector format (docs/vectors.md)
// with the compiled engine, as RunModel does with the model.
//
// The engine decides requests only: a case of another check gets its error
// when it is not a valid case, and otherwise a result that says
// EngineUnsupported, which csp vectors run counts apart.
func RunEngine(c Case) Result {
	if c.CheckName() != CheckRequest {
		if _, err := c.build(); err != nil {
			return Result{ID: c.ID, Error: err.Error()}
		}
		return Result{ID: c.ID, Unsupported: EngineUnsupported}
	}
	csp, req, err := CompileCase(c)
	if err != nil {
		return Result{ID: c.ID, Error: err.Error()}
	}
	var d engine.Decision
	if err := csp.Decide(&req, &d); err != nil {
		return Result{ID: c.ID, Error: err.Error()}
	}
	res := Result{ID: c.ID, Verdict: VerdictBlocked, Violations: []Violation{}}
	if d.Verdict == model.Allowed {
		res.Verdict = VerdictAllowed
	}
	for i := range d.Violations {
		v := &d.Violations[i]
		res.Violations = append(res.Violations, Violation{
			Policy: v.Policy(), OriginalPolicy: v.OriginalPolicy(), Directive: v.Directive(),
			EffectiveDirective: v.EffectiveDirective(), Disposition: string(v.Disposition()),
			BlockedURI: v.BlockedURI(), Check: string(v.Check()), RedirectCount: v.RedirectCount,
		})
	}
	return res
}

// CompileCase compiles a case's policies and builds its request, with URLs
// parsed, ready for (*engine.CSP).Decide: what a benchmark or a caller
// holding the vector format needs to decide the same request many times.
func CompileCase(c Case) (*engine.CSP, engine.Request, error) {
	var req engine.Request
	if ck := c.CheckName(); ck != CheckRequest {
		return nil, req, fmt.Errorf("%w: a %s check is not a request, and the engine decides requests only", ErrCase, ck)
	}
	if err := c.Validate(); err != nil {
		return nil, req, err
	}
	deliveries, err := c.Deliveries()
	if err != nil {
		return nil, req, err
	}
	if c.SelfOrigin == "" {
		return nil, req, fmt.Errorf("%w: self_origin is missing", ErrCase)
	}
	self, err := engine.ParseOrigin(c.SelfOrigin)
	if err != nil {
		return nil, req, fmt.Errorf("%w: self_origin: %w", ErrCase, err)
	}
	r := c.Request
	if err := r.Check(); err != nil {
		return nil, req, err
	}
	if r.Kind != "" {
		req.Kind, _ = engine.ParseKind(r.Kind)
	} else {
		req.Destination, req.Initiator, req.Mode = *r.Destination, r.Initiator, r.Mode
	}
	req.URLs = make([]model.URL, len(r.URLList))
	for i, s := range r.URLList {
		if err := engine.ParseURLInto(&req.URLs[i], s); err != nil {
			return nil, req, err
		}
	}
	req.Nonce, req.Integrity, req.ParserMetadata, req.WebTransportHashes = r.Nonce, r.Integrity, r.ParserMetadata, r.WebTransportHashes
	return engine.Compile(deliveries, self), req, nil
}
