package corpus

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrResult is wrapped by every error about a malformed result line.
var ErrResult = errors.New("invalid result")

// DecodeResult reads one result line as an implementation under test wrote
// it, strictly: unknown fields, a verdict other than "allowed" or
// "blocked", a result that is at once a verdict, an error and unsupported,
// and violations with unknown dispositions or checks are errors, so that a
// typo ("Allowed") never passes for an answer.
func DecodeResult(line []byte) (Result, error) {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	var r Result
	if err := dec.Decode(&r); err != nil {
		return Result{}, fmt.Errorf("%w: %v", ErrResult, err)
	}
	if dec.More() {
		return Result{}, fmt.Errorf("%w: more than one JSON value on the line", ErrResult)
	}
	if r.ID == "" {
		return r, fmt.Errorf("%w: no id", ErrResult)
	}
	kinds := 0
	for _, set := range []bool{r.Verdict != "", r.Error != "", r.Unsupported != ""} {
		if set {
			kinds++
		}
	}
	if kinds != 1 {
		return r, fmt.Errorf("%w: case %q: a result has exactly one of verdict, error and unsupported", ErrResult, r.ID)
	}
	if r.Verdict != "" && r.Verdict != VerdictAllowed && r.Verdict != VerdictBlocked {
		return r, fmt.Errorf("%w: case %q: verdict %q is not %q or %q", ErrResult, r.ID, r.Verdict, VerdictAllowed, VerdictBlocked)
	}
	for i, v := range r.Violations {
		if v.Disposition != "enforce" && v.Disposition != "report" {
			return r, fmt.Errorf("%w: case %q: violations[%d].disposition %q is not \"enforce\" or \"report\"", ErrResult, r.ID, i, v.Disposition)
		}
		if !slices.Contains(ViolationChecks, v.Check) {
			return r, fmt.Errorf("%w: case %q: violations[%d].check %q is not one of %s", ErrResult, r.ID, i, v.Check, strings.Join(ViolationChecks, ", "))
		}
	}
	return r, nil
}

// Fields are the parts of a result that are compared by default: "verdict",
// "sandbox_flags" (the result fields), and the violation fields by their
// JSON names. The number of violations is compared whenever any violation
// field is.
var Fields = []string{"verdict", "sandbox_flags", "policy", "original_policy", "directive", "effective_directive", "disposition", "blocked_uri", "check", "redirect_count", "sample", "element", "response_policy"}

// OptionalFields are compared only when asked for: the report-uri body of
// each violation, which the model writes only on request.
var OptionalFields = []string{"report_body"}

// resultFields are the fields of Fields that belong to the result itself;
// the others are violation fields.
var resultFields = []string{"verdict", "sandbox_flags"}

// ParseFields reads a comma-separated list of field names (as Fields and
// OptionalFields spell them, or "violations" for all the violation fields
// of Fields).
func ParseFields(list string) ([]string, error) {
	var out []string
	add := func(f string) {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		switch {
		case f == "violations":
			for _, g := range Fields {
				if !slices.Contains(resultFields, g) {
					add(g)
				}
			}
		case slices.Contains(Fields, f) || slices.Contains(OptionalFields, f):
			add(f)
		default:
			return nil, fmt.Errorf("unknown field %q (fields: %s, or violations for all the violation fields; also %s)", f, strings.Join(Fields, ", "), strings.Join(OptionalFields, ", "))
		}
	}
	return out, nil
}

// A Difference is one way two results differ: the field ("error" when one
// decided and the other refused, "verdict", "violations" for their number,
// or a violation field), the violation's index for a violation field (else
// -1), and each side's value.
type Difference struct {
	Field     string `json:"field"`
	Violation int    `json:"violation"`
	Want      string `json:"model"`
	Got       string `json:"implementation"`
}

func (d Difference) String() string {
	name := d.Field
	if d.Violation >= 0 {
		name = fmt.Sprintf("violations[%d].%s", d.Violation, d.Field)
	}
	return fmt.Sprintf("%s: model %s, implementation %s", name, quoteOrEmpty(d.Want), quoteOrEmpty(d.Got))
}

func quoteOrEmpty(s string) string {
	if s == "" {
		return `""`
	}
	return s
}

// Compare lists how got differs from want on the given fields (all of
// Fields when fields is nil). Two refusals agree, whatever their messages;
// a refusal and a decision differ in "error". Unsupported results are not
// compared: the caller counts them apart.
func Compare(want, got Result, fields []string) []Difference {
	if fields == nil {
		fields = Fields
	}
	if (want.Error != "") != (got.Error != "") {
		return []Difference{{Field: "error", Violation: -1, Want: want.Error, Got: got.Error}}
	}
	if want.Error != "" {
		return nil
	}
	var out []Difference
	if slices.Contains(fields, "verdict") && want.Verdict != got.Verdict {
		out = append(out, Difference{Field: "verdict", Violation: -1, Want: want.Verdict, Got: got.Verdict})
	}
	if w, g := flagList(want.SandboxFlags), flagList(got.SandboxFlags); slices.Contains(fields, "sandbox_flags") && w != g {
		out = append(out, Difference{Field: "sandbox_flags", Violation: -1, Want: w, Got: g})
	}
	vfields := slices.DeleteFunc(slices.Clone(fields), func(f string) bool { return slices.Contains(resultFields, f) })
	if len(vfields) == 0 {
		return out
	}
	if len(want.Violations) != len(got.Violations) {
		return append(out, Difference{Field: "violations", Violation: -1, Want: fmt.Sprint(len(want.Violations)), Got: fmt.Sprint(len(got.Violations))})
	}
	for i := range want.Violations {
		w, g := want.Violations[i].fields(), got.Violations[i].fields()
		for _, f := range vfields {
			if w[f] != g[f] {
				out = append(out, Difference{Field: f, Violation: i, Want: w[f], Got: g[f]})
			}
		}
	}
	return out
}

// fields returns the violation's fields by their JSON names.
func (v Violation) fields() map[string]string {
	return map[string]string{
		"policy": fmt.Sprint(v.Policy), "original_policy": v.OriginalPolicy, "directive": v.Directive,
		"effective_directive": v.EffectiveDirective, "disposition": v.Disposition, "blocked_uri": v.BlockedURI,
		"check": v.Check, "redirect_count": fmt.Sprint(v.RedirectCount),
		"sample": v.Sample, "element": v.Element, "response_policy": fmt.Sprint(v.ResponsePolicy),
		"report_body": string(v.ReportBody),
	}
}

// flagList writes a list of sandboxing flags for a Difference: "" when the
// result has none (not a sandbox result), "[]" when it is empty.
func flagList(flags []string) string {
	if flags == nil {
		return ""
	}
	return "[" + strings.Join(flags, ", ") + "]"
}

// Kind names the kind of a list of differences: the field names, without
// violation indices, sorted and joined with "+" ("verdict",
// "blocked_uri", "directive+effective_directive", "error"), or "" when
// there is none. Shrinking a disagreement keeps its kind.
func Kind(diffs []Difference) string {
	var names []string
	for _, d := range diffs {
		if !slices.Contains(names, d.Field) {
			names = append(names, d.Field)
		}
	}
	slices.Sort(names)
	return strings.Join(names, "+")
}
