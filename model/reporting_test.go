package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// reportKeys decodes a report-uri body, checks that it is one object with
// one member "csp-report", and returns that member's keys in order and its
// values.
func reportKeys(t *testing.T, body []byte) ([]string, map[string]any) {
	t.Helper()
	var outer map[string]json.RawMessage
	if err := json.Unmarshal(body, &outer); err != nil || len(outer) != 1 || outer["csp-report"] == nil {
		t.Fatalf("body %s: %v; want {\"csp-report\": {…}}", body, err)
	}
	dec := json.NewDecoder(bytes.NewReader(outer["csp-report"]))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("csp-report is not an object: %s", outer["csp-report"])
	}
	var keys []string
	values := map[string]any{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		key := tok.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, key)
		values[key] = v
	}
	return keys, values
}

var reportFields = []string{"document-uri", "referrer", "blocked-uri", "effective-directive", "violated-directive", "original-policy", "disposition", "status-code", "script-sample"}

func TestDeprecatedSerializeViolation(t *testing.T) {
	page := MustParseURL("https://user:pw@example.com/page?q=1#frag")
	referrer := MustParseURL("https://referrer.example/from#x")
	running := ScriptLocation{SourceFile: MustParseURL("https://example.com/app.js#l"), LineNumber: 12, ColumnNumber: 7}
	full := Environment{URL: &page, Referrer: &referrer, StatusCode: 200, RunningScript: &running}
	full.CSPList = env("connect-src 'self'; script-src 'report-sample' 'nonce-n'").CSPList
	withList := func(e Environment, policies ...string) Environment {
		e.CSPList = env(policies...).CSPList
		return e
	}

	req, _ := NewFetchRequest("https://other.example/data#f")
	request, err := DecideRequest(full, req, nil)
	if err != nil || len(request.Violations) != 1 {
		t.Fatalf("DecideRequest: %v, %d violations", err, len(request.Violations))
	}
	inline, _ := DecideInline(full, *script(), InlineScript, "alert(\"1\")\n", nil)
	evalD, _ := DecideEval(withList(full, "report:script-src 'report-sample'"), evalOf("x=1"), nil)
	wasm, _ := DecideWasm(Environment{CSPList: env("script-src 'none'").CSPList}, nil)
	rtc, _ := DecideRTC(withList(Environment{}, "webrtc 'block'"), nil)
	frameResp := Response{URLList: []URL{MustParseURL("https://framed.example/#top")}, HeaderList: []Header{{"Content-Security-Policy", "frame-ancestors 'none'"}}}
	frame, _ := DecideNavigationResponse(full, navRequest(t, "https://framed.example/"), NavigationOther, frameResp, Navigable{AncestorOrigins: []Origin{URLOrigin(page)}}, nil)
	ws, _ := NewWebSocketRequest("wss://other.example/chat")
	wsD, _ := Decide(env("connect-src 'none'").CSPList, ws, nil)
	blob, _ := DecideNavigationRequest(withList(full, "form-action 'self'"), navRequest(t, "blob:https://other.example/uuid"), NavigationFormSubmission, nil)

	tests := []struct {
		name string
		v    Violation
		want map[string]any
		file bool
	}{
		{"a request (1, 2)", request.Violations[0], map[string]any{
			"document-uri": "https://example.com/page?q=1", "referrer": "https://referrer.example/from",
			"blocked-uri": "https://other.example/data", "effective-directive": "connect-src", "violated-directive": "connect-src",
			"original-policy": "connect-src 'self'; script-src 'report-sample' 'nonce-n'", "disposition": "enforce",
			"status-code": 200.0, "script-sample": "",
			"source-file": "https://example.com/app.js", "line-number": 12.0, "column-number": 7.0}, true},
		{"an inline script with its sample (1, 2)", inline.Violations[0], map[string]any{
			"document-uri": "https://example.com/page?q=1", "referrer": "https://referrer.example/from",
			"blocked-uri": "inline", "effective-directive": "script-src-elem", "violated-directive": "script-src-elem",
			"original-policy": "connect-src 'self'; script-src 'report-sample' 'nonce-n'", "disposition": "enforce",
			"status-code": 200.0, "script-sample": "alert(\"1\")\n",
			"source-file": "https://example.com/app.js", "line-number": 12.0, "column-number": 7.0}, true},
		{"eval, report-only, with a sample: A20 (3)", evalD.Violations[0], map[string]any{
			"document-uri": "https://example.com/page?q=1", "referrer": "https://referrer.example/from",
			"blocked-uri": "eval", "effective-directive": "script-src", "violated-directive": "script-src",
			"original-policy": "script-src 'report-sample'", "disposition": "report",
			"status-code": 200.0, "script-sample": "x=1",
			"source-file": "https://example.com/app.js", "line-number": 12.0, "column-number": 7.0}, true},
		{"wasm in the zero Environment: A20 (1)", wasm.Violations[0], map[string]any{
			"document-uri": "", "referrer": "", "blocked-uri": "wasm-eval", "effective-directive": "script-src", "violated-directive": "script-src",
			"original-policy": "script-src 'none'", "disposition": "enforce", "status-code": 0.0, "script-sample": ""}, false},
		{"webrtc's null resource: A13", rtc.Violations[0], map[string]any{
			"document-uri": "", "referrer": "", "blocked-uri": "", "effective-directive": "webrtc", "violated-directive": "webrtc",
			"original-policy": "webrtc 'block'", "disposition": "enforce", "status-code": 0.0, "script-sample": ""}, false},
		{"frame-ancestors, no global object: A20", frame.Violations[0], map[string]any{
			"document-uri": "", "referrer": "", "blocked-uri": "https://framed.example/", "effective-directive": "frame-ancestors", "violated-directive": "frame-ancestors",
			"original-policy": "frame-ancestors 'none'", "disposition": "enforce", "status-code": 0.0, "script-sample": ""}, false},
		{"a WebSocket reports its https: URL: A10", wsD.Violations[0], map[string]any{
			"document-uri": "", "referrer": "", "blocked-uri": "https://other.example/chat", "effective-directive": "connect-src", "violated-directive": "connect-src",
			"original-policy": "connect-src 'none'", "disposition": "enforce", "status-code": 0.0, "script-sample": ""}, false},
		{"a non-HTTP(S) URL is reduced to its scheme", blob.Violations[0], map[string]any{
			"document-uri": "https://example.com/page?q=1", "referrer": "https://referrer.example/from", "blocked-uri": "blob", "effective-directive": "form-action", "violated-directive": "form-action",
			"original-policy": "form-action 'self'", "disposition": "enforce", "status-code": 200.0, "script-sample": "",
			"source-file": "https://example.com/app.js", "line-number": 12.0, "column-number": 7.0}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, err := DeprecatedSerializeViolation(tt.v, nil)
			if err != nil {
				t.Fatal(err)
			}
			keys, values := reportKeys(t, body)
			wantKeys := reportFields
			if tt.file {
				wantKeys = append(append([]string{}, reportFields...), "source-file", "line-number", "column-number")
			}
			if strings.Join(keys, ",") != strings.Join(wantKeys, ",") {
				t.Errorf("keys %v, want %v", keys, wantKeys)
			}
			for k, want := range tt.want {
				if values[k] != want {
					t.Errorf("%s = %#v, want %#v\nbody: %s", k, values[k], want, body)
				}
			}
		})
	}
}

