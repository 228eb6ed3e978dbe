package model

import (
	"math/rand"
	"strings"
	"testing"
)

// randomString draws from an alphabet weighted towards the characters that
// matter to policies and URLs, plus arbitrary bytes.
func randomString(r *rand.Rand, max int) string {
	const alphabet = " \t\n\f\r;,:/.*'%?#@[]\\-_+=abcdefghijklmnopqrstuvwxyzABCXYZ0123456789"
	n := r.Intn(max + 1)
	b := make([]byte, n)
	for i := range b {
		if r.Intn(8) == 0 {
			b[i] = byte(r.Intn(256))
		} else {
			b[i] = alphabet[r.Intn(len(alphabet))]
		}
	}
	return string(b)
}

var seedURLs = []string{
	"https://example.com/", "http://a.example:8080/p/q?x#y", "wss://example.com/chat", "ws://[::1]:80/",
	"data:text/plain,x", "blob:https://example.com/uuid", "file:///etc/passwd", "custom://host/x",
	"http://127.0.0.1/", "https://user:pw@example.com/", "ftp://example.com/", "javascript:alert(1)",
}

// TestTotality feeds arbitrary strings to every entry point that takes
// strings: none may panic, and the ones that can fail must say so with an
// error rather than a verdict.
func TestTotality(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	self := MustParseURL("https://example.com/")
	for i := 0; i < 3000; i++ {
		policy := randomString(r, 80)
		expr := randomString(r, 30)
		rawURL := randomString(r, 40)
		if i%3 == 0 {
			rawURL = seedURLs[r.Intn(len(seedURLs))] + randomString(r, 10)
		}
		u, err := ParseURL(rawURL)
		if err != nil {
			u = MustParseURL(seedURLs[r.Intn(len(seedURLs))])
		}
		_ = ParseSerializedPolicy(policy, HeaderSource, Enforce, nil)
		_ = ParseSourceExpression(expr)
		_, _ = ParseOrigin(rawURL)
		o := URLOrigin(self)
		if i%5 == 0 {
			o = NewOpaqueOrigin()
		}
		_ = MatchURLToSourceExpression(u, expr, o, r.Intn(3), nil)
		_ = SchemePartMatch(expr, u.Scheme, nil)
		_ = HostPartMatch(expr, u.Host, nil)
		_ = PortPartMatch(expr, r.Intn(2) == 0, u, nil)
		_ = PathPartMatch(expr, u.Path, nil)
		_ = MatchIntegrityMetadataToSourceList(expr, strings.Fields(policy), nil)
		_ = StripURLForUseInReports(u)
		for kind, build := range Kinds {
			req, err := build(rawURL)
			if err != nil {
				continue
			}
			list := NewCSPList([]PolicyDelivery{{Value: policy, Disposition: Enforce, Source: HeaderSource}, {Value: policy, Disposition: Report, Source: MetaSource}}, o, nil)
			if _, err := Decide(list, req, nil); err != nil {
				t.Errorf("Decide(%s %q under %q) = error %v", kind, rawURL, policy, err)
			}
		}
	}
}

// TestHugeInputs decides under a 1 MiB policy and a 100,000-source list. The
// work the model does (counted as trace steps, not time) must grow linearly:
// doubling the list doubles the steps.
func TestHugeInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("huge inputs in -short mode")
	}
	self := MustParseURL("https://example.com/")
	origin := URLOrigin(self)

	// A 1 MiB policy of over 25,000 distinct directives, the connect-src last.
	var b strings.Builder
	for i := 0; b.Len() < 1<<20; i++ {
		b.WriteString("x-directive-")
		b.WriteString(strings.Repeat("a", i%7))
		b.WriteString(itoaTest(i))
		b.WriteString(" https://a.example; ")
	}
	b.WriteString("connect-src https://allowed.example")
	policy := ParseSerializedPolicy(b.String(), HeaderSource, Enforce, nil)
	if len(b.String()) < 1<<20 || len(policy.DirectiveSet) < 25000 {
		t.Fatalf("the policy is %d bytes with %d directives; the test wants 1 MiB and 25,000", b.Len(), len(policy.DirectiveSet))
	}
	req, _ := NewFetchRequest("https://blocked.example/")
	d, err := Decide(CSPList{Policies: []Policy{policy}, SelfOrigin: origin}, req, nil)
	if err != nil || d.Verdict != Blocked {
		t.Errorf("1 MiB policy: Decide = %v, %v; want Blocked", d.Verdict, err)
	}

	// A 1 MiB URL of half a million path segments parses (the library's own
	// path serializer would take minutes; fromLibrary reads the segments).
	long := "https://example.com/" + strings.Repeat("a/", 1<<19)
	if u, err := ParseURL(long); err != nil || len(u.Path) != len(long)-len("https://example.com") {
		t.Errorf("1 MiB URL: %v, path of %d bytes", err, len(u.Path))
	}

	steps := func(n int) int {
		sources := make([]string, n)
		for i := range sources {
			sources[i] = "https://host" + itoaTest(i) + ".example/path/"
		}
		var tr Trace
		got := MatchURLToSourceList(MustParseURL("https://nomatch.example/"), sources, origin, 0, &tr)
		if got != DoesNotMatch {
			t.Errorf("%d sources: %v, want Does Not Match", n, got)
		}
		return len(tr.Steps)
	}
	small, large := steps(50000), steps(100000)
	if ratio := float64(large) / float64(small); ratio < 1.9 || ratio > 2.1 {
		t.Errorf("100,000 sources took %d steps, 50,000 took %d: ratio %.2f, want 2 (linear)", large, small, ratio)
	}
}

