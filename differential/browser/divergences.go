//go:build linux

package browser

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/cspmodel/cspmodel/corpus"
)

// knownFile is testdata/divergences.json: the rules that explain why
// engines and the model differ (kept by hand), and every case on which an
// engine disagreed with the model at the last full run (written by
// -update), with each engine's verdict and the rules that explain it.
type knownFile struct {
	About string `json:"about"`
	// Recorded names the engine versions the cases were observed with.
	Recorded map[string]string `json:"recorded"`
	Rules    []rule            `json:"rules"`
	Cases    []knownCase       `json:"cases"`
}

// Rule kinds.
const (
	KindBrowser   = "browser deviation"
	KindAmbiguity = "spec ambiguity"
	KindModelBug  = "model bug"
)

// rule is one explanation of a divergence.
type rule struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Kind  string `json:"kind"` // one of the rule kinds
	// Spec links the spec step involved; Issue, optionally, a discussion.
	Spec        string `json:"spec"`
	Issue       string `json:"issue,omitempty"`
	Explanation string `json:"explanation"`
}

// knownCase is one case with a divergence.
type knownCase struct {
	Case    corpus.Case             `json:"case"`
	Model   string                  `json:"model"`
	Engines map[string]knownVerdict `json:"engines"`
}

// knownVerdict is one engine's verdict on a known case; Rules explain it
// when it differs from the model's, and is empty when nothing does.
type knownVerdict struct {
	Verdict string   `json:"verdict"`
	Rules   []string `json:"rules,omitempty"`
}

// unexplained stands in Rules for a divergence no rule explains.
const unexplained = "unexplained"

func loadKnown(path string) (*knownFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var k knownFile
	if err := dec.Decode(&k); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := k.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &k, nil
}

// validate checks that every rule has its text and its rewrite, and that
// every case's rules exist.
func (k *knownFile) validate() error {
	have := map[string]bool{}
	for _, r := range k.Rules {
		if r.ID == "" || r.Title == "" || r.Spec == "" || r.Explanation == "" {
			return fmt.Errorf("rule %q needs an id, a title, a spec link and an explanation", r.ID)
		}
		switch r.Kind {
		case KindBrowser, KindAmbiguity, KindModelBug:
		default:
			return fmt.Errorf("rule %s: kind %q is not %q, %q or %q", r.ID, r.Kind, KindBrowser, KindAmbiguity, KindModelBug)
		}
		have[r.ID] = true
	}
	for _, rw := range rewrites {
		if !have[rw.id] {
			return fmt.Errorf("rule %s has a rewrite but no explanation", rw.id)
		}
	}
	seen := map[string]bool{}
	for _, c := range k.Cases {
		if seen[c.Case.ID] {
			return fmt.Errorf("case %s is listed twice", c.Case.ID)
		}
		seen[c.Case.ID] = true
		for e, v := range c.Engines {
			for _, id := range v.Rules {
				if id != unexplained && !have[id] {
					return fmt.Errorf("case %s, %s: no rule %q", c.Case.ID, e, id)
				}
			}
		}
	}
	return nil
}

func (k *knownFile) rule(id string) (rule, bool) {
	for _, r := range k.Rules {
		if r.ID == id {
			return r, true
		}
	}
	return rule{}, false
}

// byID returns the known cases by id, keeping only those whose content is
// still the case of that id (a changed generator makes them different
// cases).
func (k *knownFile) byID(rows []*row) map[string]*knownCase {
	current := map[string]corpus.Case{}
	for _, r := range rows {
		current[r.Case.Case.ID] = r.Case.Case
	}
	out := map[string]*knownCase{}
	for i := range k.Cases {
		kc := &k.Cases[i]
		if c, ok := current[kc.Case.ID]; ok && sameCase(c, kc.Case) {
			out[kc.Case.ID] = kc
		}
	}
	return out
}

// sameCase compares what decides two cases.
func sameCase(a, b corpus.Case) bool {
	key := func(c corpus.Case) string {
		j, _ := json.Marshal(struct {
			P []corpus.PolicyInput
			O string
			R corpus.RequestInput
		}{c.Policies, c.SelfOrigin, c.Request})
		return string(j)
	}
	return key(a) == key(b)
}

