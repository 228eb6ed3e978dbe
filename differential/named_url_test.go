package differential

import "testing"

// TestNamedURL: the URL a host-source names keeps its scheme, host, port
// and path, stands in for wildcards, and follows the self-origin's scheme
// (or https) without a scheme of its own.
func TestNamedURL(t *testing.T) {
	for _, c := range []struct{ src, self, want string }{
		{"example.com", "http", "http://example.com/"},
		{"example.com", "null", "https://example.com/"},
		{"wss://*.example.com:8443/a-b/", "https", "wss://a.example.com:8443/a-b/"},
		{"*:*", "ftp", "ftp://a.example/"},
		{"[::1]:80/x", "https", "https://[::1]:80/x"},
		{"[::1]", "https", "https://[::1]/"},
		{"own.test:/p", "https", "https://oxn.test/p"},
		{"own.test:12a/p", "https", "https://oxn.test/p"},
		{"OWN.test:0080", "https", "https://oxn.test:0080/"},
	} {
		if got := namedURL(c.src, c.self, "own.test", "oxn.test"); got != c.want {
			t.Errorf("namedURL(%q, %q) = %q, want %q", c.src, c.self, got, c.want)
		}
	}
}
