package corpus

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// digestSource returns the hash-source of text under algorithm, as a
// policy writes it: 'sha256-<base64 of the digest of its UTF-8 bytes>'.
func digestSource(algorithm, text string) (string, error) {
	var sum []byte
	switch algorithm {
	case "sha256":
		s := sha256.Sum256([]byte(text))
		sum = s[:]
	case "sha384":
		s := sha512.Sum384([]byte(text))
		sum = s[:]
	case "sha512":
		s := sha512.Sum512([]byte(text))
		sum = s[:]
	default:
		return "", fmt.Errorf("unknown hash algorithm %q", algorithm)
	}
	return "'" + algorithm + "-" + base64.StdEncoding.EncodeToString(sum) + "'", nil
}

// hashSources lists the hash-sources of a case's policies, the response's
// included.
func hashSources(c Case) []string {
	values := []string{}
	for _, p := range c.Policies {
		values = append(values, p.Value)
	}
	if c.Navigation != nil && c.Navigation.Response != nil {
		for _, p := range c.Navigation.Response.Policies {
			values = append(values, p.Value)
		}
	}
	var out []string
	for _, v := range values {
		for _, token := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == ',' || r == ' ' || r == '\t' }) {
			if model.ParseSourceExpression(token).Kind == model.HashSource {
				out = append(out, token)
			}
		}
	}
	return out
}

// checkHashClaims computes the digests a case states and compares them with
// the hash-sources of its policies: every hash-source must be a stated
// digest, and every stated digest must be in a policy. A near miss
// (hash-near-of-text) is held by a hash-source of its algorithm that is not
// the digest's canonical base64 but decodes, padding bits ignored, to bytes
// that start with the digest.
func checkHashClaims(c Case) error {
	stated := map[string]bool{}
	near := map[string]bool{} // digest source → a policy holds a near miss of it
	for _, h := range c.claims {
		text := h.text
		if h.ofText {
			text = c.Inline.Source
		}
		d, err := digestSource(h.algorithm, text)
		if err != nil {
			return err
		}
		if h.near {
			near[d] = false
		} else {
			stated[d] = true
		}
	}
	found := map[string]bool{}
	for _, s := range hashSources(c) {
		found[s] = true
		if stated[s] {
			continue
		}
		if d, ok := nearMissOf(s, near); ok {
			near[d] = true
			continue
		}
		return fmt.Errorf("the policies hold %s, which no hash-of line states (or its text is not the digest's)", s)
	}
	for d := range stated {
		if !found[d] {
			return fmt.Errorf("a hash-of line states %s, which no policy holds", d)
		}
	}
	for d, held := range near {
		if !held {
			return fmt.Errorf("a hash-near-of-text line states a near miss of %s, which no policy holds", d)
		}
	}
	return nil
}

// nearMissOf returns the digest source among digests ('alg-base64') of
// which hash-source s is a near miss: of the same algorithm, not the same
// text, its value decoding leniently (padding bits ignored) to bytes that
// start with the digest's.
func nearMissOf(s string, digests map[string]bool) (string, bool) {
	alg, value, _ := strings.Cut(strings.Trim(s, "'"), "-")
	got, err := base64.StdEncoding.DecodeString(value)
	if err != nil {
		return "", false
	}
	for d := range digests {
		dalg, dvalue, _ := strings.Cut(strings.Trim(d, "'"), "-")
		want, _ := base64.StdEncoding.DecodeString(dvalue)
		if d != s && dalg == alg && bytes.HasPrefix(got, want) {
			return d, true
		}
	}
	return "", false
}

// TestHashClaims: no digest in the corpus is taken on trust. Every
// hash-source of a case of a check other than request is computed here from
// the text its hash-of-text or hash-of line names.
func TestHashClaims(t *testing.T) {
	cases, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, c := range cases {
		if c.CheckName() == CheckRequest {
			continue
		}
		if err := checkHashClaims(c); err != nil {
			t.Errorf("%s: %v", c.ID, err)
		}
		checked += len(c.claims)
	}
	if checked < 5 {
		t.Errorf("only %d hash claims in the corpus", checked)
	}
}