// checkKnown holds a run against the known divergences. It fails on a
// case where the model disagrees with every engine that gave a verdict,
// unless the case is listed and each of those engines' divergence has an
// explanation; and on a listed divergence that has disappeared (the engine
// now agrees with the model). Other differences from the record are
// changes, reported but not failures.
func checkKnown(rows []*row, engines []string, k *knownFile) (failures, changes []string) {
	listed := k.byID(rows)
	for _, r := range rows {
		kc := listed[r.Case.Case.ID]
		if r.disagreeAll(engines) {
			var missing []string
			for _, e := range engines {
				if !r.disagrees(e) {
					continue
				}
				if kc == nil || !explained(kc.Engines[e]) || kc.Engines[e].Verdict != r.Obs[e].Verdict {
					missing = append(missing, e)
				}
			}
			if len(missing) > 0 {
				failures = append(failures, fmt.Sprintf("the model says %s but %s say %s, and this is not a known, explained divergence:\n%s",
					r.Model.Verdict, strings.Join(missing, ", "), r.Obs[missing[0]].Verdict, describeRow(r, engines)))
			}
		}
		if kc == nil {
			for _, e := range engines {
				if r.disagrees(e) && !r.disagreeAll(engines) {
					changes = append(changes, fmt.Sprintf("%s: new divergence in %s (%s, model %s)", r.Case.Case.ID, e, r.Obs[e].Verdict, r.Model.Verdict))
				}
			}
			continue
		}
		var gone []string
		for _, e := range engines {
			was, recorded := kc.Engines[e]
			o, ran := r.Obs[e]
			if !ran || !o.isVerdict() {
				continue
			}
			switch {
			case recorded && was.Verdict != kc.Model && r.agrees(e):
				gone = append(gone, fmt.Sprintf("%s (recorded %s)", e, was.Verdict))
			case recorded && was.Verdict != o.Verdict:
				changes = append(changes, fmt.Sprintf("%s: %s gives %s, recorded %s", r.Case.Case.ID, e, o.Verdict, was.Verdict))
			case !recorded && r.disagrees(e):
				changes = append(changes, fmt.Sprintf("%s: new divergence in %s (%s, model %s)", r.Case.Case.ID, e, o.Verdict, r.Model.Verdict))
			}
		}
		if len(gone) > 0 {
			failures = append(failures, fmt.Sprintf("a listed divergence disappeared: %s now give the model's verdict, %s:\n%s",
				strings.Join(gone, ", "), r.Model.Verdict, describeRow(r, engines)))
		}
	}
	return failures, changes
}

// explained reports whether a known verdict carries an explanation.
func explained(v knownVerdict) bool {
	if len(v.Rules) == 0 {
		return false
	}
	for _, id := range v.Rules {
		if id == unexplained {
			return false
		}
	}
	return true
}

// recordKnown rebuilds the case list from a full run: every case on which
// some engine gave a verdict other than the model's, with every engine's
// verdict and, for each divergence, the rules that explain it.
func recordKnown(rows []*row, runs map[string]*engineRun, engines []string, k *knownFile) {
	k.Recorded = map[string]string{}
	for _, e := range engines {
		if run := runs[e]; run != nil {
			k.Recorded[e] = run.Version
		}
	}
	k.Cases = nil
	for _, r := range rows {
		diverges := false
		for _, e := range engines {
			diverges = diverges || r.disagrees(e)
		}
		if !diverges {
			continue
		}
		kc := knownCase{Case: r.Case.Case, Model: r.Model.Verdict, Engines: map[string]knownVerdict{}}
		kc.Case.Expect = nil
		for _, e := range engines {
			o, ok := r.Obs[e]
			if !ok {
				continue
			}
			v := knownVerdict{Verdict: o.Verdict}
			if r.disagrees(e) {
				v.Rules = r.rules(e)
			}
			kc.Engines[e] = v
		}
		k.Cases = append(k.Cases, kc)
	}
	sort.Slice(k.Cases, func(i, j int) bool { return k.Cases[i].Case.ID < k.Cases[j].Case.ID })
}

// rules explains an engine's divergence on a row.
func (r *row) rules(engine string) []string {
	if ids, ok := r.explanations[engine]; ok {
		return ids
	}
	ids := explain(r.Case.Case, r.Obs[engine].Verdict)
	if ids == nil {
		ids = []string{unexplained}
	}
	if r.explanations == nil {
		r.explanations = map[string][]string{}
	}
	r.explanations[engine] = ids
	return ids
}

// saveKnown writes the record indented, but each case on one line, so that
// a later -update shows as one changed line per changed case.
func saveKnown(path string, k *knownFile) error {
	var b bytes.Buffer
	field := func(name string, v any, last bool) error {
		j, err := marshal(v, "  ")
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "  %q: %s", name, j)
		if !last {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
		return nil
	}
	b.WriteString("{\n")
	if err := field("about", k.About, false); err != nil {
		return err
	}
	if err := field("recorded", k.Recorded, false); err != nil {
		return err
	}
	if err := field("rules", k.Rules, false); err != nil {
		return err
	}
	b.WriteString(`  "cases": [`)
	for i, c := range k.Cases {
		j, err := marshal(c, "")
		if err != nil {
			return err
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n    ")
		b.Write(j)
	}
	if len(k.Cases) > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("]\n}\n")
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// marshal encodes v without HTML escaping; with indent, indented under a
// two-space field.
func marshal(v any, indent string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if indent != "" {
		enc.SetIndent(indent, "  ")
	}
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// describeRow shows a case, the model's verdict with a command that
// reproduces it, and every engine's observation.
func describeRow(r *row, engines []string) string {
	var b strings.Builder
	c := r.Case.Case
	fmt.Fprintf(&b, "  case %s (%s)\n", c.ID, c.Source)
	fmt.Fprintf(&b, "  model: %s   reproduce: %s\n", r.Model.Verdict, c.CheckCommand())
	for _, e := range engines {
		o, ok := r.Obs[e]
		if !ok {
			continue
		}
		fmt.Fprintf(&b, "  %-8s %s", e+":", o.Verdict)
		if o.Reason != "" {
			fmt.Fprintf(&b, " (%s)", o.Reason)
		}
		if len(o.Violations) > 0 {
			v := o.Violations[0]
			fmt.Fprintf(&b, " [%s %s %s]", v.Disposition, v.EffectiveDirective, untagURL(v.BlockedURI))
		}
		b.WriteByte('\n')
	}
	return b.String()
}
