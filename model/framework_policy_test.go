package model

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseSerializedPolicy(t *testing.T) {
	tests := []struct {
		in   string
		want []Directive
	}{
		{"", nil},         // 3.2: empty token
		{" ; ;; \t", nil}, // 3.1-3.2
		{"connect-src https://example.com/", []Directive{{"connect-src", []string{"https://example.com/"}}}},
		{"CONNECT-Src 'SELF'", []Directive{{"connect-src", []string{"'SELF'"}}}},                   // 3.4: names lowercased, values kept
		{"connect-src", []Directive{{"connect-src", nil}}},                                         // 3.6: empty value
		{"connect-src\t a \n b\fc\rd", []Directive{{"connect-src", []string{"a", "b", "c", "d"}}}}, // 3.6: ASCII whitespace
		{"connect-src a; connect-src b", []Directive{{"connect-src", []string{"a"}}}},              // 3.5: first wins
		{"connect-src a; CONNECT-SRC b", []Directive{{"connect-src", []string{"a"}}}},              // 3.5 after 3.4
		{"connect-src https://ä.example; img-src *", []Directive{{"img-src", []string{"*"}}}},      // 3.2: non-ASCII token skipped
		{"connect-src a\u00a0b", nil}, // 3.2: U+00A0 is not ASCII
		{"default-src 'self';script-src 'none'", []Directive{{"default-src", []string{"'self'"}}, {"script-src", []string{"'none'"}}}},
		{"x-unknown foo; connect-src a", []Directive{{"x-unknown", []string{"foo"}}, {"connect-src", []string{"a"}}}}, // unknown names kept
		{"connect-src a, img-src b", []Directive{{"connect-src", []string{"a,", "img-src", "b"}}}},                    // "," is not special here
		{"\x00connect-src a", []Directive{{"\x00connect-src", []string{"a"}}}},                                        // no name grammar check
	}
	for _, tt := range tests {
		got := ParseSerializedPolicy(tt.in, HeaderSource, Enforce, nil)
		if diff := cmp.Diff(tt.want, got.DirectiveSet); diff != "" {
			t.Errorf("ParseSerializedPolicy(%q) directives mismatch (-want +got):\n%s", tt.in, diff)
		}
		if got.Source != HeaderSource || got.Disposition != Enforce {
			t.Errorf("ParseSerializedPolicy(%q) = source %q, disposition %q", tt.in, got.Source, got.Disposition)
		}
	}
}

func TestParseResponseCSP(t *testing.T) {
	resp := &Response{
		URLList: []URL{MustParseURL("https://example.com/page")},
		HeaderList: []Header{
			{"Content-Security-Policy-Report-Only", "img-src 'none'"},
			{"content-security-policy", "connect-src a, script-src b"},
			{"Content-Security-Policy", " , ;"},
			{"Content-Security-Policy", "default-src 'self'"},
			{"X-Other", "connect-src c"},
		},
	}
	got := ParseResponseCSP(resp, nil)
	type p struct {
		Text        string
		Disposition Disposition
	}
	var texts []p
	for _, pol := range got.Policies {
		texts = append(texts, p{pol.Text, pol.Disposition})
	}
	want := []p{
		{"connect-src a", Enforce},
		{"script-src b", Enforce},
		{"default-src 'self'", Enforce},
		{"img-src 'none'", Report},
	}
	if diff := cmp.Diff(want, texts); diff != "" {
		t.Errorf("ParseResponseCSP policies mismatch (-want +got):\n%s", diff)
	}
	if got.SelfOrigin.String() != "https://example.com" {
		t.Errorf("ParseResponseCSP self-origin = %s, want https://example.com", got.SelfOrigin)
	}
	if empty := ParseResponseCSP(&Response{}, nil); len(empty.Policies) != 0 || !empty.SelfOrigin.Opaque {
		t.Errorf("ParseResponseCSP(no headers, no URL) = %+v, want no policies and an opaque self-origin", empty)
	}
}

func TestMetaCSP(t *testing.T) {
	if _, ok := MetaCSP("", nil); ok {
		t.Errorf("MetaCSP(\"\") returned a policy")
	}
	p, ok := MetaCSP("sandbox; connect-src a; report-uri /r; frame-ancestors 'none'; report-to x", nil)
	if !ok {
		t.Fatalf("MetaCSP returned no policy")
	}
	want := []Directive{{"connect-src", []string{"a"}}, {"report-to", []string{"x"}}}
	if diff := cmp.Diff(want, p.DirectiveSet); diff != "" {
		t.Errorf("MetaCSP directives mismatch (-want +got):\n%s", diff)
	}
	if p.Source != MetaSource || p.Disposition != Enforce {
		t.Errorf("MetaCSP = source %q, disposition %q; want meta, enforce", p.Source, p.Disposition)
	}
}

func TestNewCSPList(t *testing.T) {
	deliveries := []PolicyDelivery{
		{Value: "img-src a", Disposition: Report, Source: HeaderSource},
		{Value: "connect-src b", Disposition: Enforce, Source: MetaSource},
		{Value: "connect-src c, font-src d", Disposition: Enforce, Source: HeaderSource},
		{Value: "connect-src e", Disposition: Report, Source: MetaSource}, // ignored
	}
	list := NewCSPList(deliveries, origin(t, "https://example.com"), nil)
	type p struct {
		Text     string
		Delivery int
		Source   PolicySource
	}
	var got []p
	for _, pol := range list.Policies {
		got = append(got, p{pol.Text, pol.Delivery, pol.Source})
	}
	want := []p{
		{"connect-src c", 2, HeaderSource},
		{"font-src d", 2, HeaderSource},
		{"img-src a", 0, HeaderSource},
		{"connect-src b", 1, MetaSource},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("NewCSPList mismatch (-want +got):\n%s", diff)
	}
}

func TestExtractHeaderListValues(t *testing.T) {
	if _, found := ExtractHeaderListValues("Content-Security-Policy", []Header{{"X", "y"}}); found {
		t.Errorf("ExtractHeaderListValues found a header that is absent")
	}
	got, found := ExtractHeaderListValues("content-security-policy", []Header{{"Content-Security-Policy", "a,b"}, {"CONTENT-SECURITY-POLICY", "c"}})
	if !found || !cmp.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("ExtractHeaderListValues = %q, %v; want [a b c], true", got, found)
	}
}

// TestCSPListTraceNamesTheGivenSelfOrigin: the trace of NewCSPList shows the
// self-origin the list has, never the opaque one #parse-response-csp step 4
// derives from the URL-less response it is run on.
func TestCSPListTraceNamesTheGivenSelfOrigin(t *testing.T) {
	self, err := ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	var tr Trace
	NewCSPList([]PolicyDelivery{{Value: "connect-src 'self'"}, {Value: "img-src *", Disposition: Report}}, self, &tr)
	out := tr.String()
	if strings.Contains(out, "self-origin null") {
		t.Errorf("the trace names an opaque self-origin:\n%s", out)
	}
	if n := strings.Count(out, "self-origin https://example.com, as given"); n != 2 {
		t.Errorf("the trace names the given self-origin %d times, want once per header:\n%s", n, out)
	}
}