// TestHashClaimsCatchWrongDigests: a digest that is not the text's, a
// hash-source no line states, and a stated digest no policy holds are each
// refused.
func TestHashClaimsCatchWrongDigests(t *testing.T) {
	good, _ := digestSource("sha256", "doSubmit()")
	for name, archive := range map[string]string{
		"wrong text":    "-- c --\nsource: t\npolicy: script-src " + good + "\nhash-of: sha256 doSubmit();\nself-origin: https://a.example\ncheck: wasm\nwant: blocked\nviolations: any\n",
		"unstated":      "-- c --\nsource: t\npolicy: script-src " + good + "\nself-origin: https://a.example\ncheck: wasm\nwant: blocked\nviolations: any\n",
		"not in policy": "-- c --\nsource: t\npolicy: script-src 'self'\nhash-of: sha256 doSubmit()\nself-origin: https://a.example\ncheck: wasm\nwant: blocked\nviolations: any\n",
		"of text":       "-- c --\nsource: t\npolicy: script-src " + good + "\nhash-of-text: sha256\nself-origin: https://a.example\ncheck: inline\ninline-type: script\ntext: doSubmit();\nwant: blocked\nviolations: any\n",
	} {
		cs, err := ParseArchive("t.txtar", []byte(archive))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := checkHashClaims(cs[0]); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestDecodeStrictChecks: a case that names an unknown check, misspells a
// field of a check, carries a field of another check or lacks its own is
// refused, each with an error that says why.
func TestDecodeStrictChecks(t *testing.T) {
	const head = `{"id":"x","policies":[],"self_origin":"https://example.com",`
	tests := []struct{ line, want string }{
		{head + `"check":"inlined","inline":{"type":"script","source":""}}`, `check "inlined" is not one of`},
		{head + `"check":"inline","inline":{"type":"script","text":""}}`, `unknown field "text"`},
		{head + `"check":"inline","inline":{"type":"script","element":{"localname":"script"},"source":""}}`, `unknown field "localname"`},
		{head + `"check":"inline","inline":{"type":"script","element":{"attributes":[["nonce"]]},"source":""}}`, `an attribute is [name, value]`},
		{head + `"check":"inline","inline":{"type":"script","element":{"attributes":[["a","b","c"]]},"source":""}}`, `an attribute is [name, value]`},
		{head + `"check":"inline","inline":{"type":"scripts","source":""}}`, `inline.type "scripts"`},
		{head + `"check":"inline","inline":{"type":"script attribute","source":""}}`, `needs inline.element.local_name`},
		{head + `"check":"inline"}`, `check inline needs inline`},
		{head + `"request":{"kind":"fetch","url_list":["https://a.example/"]},"inline":{"type":"script","source":""}}`, `inline belongs to another check than request`},
		{head + `"check":"inline","request":{"kind":"fetch","url_list":["https://a.example/"]},"inline":{"type":"script","source":""}}`, `request belongs to another check than inline`},
		{head + `"check":"eval","eval":{"type":"eval","code":"1"}}`, `eval.type "eval"`},
		{head + `"check":"eval","eval":{"type":"TIMER","code":"1","body":"1"}}`, `a TIMER has only eval.code`},
		{head + `"check":"eval","eval":{"type":"EVAL","code":"1","parameters":["a"]}}`, `are for FUNCTION`},
		{head + `"check":"eval","eval":{"type":"FUNCTION","code":"1","parameters":["a"],"parameter_args":[]}}`, `0 eval.parameter_args for 1`},
		{head + `"check":"eval","eval":{"type":"EVAL","code":"1","body_arg":{"trusted":true}}}`, `unknown field "trusted"`},
		{head + `"check":"wasm","base_url":"https://a.example/"}`, `base_url belongs to another check than wasm`},
		{head + `"check":"rtc","eval":{"type":"EVAL","code":"1"}}`, `eval belongs to another check than rtc`},
		{head + `"check":"navigation-request","navigation":{"type":"form","url_list":["https://a.example/"]}}`, `navigation.type "form"`},
		{head + `"check":"navigation-request","navigation":{"type":"other","url_list":[]}}`, `navigation.url_list is empty`},
		{head + `"check":"navigation-request","navigation":{"type":"other","url_list":["https://a.example/"],"ancestors":["https://b.example"]}}`, `are for navigation-response`},
		{head + `"check":"navigation-response","navigation":{"type":"other","url_list":["https://a.example/"],"response":{"policies":[{"value":"frame-ancestors 'none'","source":"meta"}]}}}`, `a response delivers headers only`},
		{head + `"check":"navigation-response","navigation":{"type":"other","url_list":["https://a.example/"],"response":{"csp":["frame-ancestors 'none'"]}}}`, `unknown field "csp"`},
		{head + `"check":"navigation-response","navigation":{"type":"other","url_list":["https://a.example/"],"ancestors":["not an origin"]}}`, `navigation.ancestors[0]`},
		{head + `"check":"base"}`, `check base needs base_url`},
		{head + `"check":"base","base_url":"not a url"}`, `base_url`},
		{head + `"check":"sandbox","global":{"kind":"Worker"}}`, `global.kind "Worker"`},
		{head + `"check":"sandbox","global":{"kind":"worker","status":1000}}`, `global.status 1000`},
		{head + `"check":"sandbox","global":{"url":"::"}}`, `global.url`},
		{head + `"check":"inline","global":{"kind":"worker"},"inline":{"type":"script","source":""}}`, `needs a document`},
	}
	for _, tt := range tests {
		c, err := DecodeCase([]byte(tt.line))
		if err == nil {
			res := RunModel(c, nil)
			if res.Error == "" {
				t.Errorf("%s: decided %s, want an error containing %q", tt.line, res.Verdict, tt.want)
				continue
			}
			err = errors.New(res.Error)
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s:\n error %q\n want  %q", tt.line, err, tt.want)
		}
	}
}

// TestRoundTrip: every corpus case, written as a vector line and read back,
// is the same case and gets the same result; the line, written again, is
// the same bytes.
func TestRoundTrip(t *testing.T) {
	cases, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		line, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		back, err := DecodeCase(line)
		if err != nil {
			t.Errorf("%s: its own line does not decode: %v\n%s", c.ID, err, line)
			continue
		}
		again, _ := json.Marshal(back)
		if !bytes.Equal(line, again) {
			t.Errorf("%s: written again differs:\n%s\n%s", c.ID, line, again)
		}
		want, got := RunModel(c, nil), RunModel(back, nil)
		if !reflect.DeepEqual(want, got) {
			t.Errorf("%s: the result changed through JSON:\n%+v\n%+v", c.ID, want, got)
		}
		if diff := back.Check(got); diff != "" {
			t.Errorf("%s: through JSON:\n%s", c.ID, diff)
		}
		res, _ := json.Marshal(got)
		r, err := DecodeResult(res)
		if err != nil || !reflect.DeepEqual(r, got) {
			t.Errorf("%s: the result does not read back (%v):\n%s", c.ID, err, res)
		}
	}
}

// TestCorpusCoversEveryCheck: each check has a blocked and an allowed case
// in the corpus.
func TestCorpusCoversEveryCheck(t *testing.T) {
	cases, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range cases {
		seen[c.CheckName()+" "+c.Expect.Verdict] = true
	}
	for _, ck := range Checks {
		for _, v := range []string{VerdictAllowed, VerdictBlocked} {
			if !seen[ck+" "+v] {
				t.Errorf("no %s case of check %s", v, ck)
			}
		}
	}
}

// TestReportBodies: the report body of a violation carries the global
// object's URL (the self-origin's by default, none when global.url is
// ""), referrer and status, and the sample.
func TestReportBodies(t *testing.T) {
	base := `{"id":"x","check":"eval","policies":[{"value":"script-src 'report-sample'"}],"self_origin":"https://example.com/page","eval":{"type":"EVAL","code":"f()"}`
	tests := []struct{ global, want string }{
		{``, `{"csp-report":{"document-uri":"https://example.com/","referrer":"","blocked-uri":"eval","effective-directive":"script-src","violated-directive":"script-src","original-policy":"script-src 'report-sample'","disposition":"enforce","status-code":0,"script-sample":"f()"}}`},
		{`,"global":{"url":"https://example.com/a?b#c","referrer":"https://u:p@ref.example/x#y","status":404}`, `{"csp-report":{"document-uri":"https://example.com/a?b","referrer":"https://ref.example/x","blocked-uri":"eval","effective-directive":"script-src","violated-directive":"script-src","original-policy":"script-src 'report-sample'","disposition":"enforce","status-code":404,"script-sample":"f()"}}`},
		{`,"global":{"url":"","kind":"worker"}`, `{"csp-report":{"document-uri":"","referrer":"","blocked-uri":"eval","effective-directive":"script-src","violated-directive":"script-src","original-policy":"script-src 'report-sample'","disposition":"enforce","status-code":0,"script-sample":"f()"}}`},
	}
	for _, tt := range tests {
		c, err := DecodeCase([]byte(base + tt.global + "}"))
		if err != nil {
			t.Fatal(err)
		}
		res := RunModelWithReportBodies(c, nil)
		if len(res.Violations) != 1 {
			t.Fatalf("%s: %+v", tt.global, res)
		}
		if got := string(res.Violations[0].ReportBody); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.global, got, tt.want)
		}
		if plain := RunModel(c, nil); plain.Violations[0].ReportBody != "" {
			t.Errorf("RunModel wrote a report body")
		}
	}
}

