package engine

import (
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// TestCanonicalIPv6HostsParseWithoutAllocating: a URL whose IPv6 host is
// already in its canonical form (lower case, the longest run of zero
// pieces compressed) keeps the input's bytes for the host, so parsing it
// allocates nothing; a host in another form is rewritten, as the model's
// parser does. Mutation testing showed that nothing noticed when the
// comparison with the canonical form never held (an allocation per URL).
func TestCanonicalIPv6HostsParseWithoutAllocating(t *testing.T) {
	for _, tc := range []struct {
		url       string
		canonical bool
	}{
		{"https://[::1]/", true},
		{"https://[2001:db8::1]:8443/p?q", true},
		{"wss://[fe80::1:2]/socket", true},
		// The longest serialization, 41 bytes with its brackets: the
		// serializer's buffer must hold it whole.
		{"https://[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]/", true},
		{"https://[1234:5678:9abc:def0:1234:5678:9abc:def0]:65535/", true},
		{"https://[2001:DB8::1]/", false},
		{"https://[0:0::1]/", false},
	} {
		want, err := model.ParseURL(tc.url)
		if err != nil {
			t.Fatalf("model: %q: %v", tc.url, err)
		}
		got, err := ParseURL(tc.url)
		if err != nil {
			t.Fatalf("engine: %q: %v", tc.url, err)
		}
		if got != want {
			t.Errorf("%q: engine %+v, model %+v", tc.url, got, want)
		}
		var u model.URL
		n := testing.AllocsPerRun(100, func() { _ = ParseURLInto(&u, tc.url) })
		if tc.canonical && n != 0 {
			t.Errorf("%q: %v allocations per parse, want 0 (the host is canonical)", tc.url, n)
		}
	}
}
