package engine

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// TestCheckPoliciesAreTheCSPList holds the CSP list the checks beyond
// requests compile from (the policies Compile kept: those a request
// consults and the others) to the list the deliveries parse into
// (cspList), policy by policy and in order, over random mixes of headers,
// report-only headers and <meta> elements whose comma-separated policies
// hold request directives, directives only the checks read, both or none,
// and report-only <meta> elements, which neither keeps.
func TestCheckPoliciesAreTheCSPList(t *testing.T) {
	pieces := []string{
		"script-src 'self'", "frame-ancestors 'none'", "sandbox allow-scripts", "base-uri 'self'",
		"webrtc 'allow'", "report-uri /r", "connect-src *", "form-action 'none'", "",
		"  ", "require-trusted-types-for 'script'", "default-src https:", "bogus-directive x",
		"style-src 'unsafe-inline'; frame-ancestors a.example", "img-src \u00e9", "SANDBOX",
	}
	rng := rand.New(rand.NewPCG(12, 10))
	self, err := ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	for n := range 3000 {
		deliveries := make([]model.PolicyDelivery, rng.IntN(4)+1)
		for i := range deliveries {
			members := make([]string, rng.IntN(3)+1)
			for j := range members {
				members[j] = pieces[rng.IntN(len(pieces))]
			}
			d := &deliveries[i]
			d.Value = strings.Join(members, ",")
			switch rng.IntN(4) {
			case 1:
				d.Disposition = model.Report
			case 2:
				d.Source, d.Value = model.MetaSource, members[0]
			case 3:
				if rng.IntN(2) == 0 { // a report-only <meta>, which HTML ignores
					d.Source, d.Disposition, d.Value = model.MetaSource, model.Report, members[0]
				}
			}
		}
		want := cspList(deliveries)
		// cspList keeps a <meta> policy with no directive, which decides
		// nothing; the checks leave out one that is only whitespace.
		kept := want[:0]
		for _, p := range want {
			if p.text != "" {
				kept = append(kept, p)
			}
		}
		got := Compile(deliveries, self).checkPolicies()
		if len(got) == 0 && len(kept) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, kept) {
			t.Fatalf("case %d, deliveries %q:\n got %s\nwant %s", n, deliveries, policiesString(got), policiesString(kept))
		}
	}
}

func policiesString(list []parsedPolicy) string {
	var b strings.Builder
	for _, p := range list {
		fmt.Fprintf(&b, "[%d %s %s %q %d dirs] ", p.delivery, p.disposition, p.source, p.text, len(p.directives))
	}
	return b.String()
}

// TestCompileKeepsNoDeliveries changes the deliveries after Compile: the
// checks beyond requests, compiled on first use, must still see the
// policies Compile was given.
func TestCompileKeepsNoDeliveries(t *testing.T) {
	deliveries := []model.PolicyDelivery{{Value: "connect-src 'self'"}, {Value: "sandbox"}, {Value: "script-src 'none'"}}
	cc := checkCSP(t, deliveries...)
	for i := range deliveries {
		deliveries[i] = model.PolicyDelivery{Value: "default-src *; script-src 'unsafe-inline'", Disposition: model.Report}
	}
	var d CheckDecision
	if err := cc.DecideSandbox(model.WorkerGlobal, &d); err != nil || d.Verdict != model.Blocked {
		t.Errorf("a worker under the sandbox Compile was given: %v, %v; want Blocked", d.Verdict, err)
	}
	if err := cc.DecideInline(model.WindowGlobal, &model.Element{LocalName: "script"}, model.InlineScript, "x", &d); err != nil || d.Verdict != model.Blocked || len(d.Violations) != 1 || d.Violations[0].Policy() != 2 {
		t.Errorf("an inline script under script-src 'none' (delivery 2): %v, %v, %d violations; want Blocked by delivery 2", d.Verdict, err, len(d.Violations))
	}
}
