package fuzz

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// parsed is the shape both sides' CSP lists are compared in.
type parsed struct {
	Directives  []model.Directive
	Disposition model.Disposition
	Source      model.PolicySource
	Text        string
	Delivery    int
}

// FuzzParsePolicy compares the CSP lists model and engine build from the same
// deliveries, and checks that serializing the parsed directives and parsing
// them again gives them back. Seeds are the policies of the corpus and of
// the field seeds, and a few with a delivery only the Go API can write: a
// line that starts with X (after the e, r, m or M that may come first) has the
// disposition "Enforce", one that starts with Y the source "Meta", none of
// the named values, so the CSP list holds them first (D6).
func FuzzParsePolicy(f *testing.F) {
	for _, s := range seedsOf(f, policySeeds) {
		f.Add(s)
	}
	f.Add("script-src 'none'\nXconnect-src 'none'\nrYimg-src *")
	f.Add("Y")
	f.Add("Mconnect-src 'none'\nmimg-src *")
	f.Add("mconnect-src\x1ehttps://a.example\x1e'self';\x1eimg-src *")
	f.Fuzz(func(t *testing.T, policies string) {
		var deliveries []model.PolicyDelivery
		for _, p := range decodePolicies(policies) {
			d := model.PolicyDelivery{Value: p.Value, Disposition: model.Disposition(p.Disposition), Source: model.PolicySource(p.Source)}
			if v, ok := strings.CutPrefix(d.Value, "X"); ok {
				d.Value, d.Disposition = v, "Enforce"
			} else if v, ok := strings.CutPrefix(d.Value, "Y"); ok {
				d.Value, d.Source = v, "Meta"
			}
			deliveries = append(deliveries, d)
		}
		var m []parsed
		for _, p := range model.NewCSPList(deliveries, model.NewOpaqueOrigin(), nil).Policies {
			m = append(m, parsed{p.DirectiveSet, p.Disposition, p.Source, p.Text, p.Delivery})
		}
		var e []parsed
		for _, p := range engine.ParsePolicies(deliveries) {
			e = append(e, parsed{p.Directives, p.Disposition, p.Source, p.Text, p.Delivery})
		}
		if diff := cmp.Diff(m, e, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("CSP list mismatch for %q (-model +engine):\n%s", policies, diff)
		}
		// Round trip: a policy written back as "name v1 v2; …" parses to the
		// same directives.
		for _, p := range m {
			var parts []string
			for _, d := range p.Directives {
				parts = append(parts, strings.Join(append([]string{d.Name}, d.Value...), " "))
			}
			again := model.ParseSerializedPolicy(strings.Join(parts, "; "), p.Source, p.Disposition, nil)
			if diff := cmp.Diff(p.Directives, again.DirectiveSet, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("policy %q does not survive serialize and parse (-first +second):\n%s", p.Text, diff)
			}
		}
	})
}