// TestResponsePolicyNumbers: a violation of a navigation response's own
// policy says so and counts the response's deliveries; a violation of the
// navigating document's own policy does not.
func TestResponsePolicyNumbers(t *testing.T) {
	line := `{"id":"x","check":"navigation-response","policies":[{"value":"form-action 'none'"}],"self_origin":"https://example.com",` +
		`"navigation":{"type":"form-submission","url_list":["https://example.com/f"],"response":{"policies":[` +
		`{"value":"img-src *"},{"value":"script-src 'none', frame-ancestors 'none'"},{"value":"frame-ancestors https://b.example","disposition":"report"}]},"ancestors":["https://a.example"]}}`
	c, err := DecodeCase([]byte(line))
	if err != nil {
		t.Fatal(err)
	}
	res := RunModel(c, nil)
	if res.Verdict != VerdictBlocked || len(res.Violations) != 2 {
		t.Fatalf("%+v", res)
	}
	for i, want := range []struct {
		policy      int
		disposition string
	}{{1, "enforce"}, {2, "report"}} {
		v := res.Violations[i]
		if !v.ResponsePolicy || v.Policy != want.policy || v.Disposition != want.disposition || v.Directive != "frame-ancestors" {
			t.Errorf("violation %d: %+v, want response policy %d (%s)", i, v, want.policy, want.disposition)
		}
	}
}

