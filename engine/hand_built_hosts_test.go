package engine_test

import (
	"strings"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/prop"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/differential"
	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// A URL record built by hand may hold a domain no URL parser gives, with
// upper-case letters. The model compares hosts ASCII case-insensitively;
// the engine, which reads hosts as the parser leaves them, may then block
// where the model allows (Request.URLs says so), but must never allow
// where the model blocks: these tests hold that one direction on the
// corpus and on generated cases, for the first decision (the scan), the
// second (the compiled lists) and an eagerly compiled CSP.

// upperHosts upper-cases every domain in urls, in place, and reports
// whether any changed.
func upperHosts(urls []model.URL) bool {
	changed := false
	for i := range urls {
		h := &urls[i].Host
		if h.Kind == model.DomainHost {
			if up := strings.ToUpper(h.Serialized); up != h.Serialized {
				h.Serialized, changed = up, true
			}
		}
	}
	return changed
}

// upperHostsNeverAllowMore decides c's request with its domains
// upper-cased, by the model and by the engine three ways, and returns a
// message when the engine allows what the model blocks. changed says
// whether the case had a domain to upper-case.
func upperHostsNeverAllowMore(c corpus.Case) (msg string, changed bool) {
	in, err := c.Build()
	if err != nil {
		return "", false
	}
	_, req, err := corpus.CompileCase(c)
	if err != nil {
		return "", false
	}
	if !upperHosts(in.Request.URLList) || !upperHosts(req.URLs) {
		return "", false
	}
	md, err := model.Decide(model.NewCSPList(in.Deliveries, in.SelfOrigin, nil), in.Request, nil)
	if err != nil || md.Verdict == model.Allowed {
		return "", true
	}
	self, _ := engine.ParseOrigin(c.SelfOrigin)
	fresh := engine.Compile(in.Deliveries, self)
	for _, o := range []struct {
		name string
		csp  *engine.CSP
	}{{"first", fresh}, {"second", fresh}, {"eager", engine.CompileEager(in.Deliveries, self)}} {
		if got := decideOn(o.csp, &req); got.Verdict == model.Allowed && got.Err == "" {
			return "case " + c.ID + ": with upper-case hosts the model blocks and the engine's " + o.name + " decision allows", true
		}
	}
	return "", true
}

func TestHandBuiltUpperCaseHostsNeverAllowMore(t *testing.T) {
	if changed := corpusCount(t, upperHostsNeverAllowMore); changed < 100 {
		t.Fatalf("only %d corpus cases had a domain to upper-case", changed)
	}
}

func TestHandBuiltUpperCaseHostsNeverAllowMoreProperty(t *testing.T) {
	n := 5000
	if testing.Short() {
		n = 500
	}
	props := gopter.NewProperties(propParameters(t, n))
	props.Property("upper-case hosts never make the engine allow what the model blocks", prop.ForAll(func(r differential.Recipe) *gopter.PropResult {
		if msg, _ := upperHostsNeverAllowMore(r.Build("generated")); msg != "" {
			return gopter.NewPropResult(false, msg)
		}
		return gopter.NewPropResult(true, "")
	}, differential.GenRecipe().WithShrinker(nil)))
	props.TestingRun(t)
}
