package model

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestVocabulary(t *testing.T) {
	for got, want := range map[string]string{
		Matches.String(): "Matches", DoesNotMatch.String(): "Does Not Match",
		Allowed.String(): "Allowed", Blocked.String(): "Blocked",
		Yes.String(): "Yes", No.String(): "No",
		HostSource.String(): "host-source", NoProduction.String(): "no production",
		SourceExpressionKind(99).String(): "unknown", HostKind(99).String(): "HostKind(99)",
		IPv6Host.String(): "IPv6 address", Host{}.String(): "null",
		IsNonceable.String(): "Nonceable", NotNonceable.String(): "Not Nonceable",
		Allows.String(): "Allows", DoesNotAllow.String(): "Does Not Allow",
		WorkerGlobal.String(): "WorkerGlobalScope", GlobalKind(9).String(): "GlobalKind(9)",
	} {
		if got != want {
			t.Errorf("String() = %q, want %q", got, want)
		}
	}
	if got := strings.Join(KindNames(), ","); got != "beacon,eventsource,fetch,ping,websocket,xhr" {
		t.Errorf("KindNames() = %s", got)
	}
}

func TestURLOrigin(t *testing.T) {
	tests := []struct{ url, want string }{
		{"https://example.com:443/x", "https://example.com"},
		{"http://example.com:8080/", "http://example.com:8080"},
		{"ws://example.com/", "ws://example.com"},
		{"ftp://example.com/", "ftp://example.com"},
		{"blob:https://example.com/uuid", "https://example.com"},
		{"blob:ftp://example.com/uuid", "null"},
		{"blob:not a url", "null"},
		{"file:///etc/passwd", "null"},
		{"data:text/plain,x", "null"},
		{"https://[::1]:8443/", "https://[::1]:8443"},
	}
	for _, tt := range tests {
		if got := URLOrigin(MustParseURL(tt.url)).String(); got != tt.want {
			t.Errorf("URLOrigin(%s) = %s, want %s", tt.url, got, tt.want)
		}
	}
	a, b := NewOpaqueOrigin(), NewOpaqueOrigin()
	if SameOrigin(a, b) || !SameOrigin(a, a) || SameOrigin(a, URLOrigin(MustParseURL("https://a.example/"))) {
		t.Errorf("opaque origins: same-origin relation is wrong")
	}
	if _, err := ParseOrigin("not an origin"); err == nil {
		t.Errorf("ParseOrigin(\"not an origin\") did not fail")
	}
}

func TestStripURLForUseInReports(t *testing.T) {
	tests := []struct{ url, want string }{
		{"https://user:pw@example.com/p?q#f", "https://example.com/p?q"}, // 2-5
		{"http://example.com/#", "http://example.com/"},                  // 2: an empty fragment goes too (A6)
		{"https://example.com:8443/p", "https://example.com:8443/p"},     // 5
		{"wss://example.com/chat", "wss"},                                // 1
		{"data:text/plain,secret", "data"},                               // 1
		{"blob:https://example.com/uuid", "blob"},                        // 1
	}
	for _, tt := range tests {
		if got := StripURLForUseInReports(MustParseURL(tt.url)); got != tt.want {
			t.Errorf("StripURLForUseInReports(%s) = %q, want %q", tt.url, got, tt.want)
		}
	}
	if got := ObtainViolationBlockedURI(Resource{}); got != "" {
		t.Errorf("ObtainViolationBlockedURI(null) = %q, want \"\"", got)
	}
}