// TestEngineChecks: the engine decides every check as the model does, and
// an invalid case of any check is an error.
func TestEngineChecks(t *testing.T) {
	for _, ck := range Checks[1:] {
		c := Case{ID: ck, CheckType: ck, SelfOrigin: "https://example.com", Policies: []PolicyInput{{Value: "default-src 'none'; base-uri 'none'; form-action 'none'; webrtc 'block'; sandbox"}}}
		switch ck {
		case CheckInline:
			c.Inline = &InlineInput{Type: "script"}
		case CheckEval:
			c.Eval = &EvalInput{Type: "EVAL"}
		case CheckNavigationRequest:
			c.Navigation = &NavigationInput{Type: "form-submission", URLList: []string{"https://a.example/"}}
		case CheckNavigationResponse:
			c.Navigation = &NavigationInput{Type: "other", URLList: []string{"https://a.example/"}, Ancestors: []string{"https://evil.example"},
				Response: &ResponseInput{Policies: []PolicyInput{{Value: "frame-ancestors 'self'"}, {Value: "frame-ancestors 'none'", Disposition: "report"}}}}
		case CheckBase:
			c.BaseURL = "https://a.example/"
		}
		res, want := RunEngine(c), RunModel(c, nil)
		if want.Verdict == "" {
			t.Errorf("%s: the model did not decide: %+v", ck, want)
		}
		if diffs := Compare(want, res, nil); len(diffs) > 0 || res.Verdict == "" {
			t.Errorf("%s: engine %+v, model %+v: %v", ck, res, want, diffs)
		}
		if ck != CheckSandbox && len(res.Violations) == 0 {
			t.Errorf("%s: no violation of default-src 'none' and the rest: %+v", ck, res)
		}
		c.SelfOrigin = ""
		if res := RunEngine(c); res.Error == "" {
			t.Errorf("%s without a self-origin: %+v", ck, res)
		}
		if _, _, err := CompileCase(c); err == nil {
			t.Errorf("%s: CompileCase accepted it", ck)
		}
	}
}

