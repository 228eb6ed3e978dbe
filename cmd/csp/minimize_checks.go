package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cspmodel/cspmodel/corpus"
)

// checkSimplifications lists the cases one step simpler than c in the
// input of a check other than a request (simplifications does the
// policies and a request's URLs): the global object dropped; an
// attribute, the element's flags or its text dropped; an eval's
// TrustedScript values, body or parameters dropped; a navigation's earlier
// URL, an ancestor, or a response policy (or one of its directives or
// sources) dropped. Their ids go on from first.
func checkSimplifications(c corpus.Case, first int) []corpus.Case {
	var out []corpus.Case
	add := func(mod func(*corpus.Case)) {
		d, ok := deepCopy(c)
		if !ok {
			return
		}
		d.Expect = nil
		mod(&d)
		d.ID = fmt.Sprintf("%s~%d", c.ID, first+len(out))
		out = append(out, d)
	}
	if c.Global != nil {
		add(func(d *corpus.Case) { d.Global = nil })
	}
	if in := c.Inline; in != nil {
		if e := in.Element; e != nil {
			for i := range e.Attributes {
				add(func(d *corpus.Case) {
					a := d.Inline.Element.Attributes
					d.Inline.Element.Attributes = append(a[:i:i], a[i+1:]...)
				})
			}
			if e.NotParserInserted {
				add(func(d *corpus.Case) { d.Inline.Element.NotParserInserted = false })
			}
			if e.DuplicateAttribute {
				add(func(d *corpus.Case) { d.Inline.Element.DuplicateAttribute = false })
			}
		}
		if in.Source != "" {
			add(func(d *corpus.Case) { d.Inline.Source = "" })
		}
	}
	if e := c.Eval; e != nil {
		if e.BodyArg != nil || e.ParameterArgs != nil {
			add(func(d *corpus.Case) { d.Eval.BodyArg, d.Eval.ParameterArgs = nil, nil })
		}
		if e.Body != nil {
			add(func(d *corpus.Case) { d.Eval.Body = nil })
		}
		if e.Type == "FUNCTION" {
			add(func(d *corpus.Case) { d.Eval.Type, d.Eval.Parameters, d.Eval.ParameterArgs = "EVAL", nil, nil })
		}
	}
	if n := c.Navigation; n != nil {
		for i := 0; i+1 < len(n.URLList); i++ {
			add(func(d *corpus.Case) {
				u := d.Navigation.URLList
				d.Navigation.URLList = append(u[:i:i], u[i+1:]...)
			})
		}
		for i := range n.Ancestors {
			add(func(d *corpus.Case) {
				a := d.Navigation.Ancestors
				d.Navigation.Ancestors = append(a[:i:i], a[i+1:]...)
			})
		}
		if r := n.Response; r != nil {
			for i, p := range r.Policies {
				add(func(d *corpus.Case) {
					ps := d.Navigation.Response.Policies
					d.Navigation.Response.Policies = append(ps[:i:i], ps[i+1:]...)
				})
				directives := splitDirectives(p.Value)
				for j, dir := range directives {
					if len(directives) > 1 {
						add(func(d *corpus.Case) {
							d.Navigation.Response.Policies[i].Value = strings.Join(append(directives[:j:j], directives[j+1:]...), "; ")
						})
					}
					words := strings.Fields(dir)
					for k := 1; k < len(words); k++ {
						add(func(d *corpus.Case) {
							ds := append([]string(nil), directives...)
							ds[j] = strings.Join(append(words[:k:k], words[k+1:]...), " ")
							d.Navigation.Response.Policies[i].Value = strings.Join(ds, "; ")
						})
					}
				}
				if p.Disposition == "report" {
					add(func(d *corpus.Case) { d.Navigation.Response.Policies[i].Disposition = "enforce" })
				}
			}
		}
	}
	return out
}

// deepCopy copies a case through its JSON form, so that a simplification
// never changes the case it comes from.
func deepCopy(c corpus.Case) (corpus.Case, bool) {
	b, err := json.Marshal(c)
	if err != nil {
		return c, false
	}
	d, err := corpus.DecodeCase(b)
	return d, err == nil
}
