//go:build linux

package browser

import (
	"reflect"
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/differential"
	"github.com/cspmodel/cspmodel/model"
)

// TestGenerateIsSeeded: the same seed gives the same cases, and a smaller
// set is a prefix of a larger one, so a case id names one case.
func TestGenerateIsSeeded(t *testing.T) {
	a, b := Generate(7, 400), Generate(7, 400)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("Generate(7, 400) differs between two calls")
	}
	if small := Generate(7, 150); !reflect.DeepEqual(small, a[:150]) {
		t.Error("Generate(7, 150) is not a prefix of Generate(7, 400)")
	}
	if other := Generate(8, 400); reflect.DeepEqual(other, a) {
		t.Error("seeds 7 and 8 give the same cases")
	}
	if got := len(Generate(1, 0)); got != 0 {
		t.Errorf("Generate(1, 0) gave %d cases", got)
	}
}

// spreadFeatures are what a generated set must cover, the report's
// questions: every connection kind, http and https pages on hostnames and
// IP addresses, default and custom ports, redirects, several policies,
// report-only and <meta>, the source shapes at the edges, and URLs of each
// scheme.
var spreadFeatures = []string{
	"kind fetch", "kind xhr", "kind eventsource", "kind beacon", "kind ping", "kind websocket", "kind image",
	"page http", "page https", "page default port", "page custom port", "page hostname", "page IP address",
	"redirected", "several deliveries", "report-only", "meta", "comma-joined policies",
	"source *", "source 'self'", "source scheme-source", "source wildcard host", "source wildcard port",
	"source directory path", "source encoded path", "source port 80",
	"url http", "url https", "url ws", "url wss", "url IP address",
}

// TestGenerateSpread checks that the set -update records covers each of
// spreadFeatures at least 40 times, and both verdicts.
func TestGenerateSpread(t *testing.T) {
	cases := Generate(defaultSeed, updateCases)
	if len(cases) != updateCases {
		t.Fatalf("Generate gave %d cases, want %d", len(cases), updateCases)
	}
	count := spread(t, cases)
	for _, want := range spreadFeatures {
		if count[want] < 40 {
			t.Errorf("%s: %d cases, want at least 40", want, count[want])
		}
	}
	for _, v := range []string{"model allowed", "model blocked"} {
		if count[v] < updateCases/4 {
			t.Errorf("%s: %d of %d cases, want at least a quarter", v, count[v], updateCases)
		}
	}
	t.Logf("%v", count)
}

// TestDefaultSampleSpread checks that the generated cases a plain go test
// runs live, a prefix of the set -update records, are a fair sample of it:
// each of spreadFeatures at least half as often, in proportion, as in the
// recorded set's floor of 40 (5 times in 600 cases), both verdicts,
// and at least one case a page of checks can run of every check but
// WebRTC's.
func TestDefaultSampleSpread(t *testing.T) {
	if defaultCases > updateCases || defaultChecks > updateChecks {
		t.Fatalf("the default sample (%d, %d of each check) is not a prefix of the recorded sets (%d, %d)",
			defaultCases, defaultChecks, updateCases, updateChecks)
	}
	count := spread(t, Generate(defaultSeed, defaultCases))
	floor := max(1, 40*defaultCases/updateCases/2)
	for _, want := range spreadFeatures {
		if count[want] < floor {
			t.Errorf("%s: %d of the %d cases of the default sample, want at least %d", want, count[want], defaultCases, floor)
		}
	}
	for _, v := range []string{"model allowed", "model blocked"} {
		if count[v] < defaultCases/5 {
			t.Errorf("%s: %d of the %d cases of the default sample, want at least a fifth", v, count[v], defaultCases)
		}
	}
	runs := map[string]int{}
	for _, c := range GenerateChecks(defaultSeed, defaultChecks) {
		if _, err := toBrowserCases(c); err == nil {
			runs[c.CheckName()]++
		}
	}
	for _, check := range differential.CheckGenerated {
		if check != corpus.CheckRTC && runs[check] == 0 {
			t.Errorf("the default sample's %d cases of %s hold none a page of checks can run", defaultChecks, check)
		}
	}
	t.Logf("%v; checks run: %v", count, runs)
}

// spread counts the features of a set of generated requests.
func spread(t *testing.T, cases []corpus.Case) map[string]int {
	count := map[string]int{}
	ids := map[string]bool{}
	for _, c := range cases {
		if ids[c.ID] {
			t.Errorf("duplicate id %s", c.ID)
		}
		ids[c.ID] = true
		if !strings.HasPrefix(c.ID, GeneratedPrefix) {
			t.Errorf("id %s does not start with %s", c.ID, GeneratedPrefix)
		}
		bc, err := toBrowserCase(c)
		if err != nil {
			t.Errorf("%s cannot run on a page: %v", c.ID, err)
			continue
		}
		count["kind "+bc.Kind]++
		o, _ := model.ParseOrigin(c.SelfOrigin)
		count["page "+o.Scheme]++
		if o.Port < 0 {
			count["page default port"]++
		} else {
			count["page custom port"]++
		}
		if o.Host.IsDomain() {
			count["page hostname"]++
		} else {
			count["page IP address"]++
		}
		if len(c.Request.URLList) > 1 {
			count["redirected"]++
		}
		if len(c.Policies) > 1 {
			count["several deliveries"]++
		}
		for _, p := range c.Policies {
			if p.Disposition == "report" {
				count["report-only"]++
			}
			if p.Source == "meta" {
				count["meta"]++
			}
			if strings.Contains(p.Value, ",") {
				count["comma-joined policies"]++
			}
			for _, tok := range strings.Fields(p.Value) {
				e := model.ParseSourceExpression(strings.TrimRight(tok, ";,"))
				switch {
				case tok == "*":
					count["source *"]++
				case strings.EqualFold(tok, "'self'"):
					count["source 'self'"]++
				case e.Kind == model.SchemeSource:
					count["source scheme-source"]++
				case e.Kind == model.HostSource && strings.HasPrefix(e.Host, "*."):
					count["source wildcard host"]++
				case e.Kind == model.HostSource && e.Port == "*":
					count["source wildcard port"]++
				case e.Kind == model.HostSource && strings.HasSuffix(e.Path, "/"):
					count["source directory path"]++
				case e.Kind == model.HostSource && strings.Contains(e.Path, "%"):
					count["source encoded path"]++
				}
				if e.Kind == model.HostSource && e.Port == "80" {
					count["source port 80"]++
				}
			}
		}
		u, _ := model.ParseURL(c.Request.URLList[0])
		count["url "+u.Scheme]++
		if !u.Host.IsDomain() {
			count["url IP address"]++
		}
		count["model "+corpus.RunModel(c, nil).Verdict]++
	}
	return count
}