// TestRequestIsZeroSeesEveryField sets each field of RequestInput in turn,
// by reflection, and asks isZero, which Validate uses to find a request
// field on a case of another check: a field added to RequestInput but not
// to isZero fails here, as it would let such a case through.
func TestRequestIsZeroSeesEveryField(t *testing.T) {
	var zero RequestInput
	if !zero.isZero() {
		t.Fatal("the zero RequestInput is not zero")
	}
	typ := reflect.TypeOf(zero)
	for i := range typ.NumField() {
		var r RequestInput
		f := reflect.ValueOf(&r).Elem().Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString("x")
		case reflect.Pointer:
			f.Set(reflect.New(f.Type().Elem()))
		case reflect.Slice:
			f.Set(reflect.MakeSlice(f.Type(), 0, 0)) // empty but not nil, as `"url_list": []` decodes
		default:
			t.Fatalf("RequestInput.%s: a field of kind %s; teach this test and isZero about it", typ.Field(i).Name, f.Kind())
		}
		if r.isZero() {
			t.Errorf("RequestInput with only %s set counts as zero", typ.Field(i).Name)
		}
		c := Case{ID: "x", CheckType: CheckWasm, SelfOrigin: "https://example.com", Request: r}
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "request belongs to another check than wasm") {
			t.Errorf("a wasm case with request.%s set: Validate says %v", typ.Field(i).Name, err)
		}
	}
}

// TestRunModelInKind: the model decides a case in the kind asked for, as
// the vector format's name for it would, and refuses a number that is no
// kind with the model's words.
func TestRunModelInKind(t *testing.T) {
	sandbox := Case{ID: "k", CheckType: CheckSandbox, SelfOrigin: "https://example.com",
		Policies: []PolicyInput{{Value: "sandbox allow-scripts", Disposition: "enforce", Source: "header"}}}
	for name, kind := range map[string]model.GlobalKind{"window": model.WindowGlobal, "worker": model.WorkerGlobal, "worklet": model.WorkletGlobal} {
		named := sandbox
		named.Global = &GlobalInput{Kind: name}
		want := RunModel(named, nil)
		if want.Error != "" {
			t.Fatalf("%s: %s", name, want.Error)
		}
		if got := RunModelInKind(sandbox, kind, nil); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: RunModelInKind gives %+v, the named kind %+v", name, got, want)
		}
	}
	// A worker runs under its sandbox's scripts flag; a window only gets
	// the flags: the kinds must differ, or the test above proves nothing.
	if w, k := RunModelInKind(sandbox, model.WindowGlobal, nil), RunModelInKind(sandbox, model.WorkerGlobal, nil); reflect.DeepEqual(w, k) {
		t.Fatalf("window and worker decide alike (%+v): the case cannot tell the kinds apart", w)
	}
	if got := RunModelInKind(sandbox, model.WorkletGlobal+1, nil); got.Error != "input cannot occur: GlobalKind(3) is not a kind of global object" {
		t.Errorf("in GlobalKind(3): %+v, want the model's refusal of the kind", got)
	}
}

// TestRunModelWithDeliveries: the change sees the case's deliveries and
// what it returns is what the model decides under.
func TestRunModelWithDeliveries(t *testing.T) {
	c := Case{ID: "d", SelfOrigin: "https://example.com", Request: RequestInput{Kind: "fetch", URLList: []string{"https://example.org/"}},
		Policies: []PolicyInput{{Value: "connect-src 'none'", Disposition: "report", Source: "header"}}}
	var seen []model.PolicyDelivery
	same := RunModelWithDeliveries(c, func(ds []model.PolicyDelivery) []model.PolicyDelivery { seen = ds; return ds }, nil)
	if want := RunModel(c, nil); !reflect.DeepEqual(same, want) {
		t.Errorf("unchanged deliveries give %+v, RunModel %+v", same, want)
	}
	if len(seen) != 1 || seen[0].Disposition != model.Report || seen[0].Value != "connect-src 'none'" {
		t.Errorf("the change saw %+v, want the case's one report-only delivery", seen)
	}
	enforced := RunModelWithDeliveries(c, func(ds []model.PolicyDelivery) []model.PolicyDelivery {
		return []model.PolicyDelivery{{Value: ds[0].Value}}
	}, nil)
	if enforced.Verdict != VerdictBlocked || enforced.Error != "" {
		t.Errorf("the policy enforced gives %+v, want Blocked", enforced)
	}
	unnamed := RunModelWithDeliveries(c, func(ds []model.PolicyDelivery) []model.PolicyDelivery {
		return append(ds, model.PolicyDelivery{Disposition: "Enforce"})
	}, nil)
	if want := `input cannot occur: delivery 1: disposition "Enforce" is not "enforce" or "report"`; unnamed.Error != want {
		t.Errorf("an unnamed disposition gives %+v, want the error %q", unnamed, want)
	}
}
