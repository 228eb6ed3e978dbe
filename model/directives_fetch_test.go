package model

import (
	"fmt"
	"testing"
)

// fetchDirectiveCases lists, for each fetch directive with checks, a
// destination it decides and a more specific directive that takes over from
// it (empty when none can).
var fetchDirectiveCases = []struct {
	directive, destination, overriddenBy string
}{
	{"child-src", "iframe", "frame-src"},
	{"child-src", "worker", "worker-src"},
	{"connect-src", "", ""},
	{"default-src", "", "connect-src"},
	{"default-src", "image", "img-src"},
	{"default-src", "font", "font-src"},
	{"default-src", "script", "script-src"},
	{"default-src", "style", "style-src"},
	{"font-src", "font", ""},
	{"frame-src", "frame", ""},
	{"img-src", "image", ""},
	{"manifest-src", "manifest", ""},
	{"media-src", "video", ""},
	{"object-src", "embed", ""},
	{"script-src", "script", "script-src-elem"},
	{"script-src", "sharedworker", "worker-src"},
	{"script-src-elem", "audioworklet", ""},
	{"style-src", "style", "style-src-elem"},
	{"style-src-elem", "style", ""},
	{"worker-src", "serviceworker", ""},
}

// TestDirectiveChecks drives every directive's pre-request and post-request
// check through each of its branches: it does not execute when a more
// specific directive is present (step 2), blocks when the URL does not match,
// and allows when it does. The post-request check is given a response whose
// URL differs from the request's, as a service worker could substitute.
func TestDirectiveChecks(t *testing.T) {
	self := URLOrigin(MustParseURL("https://self.example/"))
	reqURL := MustParseURL("https://allowed.example/a")
	otherURL := MustParseURL("https://other.example/b")
	for _, tt := range fetchDirectiveCases {
		name := fmt.Sprintf("%s/%q", tt.directive, tt.destination)
		t.Run(name, func(t *testing.T) {
			run := func(policyText string, responseURL URL) (pre, post Verdict) {
				p := ParseSerializedPolicy(policyText, HeaderSource, Enforce, nil)
				d, _ := p.Directive(tt.directive)
				req := &Request{URLList: []URL{reqURL}, Destination: tt.destination}
				resp := &Response{URLList: []URL{responseURL}}
				return PreRequestCheck(d, req, &p, self, nil), PostRequestCheck(d, req, resp, &p, self, nil)
			}
			allowList := tt.directive + " https://allowed.example"
			if pre, post := run(allowList, reqURL); pre != Allowed || post != Allowed {
				t.Errorf("%s: pre %v, post %v; want Allowed, Allowed", allowList, pre, post)
			}
			if pre, post := run(allowList, otherURL); pre != Allowed || post != Blocked {
				t.Errorf("%s, response from %s: pre %v, post %v; want Allowed, Blocked", allowList, otherURL, pre, post)
			}
			noneList := tt.directive + " 'none'"
			if pre, post := run(noneList, reqURL); pre != Blocked || post != Blocked {
				t.Errorf("%s: pre %v, post %v; want Blocked, Blocked", noneList, pre, post)
			}
			// Step 2 for a request another directive decides: "report" has
			// a null effective directive, which no fallback list holds.
			p := ParseSerializedPolicy(noneList, HeaderSource, Enforce, nil)
			foreign := &Request{URLList: []URL{otherURL}, Destination: "report"}
			if pre, post := PreRequestCheck(p.DirectiveSet[0], foreign, &p, self, nil), PostRequestCheck(p.DirectiveSet[0], foreign, &Response{URLList: foreign.URLList}, &p, self, nil); pre != Allowed || post != Allowed {
				t.Errorf("%s on a report request: pre %v, post %v; want Allowed, Allowed", noneList, pre, post)
			}
			if tt.overriddenBy != "" {
				deferring := noneList + "; " + tt.overriddenBy + " *"
				if pre, post := run(deferring, otherURL); pre != Allowed || post != Allowed {
					t.Errorf("%s: pre %v, post %v; want Allowed, Allowed (%s does not execute)", deferring, pre, post, tt.directive)
				}
			}
		})
	}
}

// TestStyleNonce covers the nonce step of the style checks
// (#style-src-pre-request step 3, #style-src-elem-pre-request step 3).
func TestStyleNonce(t *testing.T) {
	self := URLOrigin(MustParseURL("https://self.example/"))
	for _, name := range []string{"style-src", "style-src-elem"} {
		p := ParseSerializedPolicy(name+" 'nonce-n1'", HeaderSource, Enforce, nil)
		for nonce, want := range map[string]Verdict{"n1": Allowed, "n2": Blocked, "": Blocked} {
			req := &Request{URLList: []URL{MustParseURL("https://cdn.example/s.css")}, Destination: "style", CryptographicNonceMetadata: nonce}
			if got := PreRequestCheck(p.DirectiveSet[0], req, &p, self, nil); got != want {
				t.Errorf("%s pre-request with nonce %q = %v, want %v", name, nonce, got, want)
			}
			if got := PostRequestCheck(p.DirectiveSet[0], req, &Response{URLList: req.URLList}, &p, self, nil); got != want {
				t.Errorf("%s post-request with nonce %q = %v, want %v", name, nonce, got, want)
			}
		}
	}
}