func TestDeprecatedSerializeViolationAssertion(t *testing.T) {
	u := MustParseURL("https://example.com/x")
	p := &Policy{Text: "img-src 'none'", Disposition: Enforce}
	for _, r := range []Resource{URLResource(u), StringResource(ResourceWasmEval), {}} {
		v := Violation{Policy: p, Disposition: Enforce, Resource: r, Sample: "leak"}
		if _, err := DeprecatedSerializeViolation(v, nil); !errors.Is(err, ErrAssert) {
			t.Errorf("a %v violation with a sample: %v, want ErrAssert (step 3)", r, err)
		}
	}
	for _, r := range []string{ResourceInline, ResourceEval, ResourceTrustedTypesSink} {
		if _, err := DeprecatedSerializeViolation(Violation{Policy: p, Resource: StringResource(r), Sample: "s"}, nil); err != nil {
			t.Errorf("a %s violation with a sample: %v", r, err)
		}
	}
	// A violation without a policy (a caller's zero value) still serializes.
	if _, err := DeprecatedSerializeViolation(Violation{}, nil); err != nil {
		t.Errorf("zero violation: %v", err)
	}
}

func TestObtainViolationBlockedURI(t *testing.T) {
	for _, tt := range []struct {
		r    Resource
		want string
	}{
		{Resource{}, ""}, // 1: A13
		{URLResource(MustParseURL("https://u:p@a.example/p#f")), "https://a.example/p"}, // 2
		{URLResource(MustParseURL("data:text/plain,secret")), "data"},                   // 2
		{StringResource(ResourceInline), "inline"},                                      // 3
		{StringResource(ResourceEval), "eval"},                                          // 3
		{StringResource(ResourceWasmEval), "wasm-eval"},                                 // 3
		{StringResource(ResourceTrustedTypesSink), "trusted-types-sink"},                // 3
		{StringResource(ResourceTrustedTypesPolicy), "trusted-types-policy"},            // 3
	} {
		if got := ObtainViolationBlockedURI(tt.r); got != tt.want {
			t.Errorf("ObtainViolationBlockedURI(%v) = %q, want %q", tt.r, got, tt.want)
		}
	}
	if s := (Resource{}).String(); s != "null" {
		t.Errorf("null resource String() = %q", s)
	}
	if s := StringResource("eval").String(); s != "eval" {
		t.Errorf("eval resource String() = %q", s)
	}
	// A URL resource reads as its URL, as a trace shows it.
	if s := URLResource(MustParseURL("https://a.example/x?q")).String(); s != "https://a.example/x?q" {
		t.Errorf("URL resource String() = %q", s)
	}
}