func itoaTest(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

// TestTotalityBeyondRequests feeds arbitrary strings to the entry points of
// the checks that are not requests: none may panic, each input that can
// occur gets a verdict and no error, every violation serializes to a
// report-uri body, and no input can make DecideInline allow under a policy
// that names no way to allow inline script.
func TestTotalityBeyondRequests(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	types := []string{InlineScript, InlineScriptAttribute, InlineStyle, InlineStyleAttribute}
	keywords := []string{"'unsafe-inline'", "'strict-dynamic'", "'unsafe-hashes'", "'report-sample'", "'nonce-", "'sha256-", "'unsafe-eval'",
		"'wasm-unsafe-eval'", "'trusted-types-eval'", "require-trusted-types-for 'script'", "sandbox ", "allow-scripts", "webrtc 'allow'",
		"frame-ancestors ", "form-action ", "base-uri ", "'self'", "script-src ", "default-src ", "style-src-attr ", ";", " ", "report-to x"}
	word := func() string {
		if r.Intn(3) == 0 {
			return randomString(r, 12)
		}
		return keywords[r.Intn(len(keywords))]
	}
	text := func(n int) string {
		var b strings.Builder
		for i := r.Intn(n); i > 0; i-- {
			b.WriteString(word())
		}
		return b.String()
	}
	serialize := func(what string, d Decision) {
		for _, v := range d.Violations {
			if _, err := DeprecatedSerializeViolation(v, nil); err != nil {
				t.Errorf("%s: a violation does not serialize: %v", what, err)
			}
		}
	}
	for i := 0; i < 2000; i++ {
		e := env(text(8), "report:"+text(8))
		if i%7 == 0 {
			e.Kind = WorkerGlobal
		}
		u, err := ParseURL(randomString(r, 30))
		if err != nil {
			u = MustParseURL(seedURLs[r.Intn(len(seedURLs))])
		}
		element := Element{LocalName: []string{"script", "style", "div", randomString(r, 5)}[r.Intn(4)]}
		for n := r.Intn(4); n > 0; n-- {
			element.Attributes = append(element.Attributes, Attribute{[]string{"nonce", randomString(r, 6)}[r.Intn(2)], text(3)})
		}
		element.NotParserInserted, element.DuplicateAttribute, element.Disconnected = r.Intn(2) == 0, r.Intn(5) == 0, r.Intn(5) == 0
		source := text(6)
		typ := types[r.Intn(len(types))]
		if i%11 == 0 {
			typ = randomString(r, 8)
		}
		if d, err := DecideInline(e, element, typ, source, nil); err == nil {
			serialize("DecideInline", d)
		} else if d.Verdict == Allowed {
			t.Errorf("DecideInline error %v with Allowed", err)
		}
		code := text(5)
		for _, c := range []Compilation{
			{Type: CompileEval, BodyString: code, CodeString: code, BodyArg: ScriptValue{TrustedScript: r.Intn(2) == 0, Data: code}},
			{Type: CompileFunction, ParameterStrings: []string{code}, BodyString: source, CodeString: "function anonymous(" + code + ") {" + source + "}",
				ParameterArgs: []ScriptValue{{TrustedScript: r.Intn(2) == 0, Data: code}}, BodyArg: ScriptValue{TrustedScript: true, Data: source}},
			{Type: CompileTimer, CodeString: code},
		} {
			d, err := DecideEval(e, c, nil)
			if err != nil {
				t.Errorf("DecideEval(%+v): %v", c, err)
			}
			serialize("DecideEval", d)
		}
		for _, f := range []func(Environment, *Trace) (Decision, error){DecideWasm, DecideRTC, DecideSandbox} {
			d, err := f(e, nil)
			if err != nil {
				t.Errorf("under %d policies: %v", len(e.CSPList.Policies), err)
			}
			serialize("DecideWasm/RTC/Sandbox", d)
		}
		if d, err := DecideBase(e, u, nil); err == nil {
			serialize("DecideBase", d)
		}
		nav := Request{URLList: []URL{u}, Destination: "document", Mode: "navigate"}
		if d, err := DecideNavigationRequest(e, nav, []string{NavigationFormSubmission, NavigationOther}[i%2], nil); err == nil {
			serialize("DecideNavigationRequest", d)
		}
		resp := Response{URLList: []URL{u}, HeaderList: []Header{{"Content-Security-Policy", text(6)}, {"Content-Security-Policy-Report-Only", text(6)}}}
		var ancestors []Origin
		for n := r.Intn(4); n > 0; n-- {
			o, err := ParseOrigin(seedURLs[r.Intn(len(seedURLs))])
			if err != nil {
				o = NewOpaqueOrigin()
			}
			ancestors = append(ancestors, o)
		}
		if d, err := DecideNavigationResponse(e, nav, NavigationOther, resp, Navigable{AncestorOrigins: ancestors}, nil); err == nil {
			serialize("DecideNavigationResponse", d)
		}
		_ = ParseSandboxingDirective(text(6), nil)
	}
	// No way to allow inline script: whatever the element and source, Blocked.
	for i := 0; i < 500; i++ {
		element := Element{LocalName: "script", Attributes: []Attribute{{"nonce", randomString(r, 10)}}, NotParserInserted: r.Intn(2) == 0}
		d, err := DecideInline(env("script-src 'self' https: 'unsafe-eval' 'report-sample'"), element, InlineScript, randomString(r, 60), nil)
		if err != nil || d.Verdict != Blocked {
			t.Fatalf("an inline script allowed under script-src without inline sources: %v, %v", d.Verdict, err)
		}
	}
}

// TestHugeInlineInputs hashes a 1 MiB inline script against a list of
// 10,000 hash-sources: the digest is computed once per algorithm, so this
// takes one pass over the source, not ten thousand.
func TestHugeInlineInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("huge inputs in -short mode")
	}
	source := strings.Repeat("x", 1<<20)
	var b strings.Builder
	b.WriteString("script-src 'unsafe-hashes'")
	for i := 0; i < 10000; i++ {
		b.WriteString(" 'sha256-")
		b.WriteString(itoaTest(i))
		b.WriteString("'")
	}
	b.WriteString(" " + digest("sha512", source, true, false))
	var tr Trace
	d, err := DecideInline(env(b.String()), Element{LocalName: "button"}, InlineScriptAttribute, source, &tr)
	if err != nil || d.Verdict != Allowed {
		t.Errorf("the last hash of 10,001 should match: %v, %v", d.Verdict, err)
	}
	digests := 0
	for _, s := range tr.Steps {
		if s.Anchor == "match-element-to-source-list" && s.Step == "5.2.2.5" {
			digests++
		}
	}
	if digests != 2 {
		t.Errorf("the source was hashed %d times for 10,001 hash-sources of two algorithms, want 2", digests)
	}
}