// TestNonFetchDirectivesHaveNoChecks: directives without checks return
// Allowed (#framework-directives).
func TestNonFetchDirectivesHaveNoChecks(t *testing.T) {
	self := URLOrigin(MustParseURL("https://self.example/"))
	for _, name := range []string{"base-uri", "form-action", "frame-ancestors", "sandbox", "report-uri", "report-to", "script-src-attr", "style-src-attr", "webrtc", "upgrade-insecure-requests", "x-unknown"} {
		p := ParseSerializedPolicy(name+" 'none'", HeaderSource, Enforce, nil)
		req := &Request{URLList: []URL{MustParseURL("https://x.example/")}}
		if got := PreRequestCheck(p.DirectiveSet[0], req, &p, self, nil); got != Allowed {
			t.Errorf("PreRequestCheck(%s 'none') = %v, want Allowed", name, got)
		}
		if got := PostRequestCheck(p.DirectiveSet[0], req, &Response{URLList: req.URLList}, &p, self, nil); got != Allowed {
			t.Errorf("PostRequestCheck(%s 'none') = %v, want Allowed", name, got)
		}
	}
}

// TestConnectSrcWebTransport covers the WebTransport step of connect-src
// (#connect-src-pre-request step 4, #connect-src-post-request step 4).
func TestConnectSrcWebTransport(t *testing.T) {
	self := URLOrigin(MustParseURL("https://self.example/"))
	u := MustParseURL("https://wt.example/")
	tests := []struct {
		policy string
		hashes []string
		want   Verdict
	}{
		{"connect-src https://wt.example", []string{"abc"}, Blocked},           // 4.2: hashes need the keyword
		{"connect-src 'unsafe-webtransport-hashes'", []string{"abc"}, Allowed}, // 4.1
		{"connect-src 'UNSAFE-WEBTRANSPORT-HASHES'", []string{"abc"}, Allowed}, // 4.1, case-insensitive
		{"connect-src https://wt.example", nil, Allowed},                       // 5: no hashes, URL matching
		{"connect-src 'unsafe-webtransport-hashes'", nil, Blocked},             // 6
	}
	for _, tt := range tests {
		p := ParseSerializedPolicy(tt.policy, HeaderSource, Enforce, nil)
		req := &Request{URLList: []URL{u}, Mode: "webtransport", WebTransportHashList: tt.hashes}
		if got := PreRequestCheck(p.DirectiveSet[0], req, &p, self, nil); got != tt.want {
			t.Errorf("pre-request %q with hashes %q = %v, want %v", tt.policy, tt.hashes, got, tt.want)
		}
		if got := PostRequestCheck(p.DirectiveSet[0], req, &Response{URLList: req.URLList}, &p, self, nil); got != tt.want {
			t.Errorf("post-request %q with hashes %q = %v, want %v", tt.policy, tt.hashes, got, tt.want)
		}
	}
}

// TestScriptChecks covers nonces, integrity and 'strict-dynamic' in both
// script checks, and non-script-like destinations (#script-pre-request,
// #script-post-request).
func TestScriptChecks(t *testing.T) {
	self := URLOrigin(MustParseURL("https://self.example/"))
	u := MustParseURL("https://cdn.example/app.js")
	tests := []struct {
		value       []string
		destination string
		nonce       string
		integrity   string
		parser      string
		want        Verdict
	}{
		{[]string{"'nonce-n1'"}, "script", "n1", "", "parser-inserted", Allowed},           // 1.1 / 1.2
		{[]string{"'sha256-abc'"}, "script", "", "sha256-abc", "parser-inserted", Allowed}, // 1.2 / 1.3
		{[]string{"'strict-dynamic'"}, "script", "", "", "parser-inserted", Blocked},       // 1.3.1 / 1.4.1
		{[]string{"'strict-dynamic'"}, "script", "", "", "", Allowed},                      // 1.3.1 / 1.4.1
		{[]string{"https://cdn.example"}, "script", "", "", "", Allowed},                   // 2
		{[]string{"https://other.example"}, "script", "", "", "", Blocked},                 // 1.4 / 1.5
		{[]string{"'none'"}, "image", "", "", "", Allowed},                                 // 2: not script-like
		{[]string{"'none'"}, "xslt", "", "", "", Blocked},                                  // 1.4: xslt is checked as a script (A8)
		{[]string{"'none'"}, "json", "", "", "", Allowed},                                  // 2: not script-like
	}
	for _, tt := range tests {
		req := &Request{URLList: []URL{u}, Destination: tt.destination, CryptographicNonceMetadata: tt.nonce, IntegrityMetadata: tt.integrity, ParserMetadata: tt.parser}
		d := Directive{Name: "script-src", Value: tt.value}
		p := Policy{DirectiveSet: []Directive{d}}
		if got := ScriptPreRequest(req, d, &p, self, nil); got != tt.want {
			t.Errorf("ScriptPreRequest(%q, %+v) = %v, want %v", tt.value, tt, got, tt.want)
		}
		if got := ScriptPostRequest(req, &Response{URLList: req.URLList}, d, &p, self, nil); got != tt.want {
			t.Errorf("ScriptPostRequest(%q, %+v) = %v, want %v", tt.value, tt, got, tt.want)
		}
	}
}

// TestMatchResponseWithoutURL: a response with an empty URL list has a null
// URL and matches nothing.
func TestMatchResponseWithoutURL(t *testing.T) {
	req := &Request{URLList: []URL{MustParseURL("https://a.example/")}}
	if got := MatchResponseToSourceList(&Response{}, req, []string{"*"}, NewOpaqueOrigin(), nil); got != DoesNotMatch {
		t.Errorf("MatchResponseToSourceList(null URL) = %v, want Does Not Match", got)
	}
}