// TestTraceAmend: Amend rewrites the note of the latest step with that
// anchor and number, the trace's first step included, and leaves the
// others alone.
func TestTraceAmend(t *testing.T) {
	var tr Trace
	tr.Step("a", "1", "first")
	tr.Step("b", "1", "other")
	tr.Amend("a", "1", "amended %d", 1)
	if got := tr.Steps[0].Note; got != "amended 1" {
		t.Errorf("the first step's note is %q, want it amended", got)
	}
	if got := tr.Steps[1].Note; got != "other" {
		t.Errorf("another step's note became %q", got)
	}
	var none *Trace
	none.Amend("a", "1", "x") // a nil trace records nothing, and does not panic
}

func TestReportViolationTargets(t *testing.T) {
	p := &Policy{Disposition: Enforce}
	window, worker := &GlobalObject{}, &GlobalObject{Kind: WorkerGlobal}
	for _, tt := range []struct {
		name   string
		global *GlobalObject
		el     *Element
		want   string
	}{
		{"an element (2)", window, &Element{}, "element"},
		{"a disconnected element in a Window (3.1)", window, &Element{Disconnected: true}, "document"},
		{"a disconnected element in a worker keeps the event", worker, &Element{Disconnected: true}, "element"},
		{"a Window's document (3.2.2)", window, nil, "document"},
		{"a worker (3.2.1)", worker, nil, "global"},
	} {
		before := len(tt.global.Reported)
		ReportViolation(Violation{GlobalObject: tt.global, Policy: p, Element: tt.el}, nil)
		if len(tt.global.Reported) != before+1 || tt.global.Reported[before].EventTarget != tt.want {
			t.Errorf("%s: event target %q, want %q", tt.name, tt.global.Reported[len(tt.global.Reported)-1].EventTarget, tt.want)
		}
	}
	ReportViolation(Violation{Policy: p}, nil) // no global object: nothing to record, no panic
}

func TestCreateViolationForGlobal(t *testing.T) {
	ref := MustParseURL("https://r.example/")
	loc := &ScriptLocation{SourceFile: MustParseURL("https://example.com/a.js"), LineNumber: 3, ColumnNumber: 4}
	p := &Policy{Disposition: Report}
	v := CreateViolationForGlobal(&GlobalObject{Referrer: &ref, StatusCode: 404, RunningScript: loc}, p, "img-src", nil)
	if v.Referrer == nil || *v.Referrer != ref || v.Status != 404 || v.SourceFile == nil || v.LineNumber != 3 || v.ColumnNumber != 4 || v.Disposition != Report || !v.Resource.IsNull() {
		t.Errorf("Window: %+v", v)
	}
	// Step 3: only a Window has a referrer.
	if v := CreateViolationForGlobal(&GlobalObject{Kind: WorkerGlobal, Referrer: &ref}, p, "img-src", nil); v.Referrer != nil {
		t.Errorf("a worker's violation has referrer %v", v.Referrer)
	}
	if v := CreateViolationForGlobal(nil, p, "frame-ancestors", nil); v.GlobalObject != nil || v.Status != 0 || v.URL() != nil {
		t.Errorf("null global: %+v", v)
	}
}