func TestURLRecord(t *testing.T) {
	if !libraryLayout.ok {
		t.Fatalf("%v", ErrURLLayout)
	}
	u := MustParseURL("HTTPS://User:Pw@EXAMPLE.com:443/a/../b?q=1#frag")
	if u.Scheme != "https" || u.Username != "User" || u.Password != "Pw" || u.Host != (Host{DomainHost, "example.com"}) ||
		u.Port != -1 || u.Path != "/b" || !u.HasQuery || u.Query != "q=1" || !u.HasFragment || u.Fragment != "frag" {
		t.Errorf("ParseURL gave %+v", u)
	}
	if got := u.String(); got != "https://User:Pw@example.com/b?q=1#frag" {
		t.Errorf("String() = %q", got)
	}
	for in, want := range map[string]string{
		"web+demo:/.//not-a-host/": "web+demo:/.//not-a-host/", // serializer step 3
		"https://example.com/?":    "https://example.com/?",    // empty, non-null query
		"https://example.com/#":    "https://example.com/#",    // empty, non-null fragment
		"file:///x":                "file:///x",                // empty host
		"https://a.example:0/":     "https://a.example:0/",     // port 0 is kept
		"https://\u1E9E.com/":      "https://xn--zca.com/",     // sharpSHost: not ss.com
		"https://%E1%BA%9E.com/":   "https://xn--zca.com/",     // sharpSHost, percent-encoded
		"sc://\u1E9E/":             "sc://%E1%BA%9E/",          // an opaque host is not mapped
		"sc://a\u1E9Eb.example/x":  "sc://a%E1%BA%9Eb.example/x",
		"https://a.example/^":      "https://a.example/%5E", // ^ in the path percent-encode set
		"sc:opaque ?q":             "sc:opaque%20?q",        // the last space of an opaque path
	} {
		if got := MustParseURL(in).String(); got != want {
			t.Errorf("ParseURL(%q).String() = %q, want %q", in, got, want)
		}
	}
	if u, err := ParseURL("https://%25\u1E9E.com/"); err == nil {
		t.Errorf("ParseURL(%q) = %s, want failure (a %% in a domain)", "https://%25\u1E9E.com/", u)
	}
	defer func() {
		if recover() == nil {
			t.Errorf("MustParseURL of an invalid URL did not panic")
		}
	}()
	MustParseURL("::")
}

func TestRequestAccessors(t *testing.T) {
	var r Request
	if r.URL() != (URL{}) || r.CurrentURL() != (URL{}) {
		t.Errorf("an empty URL list has no URL")
	}
	if !IsDestination("") || !IsDestination("image") || IsDestination("img") || IsDestination("beacon") {
		t.Errorf("IsDestination is wrong")
	}
}

// TestDestinationsList: IsDestination's switch accepts exactly the values
// Destinations lists. Every listed value is accepted, and every value the
// switch names (read from its source) is listed, so neither can gain a
// destination without the other.
func TestDestinationsList(t *testing.T) {
	list := Destinations()
	for _, d := range list {
		if !IsDestination(d) {
			t.Errorf("Destinations lists %q, which IsDestination refuses", d)
		}
	}
	f, err := parser.ParseFile(token.NewFileSet(), "request.go", nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	named := 0
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Name.Name != "IsDestination" {
			continue
		}
		ast.Inspect(fn, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				v, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				named++
				if !slices.Contains(list, v) {
					t.Errorf("IsDestination accepts %q, which Destinations does not list", v)
				}
			}
			return true
		})
	}
	if named != len(list) {
		t.Errorf("IsDestination names %d values, Destinations lists %d", named, len(list))
	}
	if list[0] != "" {
		t.Errorf("Destinations()[0] = %q, want \"\" first", list[0])
	}
}

// TestZeroDeliveryIsEnforcedHeader: a delivery with only a value must not be
// dropped (that would allow what the policy blocks).
func TestZeroDeliveryIsEnforcedHeader(t *testing.T) {
	self, _ := ParseOrigin("https://example.com")
	list := NewCSPList([]PolicyDelivery{{Value: "connect-src 'none'"}}, self, nil)
	if len(list.Policies) != 1 || list.Policies[0].Disposition != Enforce || list.Policies[0].Source != HeaderSource {
		t.Fatalf("policies %+v, want one enforced header policy", list.Policies)
	}
	// An unknown source is not dropped either: it is kept, so that the
	// list is refused (TestUnnamedDeliveryIsRefused).
	list = NewCSPList([]PolicyDelivery{{Value: "connect-src 'none'", Source: "carrier-pigeon"}}, self, nil)
	if len(list.Policies) != 1 || list.Policies[0].Source != "carrier-pigeon" {
		t.Errorf("an unknown source delivered %+v, want its policy kept as given", list.Policies)
	}
}
