package model

import (
	"strings"
	"testing"
)

func origin(t *testing.T, s string) Origin {
	t.Helper()
	o, err := ParseOrigin(s)
	if err != nil {
		t.Fatalf("ParseOrigin(%q): %v", s, err)
	}
	return o
}

func TestSchemePartMatch(t *testing.T) {
	tests := []struct {
		a, b string
		want Match
	}{
		{"https", "https", Matches},       // 1.1
		{"HTTPS", "https", Matches},       // 1.1, case-insensitive
		{"custom", "CUSTOM", Matches},     // 1.1
		{"http", "https", Matches},        // 1.2
		{"HTTP", "HTTPS", Matches},        // 1.2
		{"ws", "wss", Matches},            // 1.3
		{"ws", "http", Matches},           // 1.3
		{"ws", "https", Matches},          // 1.3
		{"wss", "https", Matches},         // 1.4
		{"https", "http", DoesNotMatch},   // 2: no downgrade
		{"http", "ws", DoesNotMatch},      // 2
		{"http", "wss", DoesNotMatch},     // 2
		{"https", "wss", DoesNotMatch},    // 2
		{"wss", "http", DoesNotMatch},     // 2
		{"wss", "ws", DoesNotMatch},       // 2
		{"ſ", "s", DoesNotMatch},          // 2: ASCII case-insensitivity only
		{"http", "ftp", DoesNotMatch},     // 2
		{"", "https", DoesNotMatch},       // 2
		{"https", "https ", DoesNotMatch}, // 2
	}
	for _, tt := range tests {
		if got := SchemePartMatch(tt.a, tt.b, nil); got != tt.want {
			t.Errorf("SchemePartMatch(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestHostPartMatch(t *testing.T) {
	tests := []struct {
		pattern, url string
		want         Match
	}{
		{"example.com", "https://example.com/", Matches},           // 4-5
		{"EXAMPLE.com", "https://example.COM/", Matches},           // 4, case-insensitive
		{"example.com", "https://www.example.com/", DoesNotMatch},  // 4
		{"example.com.", "https://example.com/", DoesNotMatch},     // 4: the trailing dot is kept
		{"example.com.", "https://example.com./", Matches},         // 4
		{"*", "https://anything.example/", Matches},                // 2
		{"*.example.com", "https://a.example.com/", Matches},       // 3.2
		{"*.example.com", "https://a.b.example.com/", Matches},     // 3.2
		{"*.EXAMPLE.com", "https://A.example.com/", Matches},       // 3.2, lowercased
		{"*.example.com", "https://example.com/", DoesNotMatch},    // 3.3: not the apex
		{"*.example.com", "https://badexample.com/", DoesNotMatch}, // 3.3: label boundary
		{"*", "https://10.0.0.1/", DoesNotMatch},                   // 1: IPv4
		{"127.0.0.1", "http://127.0.0.1/", DoesNotMatch},           // 1: IPv4, against the note
		{"*", "http://[::1]/", DoesNotMatch},                       // 1: IPv6
		{"example.com", "custom://example.com/", DoesNotMatch},     // 1: opaque host
		{"*", "file:///etc/passwd", DoesNotMatch},                  // 1: empty host
		{"xn--tdaaaaaa.de", "https://üüüüüü.de/", Matches},         // 4: the URL host is punycode
		{"0x7f.0.0.1", "http://0x7f.0.0.1/", DoesNotMatch},         // 1: the URL parser reads an IPv4 address
		{"a", "https://a/", Matches},                               // 4
		{"*.a", "https://b.a/", Matches},                           // 3.2
	}
	for _, tt := range tests {
		u := MustParseURL(tt.url)
		if got := HostPartMatch(tt.pattern, u.Host, nil); got != tt.want {
			t.Errorf("HostPartMatch(%q, %v %q) = %v, want %v", tt.pattern, u.Host.Kind, u.Host, got, tt.want)
		}
	}
	if got := HostPartMatch("*", Host{}, nil); got != DoesNotMatch {
		t.Errorf("HostPartMatch(\"*\", null) = %v, want Does Not Match", got)
	}
}

func TestPortPartMatch(t *testing.T) {
	tests := []struct {
		input    string
		hasInput bool
		url      string
		want     Match
	}{
		{"", false, "https://a/", Matches},                            // 4: null = null
		{"", false, "https://a:443/", Matches},                        // 4: the parser nulls the default port
		{"", false, "https://a:8443/", DoesNotMatch},                  // 6
		{"*", true, "https://a:8443/", Matches},                       // 2
		{"*", true, "https://a/", Matches},                            // 2
		{"8443", true, "https://a:8443/", Matches},                    // 4
		{"08443", true, "https://a:8443/", Matches},                   // 3-4: decimal
		{"443", true, "https://a/", Matches},                          // 5.2
		{"0443", true, "https://a/", Matches},                         // 5.2
		{"80", true, "https://a/", DoesNotMatch},                      // 6: no 80 to 443 upgrade
		{"80", true, "http://a/", Matches},                            // 5.2
		{"80", true, "ws://a/", Matches},                              // 5.2
		{"443", true, "wss://a/", Matches},                            // 5.2
		{"21", true, "ftp://a/", Matches},                             // 5.2
		{"0", true, "http://a:0/", Matches},                           // 4: port 0 is a port
		{"0", true, "http://a/", DoesNotMatch},                        // 6
		{"99999", true, "https://a/", DoesNotMatch},                   // 6: too big for any port
		{"65536", true, "https://a:0/", DoesNotMatch},                 // 6
		{"99999999999999999999999", true, "https://a/", DoesNotMatch}, // 3: no overflow
		{"65535", true, "https://a:65535/", Matches},                  // 4
		{"443", true, "https://a:8443/", DoesNotMatch},                // 6: step 5 only for null ports
		{"12a", true, "https://a/", DoesNotMatch},                     // 1: assert, fail closed
		{"", true, "https://a/", DoesNotMatch},                        // 1: assert, fail closed
	}
	for _, tt := range tests {
		u := MustParseURL(tt.url)
		if got := PortPartMatch(tt.input, tt.hasInput, u, nil); got != tt.want {
			t.Errorf("PortPartMatch(%q, %v, %s) = %v, want %v", tt.input, tt.hasInput, tt.url, got, tt.want)
		}
	}
}

func TestPathPartMatch(t *testing.T) {
	tests := []struct {
		a, b string
		want Match
	}{
		{"", "/anything", Matches},            // 1
		{"/", "", Matches},                    // 2
		{"/", "/", Matches},                   // 7-9
		{"/", "/x/y", Matches},                // 7-9: "/" is a directory
		{"/api/", "/api/", Matches},           // 9
		{"/api/", "/api/x", Matches},          // 9
		{"/api/", "/api/x/y", Matches},        // 9
		{"/api/", "/api", DoesNotMatch},       // 5
		{"/api/", "/apix/", DoesNotMatch},     // 8.4
		{"/api/", "/API/x", DoesNotMatch},     // 8.4: paths are case-sensitive
		{"/api", "/api", Matches},             // 9
		{"/api", "/api/", DoesNotMatch},       // 6
		{"/api", "/api/x", DoesNotMatch},      // 6
		{"/api", "/apix", DoesNotMatch},       // 8.4
		{"/a/b", "/a", DoesNotMatch},          // 5
		{"/a%2Fb", "/a/b", DoesNotMatch},      // 6: decoding is per segment
		{"/a/b", "/a%2Fb", DoesNotMatch},      // 5
		{"/a%2fb", "/a%2Fb", Matches},         // 8.4: decoded bytes compare
		{"/%7Euser/", "/~user/x", Matches},    // 8.2
		{"/caf%C3%A9", "/café", Matches},      // 8.2-8.3: UTF-8 of the decoded bytes
		{"/caf%C3%A9", "/caf%c3%a9", Matches}, // 8.3
		{"/100%", "/100%", Matches},           // 8.2: a lone % stays
		{"/a%2", "/a%2", Matches},             // 8.2
		{"/x/", "", DoesNotMatch},             // 5
		{"/x", "", DoesNotMatch},              // 5
	}
	for _, tt := range tests {
		if got := PathPartMatch(tt.a, tt.b, nil); got != tt.want {
			t.Errorf("PathPartMatch(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestMatchURLToSourceExpression(t *testing.T) {
	tests := []struct {
		url, expr, origin string
		redirects         int
		want              Match
	}{
		// Step 1: "*".
		{"https://a.example/", "*", "https://self.example", 0, Matches},
		{"http://a.example/", "*", "https://self.example", 0, Matches},
		{"wss://a.example/", "*", "https://self.example", 0, DoesNotMatch},
		{"ws://a.example/", "*", "http://self.example", 0, DoesNotMatch},
		{"ftp://a.example/", "*", "https://self.example", 0, DoesNotMatch},
		{"ftp://a.example/", "*", "ftp://self.example", 0, Matches},
		{"data:text/plain,x", "*", "https://self.example", 0, DoesNotMatch},
		{"https://10.0.0.1/", "*", "https://self.example", 0, Matches}, // 1.1 needs no domain
		{"wss://a.example/", "*", "ws://self.example", 0, Matches},     // A3: read on as a host-source
		{"wss://a.example:8443/", "*", "ws://self.example", 0, DoesNotMatch},
		{"custom:x", "*", "null", 0, DoesNotMatch},
		// Step 2: scheme-sources.
		{"https://a.example/", "https:", "https://self.example", 0, Matches},
		{"https://a.example/", "http:", "https://self.example", 0, Matches},
		{"http://a.example/", "https:", "https://self.example", 0, DoesNotMatch},
		{"wss://a.example/", "ws:", "https://self.example", 0, Matches},
		{"https://a.example/", "ws:", "https://self.example", 0, Matches},
		{"ws://a.example/", "http:", "https://self.example", 0, DoesNotMatch},
		{"data:text/plain,x", "data:", "https://self.example", 0, Matches},
		{"blob:https://a.example/uuid", "blob:", "https://self.example", 0, Matches},
		{"https://a.example/", "HTTPS:", "https://self.example", 0, Matches},
		// Step 3: host-sources.
		{"https://example.com/", "example.com", "https://self.example", 0, Matches},
		{"http://example.com/", "example.com", "https://self.example", 0, DoesNotMatch}, // 3.2
		{"https://example.com/", "example.com", "http://self.example", 0, Matches},      // 3.2 upgrade
		{"wss://example.com/", "example.com", "http://self.example", 0, DoesNotMatch},   // 3.2
		{"wss://example.com/", "example.com", "ws://self.example", 0, Matches},          // 3.2
		{"https://example.com/", "example.com", "null", 0, DoesNotMatch},                // A4
		{"https://example.com/", "https://example.com", "null", 0, Matches},
		{"data:,x", "example.com", "https://self.example", 0, DoesNotMatch}, // 3.1
		{"https://example.com/", "http://example.com", "https://self.example", 0, Matches},
		{"https://example.com:8443/", "http://example.com:8443", "https://self.example", 0, Matches},
		{"https://example.com/", "http://example.com:80", "https://self.example", 0, DoesNotMatch}, // 3.5
		{"https://example.com/", "https://example.com:*", "https://self.example", 0, Matches},
		{"https://example.com/x", "https://example.com/y", "https://self.example", 0, DoesNotMatch}, // 3.6.2
		{"https://example.com/x", "https://example.com/y", "https://self.example", 1, Matches},      // 3.6
		{"https://example.com/y/z", "https://example.com/y/", "https://self.example", 0, Matches},
		{"https://example.com/", "https://example.com/", "https://self.example", 0, Matches},
		{"https://example.com/anything", "https://example.com/", "https://self.example", 0, Matches},
		{"https://127.0.0.1/", "127.0.0.1", "https://self.example", 0, DoesNotMatch},
		{"https://[::1]/", "https://*", "https://self.example", 0, DoesNotMatch},
		// Step 4: 'self'.
		{"https://self.example/", "'self'", "https://self.example", 0, Matches},     // 4.1
		{"https://self.example/", "'SELF'", "https://self.example", 0, Matches},     // 4.1
		{"https://self.example/", "'self'", "http://self.example", 0, Matches},      // 4.2.1
		{"wss://self.example/", "'self'", "http://self.example", 0, Matches},        // 4.2.1
		{"wss://self.example/", "'self'", "https://self.example", 0, Matches},       // 4.2.1
		{"ws://self.example/", "'self'", "http://self.example", 0, Matches},         // 4.2.2
		{"ws://self.example/", "'self'", "https://self.example", 0, DoesNotMatch},   // 4.2.2
		{"http://self.example/", "'self'", "https://self.example", 0, DoesNotMatch}, // 5
		{"https://self.example:8443/", "'self'", "http://self.example:8443", 0, Matches},
		{"wss://self.example:8080/", "'self'", "http://self.example:8080", 0, Matches},
		{"https://self.example/", "'self'", "http://self.example:8080", 0, DoesNotMatch},
		{"https://self.example:8443/", "'self'", "https://self.example", 0, DoesNotMatch},
		{"https://other.example/", "'self'", "https://self.example", 0, DoesNotMatch},
		{"ftp://self.example/", "'self'", "http://self.example", 0, DoesNotMatch},
		{"https://self.example/", "'self'", "null", 0, DoesNotMatch},
		{"http://127.0.0.1:8080/", "'self'", "http://127.0.0.1:8080", 0, Matches}, // 'self' works for IPs
		// Step 5: everything else.
		{"https://example.com/", "'none'", "https://self.example", 0, DoesNotMatch},
		{"https://example.com/", "'unsafe-inline'", "https://self.example", 0, DoesNotMatch},
		{"https://example.com/", "'nonce-abc'", "https://self.example", 0, DoesNotMatch},
		{"https://example.com/", "example.com/a?b", "https://self.example", 0, DoesNotMatch},
		{"https://example.com/", "https://ex ample.com", "https://self.example", 0, DoesNotMatch},
		{"https://example.com/", "", "https://self.example", 0, DoesNotMatch},
	}
	for _, tt := range tests {
		u := MustParseURL(tt.url)
		if got := MatchURLToSourceExpression(u, tt.expr, origin(t, tt.origin), tt.redirects, nil); got != tt.want {
			var tr Trace
			MatchURLToSourceExpression(u, tt.expr, origin(t, tt.origin), tt.redirects, &tr)
			t.Errorf("MatchURLToSourceExpression(%s, %q, %s, %d) = %v, want %v\n%s", tt.url, tt.expr, tt.origin, tt.redirects, got, tt.want, tr.String())
		}
	}
}

func TestMatchURLToSourceList(t *testing.T) {
	self := origin(t, "https://self.example")
	u := MustParseURL("https://example.com/")
	tests := []struct {
		list []string
		want Match
	}{
		{nil, DoesNotMatch},                                 // 2
		{[]string{}, DoesNotMatch},                          // 2
		{[]string{"'none'"}, DoesNotMatch},                  // 3
		{[]string{"'NONE'"}, DoesNotMatch},                  // 3
		{[]string{"'none'", "example.com"}, Matches},        // 4: 'none' has no effect beside others
		{[]string{"other.example", "example.com"}, Matches}, // 4.1
		{[]string{"other.example", "'self'"}, DoesNotMatch}, // 5
		{[]string{"'none'", "'none'"}, DoesNotMatch},        // 5
	}
	for _, tt := range tests {
		if got := MatchURLToSourceList(u, tt.list, self, 0, nil); got != tt.want {
			t.Errorf("MatchURLToSourceList(%s, %q) = %v, want %v", u, tt.list, got, tt.want)
		}
	}
}

func TestMatchNonceToSourceList(t *testing.T) {
	tests := []struct {
		nonce string
		list  []string
		want  Match
	}{
		{"", []string{"'nonce-'"}, DoesNotMatch},                // 2
		{"abc", []string{"'nonce-abc'"}, Matches},               // 3.1
		{"abc", []string{"'NONCE-abc'"}, Matches},               // 3.1: the prefix is case-insensitive
		{"abc", []string{"'nonce-ABC'"}, DoesNotMatch},          // 3.1: the value is not
		{"abc", []string{"'nonce-abc"}, DoesNotMatch},           // 4: not the grammar
		{"a b", []string{"'nonce-a b'"}, DoesNotMatch},          // 4
		{"abc==", []string{"'self'", "'nonce-abc=='"}, Matches}, // 3.1
		{"abc===", []string{"'nonce-abc==='"}, DoesNotMatch},    // 4: at most two "="
	}
	for _, tt := range tests {
		if got := MatchNonceToSourceList(tt.nonce, tt.list, nil); got != tt.want {
			t.Errorf("MatchNonceToSourceList(%q, %q) = %v, want %v", tt.nonce, tt.list, got, tt.want)
		}
	}
}

func TestMatchIntegrityMetadataToSourceList(t *testing.T) {
	tests := []struct {
		metadata string
		list     []string
		want     Match
	}{
		{"sha256-abc", []string{"'self'"}, DoesNotMatch},                             // 3
		{"", []string{"'sha256-abc'"}, DoesNotMatch},                                 // 5
		{"md5-abc", []string{"'sha256-abc'"}, DoesNotMatch},                          // 5
		{"sha256-abc", []string{"'sha256-abc'"}, Matches},                            // 7
		{"SHA256-abc", []string{"'sha256-abc'"}, Matches},                            // 6.1
		{"sha256-abc?opt", []string{"'sha256-abc'"}, Matches},                        // options dropped
		{"sha256-abc sha384-def", []string{"'sha256-abc'"}, DoesNotMatch},            // 6.1: every source
		{"sha256-abc sha384-def", []string{"'sha384-def'", "'sha256-abc'"}, Matches}, // 7
		{"sha256-abc md5-zzz", []string{"'sha256-abc'"}, Matches},                    // unknown algorithms skipped
		{"sha256-abc", []string{"'sha256-ABC'"}, DoesNotMatch},                       // 6.1: value is exact
	}
	for _, tt := range tests {
		if got := MatchIntegrityMetadataToSourceList(tt.metadata, tt.list, nil); got != tt.want {
			t.Errorf("MatchIntegrityMetadataToSourceList(%q, %q) = %v, want %v", tt.metadata, tt.list, got, tt.want)
		}
	}
}

func TestParseSourceExpression(t *testing.T) {
	tests := []struct {
		in   string
		want SourceExpression
	}{
		{"https:", SourceExpression{Kind: SchemeSource, HasScheme: true, Scheme: "https"}},
		{"custom-scheme.v2+x:", SourceExpression{Kind: SchemeSource, HasScheme: true, Scheme: "custom-scheme.v2+x"}},
		{"example.com:", SourceExpression{Kind: SchemeSource, HasScheme: true, Scheme: "example.com"}},
		{"*", SourceExpression{Kind: HostSource, Host: "*"}},
		{"*.example.com", SourceExpression{Kind: HostSource, Host: "*.example.com"}},
		{"example.com.", SourceExpression{Kind: HostSource, Host: "example.com."}},
		{"https://*.example.com:12/path/to/file.js", SourceExpression{Kind: HostSource, HasScheme: true, Scheme: "https", Host: "*.example.com", HasPort: true, Port: "12", Path: "/path/to/file.js"}},
		{"example.com:*", SourceExpression{Kind: HostSource, Host: "example.com", HasPort: true, Port: "*"}},
		{"example.com/", SourceExpression{Kind: HostSource, Host: "example.com", Path: "/"}},
		{"example.com/a//b", SourceExpression{Kind: HostSource, Host: "example.com", Path: "/a//b"}},
		{"example.com/%41:@!$&'()*+=~._-", SourceExpression{Kind: HostSource, Host: "example.com", Path: "/%41:@!$&'()*+=~._-"}},
		{"127.0.0.1", SourceExpression{Kind: HostSource, Host: "127.0.0.1"}},
		{"'self'", SourceExpression{Kind: KeywordSource, Keyword: "'self'"}},
		{"'Strict-Dynamic'", SourceExpression{Kind: KeywordSource, Keyword: "'strict-dynamic'"}},
		{"'nonce-abc+/-_=='", SourceExpression{Kind: NonceSource, Base64Value: "abc+/-_=="}},
		{"'sha384-abc'", SourceExpression{Kind: HashSource, HashAlgorithm: "sha384", Base64Value: "abc"}},
		{"'SHA512-abc='", SourceExpression{Kind: HashSource, HashAlgorithm: "sha512", Base64Value: "abc="}},
		// No production.
		{"'none'", SourceExpression{}},
		{"", SourceExpression{}},
		{"'self", SourceExpression{}},
		{"'sha1-abc'", SourceExpression{}},
		{"'nonce-'", SourceExpression{}},
		{"'nonce-a=b'", SourceExpression{}},
		{"*.", SourceExpression{}},
		{"**.example.com", SourceExpression{}},
		{"a.*.example.com", SourceExpression{}},
		{"example..com", SourceExpression{}},
		{"example.com:", SourceExpression{Kind: SchemeSource, HasScheme: true, Scheme: "example.com"}},
		{"example.com:80x", SourceExpression{}},
		{"example.com:-1", SourceExpression{}},
		{"example.com//x", SourceExpression{}},
		{"example.com/a?b", SourceExpression{}},
		{"example.com/a#b", SourceExpression{}},
		{"example.com/a,b", SourceExpression{}},
		{"example.com/a;b", SourceExpression{}},
		{"example.com/%zz", SourceExpression{}},
		{"example.com/%4", SourceExpression{}},
		{"1http://example.com", SourceExpression{}},
		{"https://", SourceExpression{}},
		{"https:///", SourceExpression{}},
		{"https://exa_mple.com", SourceExpression{}},
		{"[::1]", SourceExpression{}},
		{"ex\u00e4mple.com", SourceExpression{}},
		{"https://user@example.com", SourceExpression{}},
	}
	for _, tt := range tests {
		if got := ParseSourceExpression(tt.in); got != tt.want {
			t.Errorf("ParseSourceExpression(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

// TestTraceNamesSteps checks that a trace records the deciding step.
func TestTraceNamesSteps(t *testing.T) {
	var tr Trace
	MatchURLToSourceExpression(MustParseURL("https://example.com/"), "http://example.com:80", origin(t, "https://a.example"), 0, &tr)
	s := tr.String()
	for _, want := range []string{"#match-url-to-source-expression", "#match-ports step 6", "step 3.5"} {
		if !strings.Contains(s, want) {
			t.Errorf("trace lacks %q:\n%s", want, s)
		}
	}
}
