//go:build linux

package browser

import (
	"fmt"
	"strings"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/model"
)

// browserCase is a case of the vector format (docs/vectors.md) as a page can
// run it: the page's origin, its policy deliveries, and one request made
// with a real API; or, for the other checks (and requests a page of
// requests cannot make), the unit that runs it (checks.go), and the aspect
// of the unit's run the row is about (a sandboxed window's effects).
type browserCase struct {
	Case     corpus.Case
	Origin   string // the serialized page origin
	Policies []policyDelivery
	Kind     string   // a model.Kinds name, or "image"
	URLs     []string // the URL list: the API's URL, then each redirect

	Unit   *checkUnit
	Aspect string
}

// ID names the row: the case's id, and its aspect after a "#".
func (c browserCase) ID() string {
	if c.Aspect == "" {
		return c.Case.ID
	}
	return c.Case.ID + "#" + c.Aspect
}

// Check names the row's check: the case's, with the aspect.
func (c browserCase) Check() string {
	if c.Aspect == "" {
		return c.Case.CheckName()
	}
	return c.Case.CheckName() + " (" + c.Aspect + ")"
}

// toBrowserCases says how the harness runs c, as one row or (a sandboxed
// window) one row per aspect, or why it cannot.
func toBrowserCases(c corpus.Case) ([]browserCase, error) {
	if !needsUnit(c) {
		bc, err := toBrowserCase(c)
		if err != nil {
			return nil, err
		}
		return []browserCase{bc}, nil
	}
	var u *checkUnit
	var err error
	if c.CheckName() == corpus.CheckRequest {
		u, err = localUnit(c)
	} else {
		u, err = toCheckUnit(c)
	}
	if err != nil {
		return nil, err
	}
	var out []browserCase
	for _, a := range u.Aspects {
		out = append(out, browserCase{Case: c, Origin: u.TopOrigin, Policies: u.TopPolicies, Unit: u, Aspect: a})
	}
	return out, nil
}

// pageKinds are the request kinds a page can make, beyond the six
// connect-src callers: an image stands for the destination "image".
var pageKinds = map[string]bool{
	"fetch": true, "xhr": true, "eventsource": true, "beacon": true, "ping": true, "websocket": true,
	"image": true,
}

// directivesThatStopThePage are directives whose effect would keep the
// page's script from running or reporting, or change requests before CSP
// sees them; cases that use them cannot be run on a page.
var directivesThatStopThePage = map[string]string{
	"sandbox":                   "sandbox stops the page's script or its report",
	"form-action":               "form-action could stop the page's report (a form submission)",
	"upgrade-insecure-requests": "upgrade-insecure-requests rewrites URLs before CSP sees them, which the model leaves out",
	"block-all-mixed-content":   "block-all-mixed-content adds a non-CSP block",
	"require-trusted-types-for": "Trusted Types could stop the page's script",
	"trusted-types":             "Trusted Types could stop the page's script",
}

// toBrowserCase says how a page runs c, or why it cannot.
func toBrowserCase(c corpus.Case) (browserCase, error) {
	bc := browserCase{Case: c, URLs: c.Request.URLList}
	if c.CheckName() != corpus.CheckRequest {
		return bc, fmt.Errorf("a %s check is no request a page of requests makes", c.CheckName())
	}
	switch {
	case c.Request.Kind != "":
		bc.Kind = c.Request.Kind
	case c.Request.Destination != nil && *c.Request.Destination == "image" && c.Request.Initiator == "" &&
		(c.Request.Mode == "" || c.Request.Mode == "no-cors"):
		bc.Kind = "image"
	case c.Request.Destination != nil && *c.Request.Destination == "":
		return bc, fmt.Errorf("a bare destination \"\" (mode %q) names no API; connect-src callers are run by their kind", c.Request.Mode)
	case c.Request.Destination != nil:
		return bc, fmt.Errorf("destination %q: the harness makes connect-src requests and images only", *c.Request.Destination)
	default:
		return bc, fmt.Errorf("no request kind")
	}
	if !pageKinds[bc.Kind] {
		return bc, fmt.Errorf("kind %q is not one a page makes", bc.Kind)
	}
	if len(bc.URLs) == 0 {
		return bc, fmt.Errorf("empty URL list")
	}
	origin, err := model.ParseOrigin(c.SelfOrigin)
	switch {
	case err != nil:
		return bc, fmt.Errorf("self-origin: %v", err)
	case origin.Opaque:
		return bc, fmt.Errorf("an opaque self-origin has no page to serve")
	case origin.Scheme != "http" && origin.Scheme != "https":
		return bc, fmt.Errorf("self-origin scheme %q: pages are served over http and https only", origin.Scheme)
	}
	bc.Origin = origin.String()
	insecure := false
	for i, u := range bc.URLs {
		pu, err := model.ParseURL(u)
		if err != nil {
			return bc, fmt.Errorf("url %d: %v", i, err)
		}
		switch pu.Scheme {
		case "http", "https", "ws", "wss":
		default:
			return bc, fmt.Errorf("url %q: only http(s) and ws(s) URLs can reach the test server", u)
		}
		if (pu.Scheme == "ws" || pu.Scheme == "wss") && bc.Kind != "websocket" {
			return bc, fmt.Errorf("url %q: %s fails on %s: URLs before any CSP check", u, bc.Kind, pu.Scheme)
		}
		if pu.Host.IsNull() || pu.Host.Serialized == "" {
			return bc, fmt.Errorf("url %q has no host", u)
		}
		insecure = insecure || pu.Scheme == "http"
		if (pu.Scheme == "https" || pu.Scheme == "wss") && strings.HasSuffix(pu.Host.Serialized, ".") {
			// Go's TLS server refuses a server name that ends in a dot, as
			// RFC 6066 asks, and the engines send one.
			return bc, fmt.Errorf("url %q: the test server cannot speak TLS for a host name that ends in a dot", u)
		}
	}
	if bc.Kind == "image" && origin.Scheme == "https" && insecure {
		return bc, fmt.Errorf("an http image on an https page: engines upgrade it to https before CSP sees it (mixed content), which the model leaves out")
	}
	for _, p := range c.Policies {
		if p.Source != "meta" && strings.ContainsAny(p.Value, "\r\n\x00") {
			return bc, fmt.Errorf("policy %q cannot be sent as a header", p.Value)
		}
		bc.Policies = append(bc.Policies, policyDelivery{Value: p.Value, ReportOnly: p.Disposition == "report", Meta: p.Source == "meta"})
	}
	in, err := c.Build()
	if err != nil {
		return bc, err
	}
	// The policies as the model reads them: enforced ones only (a
	// report-only sandbox or form-action stops nothing), and <meta> ones
	// without what <meta> drops.
	for _, p := range model.NewCSPList(in.Deliveries, in.SelfOrigin, nil).Policies {
		if p.Disposition != model.Enforce {
			continue
		}
		for _, d := range p.DirectiveSet {
			if why, ok := directivesThatStopThePage[d.Name]; ok {
				return bc, fmt.Errorf("policy %q: %s", p.Text, why)
			}
		}
	}
	if r := corpus.RunModel(c, nil); r.Error != "" {
		return bc, fmt.Errorf("the model gives no verdict: %s", r.Error)
	}
	return bc, nil
}