// TestManyPolicies decides every kind of check under a header of 20,000
// policies: the work (counted as trace steps) grows linearly with the number
// of policies, and no check asks a question of the whole list once per
// policy, which would make it quadratic.
func TestManyPolicies(t *testing.T) {
	if testing.Short() {
		t.Skip("huge inputs in -short mode")
	}
	steps := func(n int) int {
		header := strings.TrimSuffix(strings.Repeat("script-src 'self' 'report-sample'; base-uri 'self'; form-action 'self'; webrtc 'block',", n), ",")
		e := env(header)
		if len(e.CSPList.Policies) != n {
			t.Fatalf("%d policies, want %d", len(e.CSPList.Policies), n)
		}
		var tr Trace
		other := MustParseURL("https://other.example/")
		for _, f := range []func() (Decision, error){
			func() (Decision, error) { return DecideInline(e, Element{LocalName: "script"}, InlineScript, "x", &tr) },
			func() (Decision, error) { return DecideEval(e, evalOf("x"), &tr) },
			func() (Decision, error) { return DecideWasm(e, &tr) },
			func() (Decision, error) { return DecideRTC(e, &tr) },
			func() (Decision, error) { return DecideBase(e, other, &tr) },
			func() (Decision, error) { return DecideSandbox(e, &tr) },
			func() (Decision, error) {
				return DecideNavigationRequest(e, Request{URLList: []URL{other}}, NavigationFormSubmission, &tr)
			},
		} {
			if _, err := f(); err != nil {
				t.Fatal(err)
			}
		}
		// #can-compile-strings asks whether Trusted Types are required twice
		// (steps 2.6 and 5.3.1), however many policies there are.
		asked := 0
		for _, s := range tr.Steps {
			if s.Anchor == "trusted-types#does-sink-require-trusted-types" && s.Step == "" {
				asked++
			}
		}
		if asked != 2 {
			t.Errorf("%d policies: Trusted Types were looked up %d times, want 2", n, asked)
		}
		return len(tr.Steps)
	}
	small, large := steps(10000), steps(20000)
	if ratio := float64(large) / float64(small); ratio < 1.9 || ratio > 2.1 {
		t.Errorf("20,000 policies took %d steps, 10,000 took %d: ratio %.2f, want 2 (linear)", large, small, ratio)
	}
}