func TestPotentiallyReportHash(t *testing.T) {
	page := MustParseURL("https://example.com/page#top")
	body := []byte("console.log(1)")
	b64 := strings.Trim(strings.TrimPrefix(digest("sha384", string(body), false, false), "'sha384-"), "'")
	tests := []struct {
		name    string
		policy  string
		resp    Response
		kind    GlobalKind
		want    []CSPHashReport
		verdict Verdict
	}{
		{"no report keyword (5)", "script-src 'self'; report-to ep", Response{Body: body}, WindowGlobal, nil, Allowed},
		{"no report-to (11)", "script-src 'self' 'report-sha256'", Response{Body: body}, WindowGlobal, nil, Allowed},
		{"a worker (9)", "script-src 'self' 'report-sha256'; report-to ep", Response{Body: body}, WorkerGlobal, nil, Allowed},
		{"sha384 of the body (7.1-7.2, 13-14)", "script-src 'self' 'report-sha384'; report-to ep", Response{Body: body, Type: "basic"}, WindowGlobal,
			[]CSPHashReport{{"https://example.com/page", "https://example.com/app.js#f", "sha384-" + b64, "script", "subresource", []string{"ep"}}}, Allowed},
		{"the last keyword wins (2-4)", "script-src 'self' 'report-sha512' 'report-sha384'; report-to ep", Response{Body: body}, WindowGlobal,
			[]CSPHashReport{{"https://example.com/page", "https://example.com/app.js#f", strings.Trim(strings.Replace(digest("sha512", string(body), false, false), "'sha512-", "sha512-", 1), "'"), "script", "subresource", []string{"ep"}}}, Allowed},
		{"an opaque response has no hash (7)", "script-src 'self' 'report-sha256'; report-to ep", Response{Body: body, Type: "opaque"}, WindowGlobal,
			[]CSPHashReport{{"https://example.com/page", "https://example.com/app.js#f", "", "script", "subresource", []string{"ep"}}}, Allowed},
		{"a blocked script still reports", "script-src https://cdn.example 'report-sha256'; report-to ep", Response{Body: body, Type: "cors"}, WindowGlobal,
			[]CSPHashReport{{"https://example.com/page", "https://example.com/app.js#f", strings.Trim(strings.Replace(digest("sha256", string(body), false, false), "'sha256-", "sha256-", 1), "'"), "script", "subresource", []string{"ep"}}}, Blocked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := env(tt.policy)
			e.URL, e.Kind = &page, tt.kind
			global := e.NewGlobalObject()
			req := &Request{URLList: []URL{MustParseURL("https://example.com/app.js#f")}, Destination: "script", PolicyContainer: global.PolicyContainer, Client: global}
			resp := tt.resp
			resp.URLList = req.URLList
			if got := ShouldBlockResponse(&resp, req, nil); got != tt.verdict {
				t.Errorf("verdict %v, want %v", got, tt.verdict)
			}
			if len(global.HashReports) != len(tt.want) {
				t.Fatalf("reports %+v, want %+v", global.HashReports, tt.want)
			}
			for i := range tt.want {
				g, w := global.HashReports[i], tt.want[i]
				if g.DocumentURL != w.DocumentURL || g.SubresourceURL != w.SubresourceURL || g.Hash != w.Hash || g.Destination != w.Destination || g.Type != w.Type || strings.Join(g.Endpoint, " ") != strings.Join(w.Endpoint, " ") {
					t.Errorf("report %+v, want %+v", g, w)
				}
			}
		})
	}
	// Decide passes them on; without a document URL the report's is "".
	req := Request{URLList: []URL{MustParseURL("https://example.com/app.js")}, Destination: "script"}
	d, err := Decide(env("script-src 'self' 'report-sha256'; report-to ep").CSPList, req, nil)
	if err != nil || len(d.HashReports) != 1 || d.HashReports[0].DocumentURL != "" || !strings.HasPrefix(d.HashReports[0].Hash, "sha256-") {
		t.Errorf("Decide: %v, %+v", err, d.HashReports)
	}
}
