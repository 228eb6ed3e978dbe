package engine

import (
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// TestEveryByteInAPathPartAsModel puts each of the 256 bytes, alone and
// between two letters, in the path-part of a host-source, and requests the
// URL of that very path (its bytes as written, and percent-encoded): the
// engine must decide as the model does, on the first request's scan
// (scan.go) and on the compiled lists. The path-part grammar
// (#grammardef-path-part, path-absolute of RFC 3986 without ';' and ',')
// allows letters, digits, "/", "%" and two hex digits, and each of
// "-._~!$&'()*+=:@"; a source with any other byte there is no source and
// matches nothing, so a byte of the set wrongly refused blocks a request
// the model allows.
func TestEveryByteInAPathPartAsModel(t *testing.T) {
	self, err := ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	const hex = "0123456789ABCDEF"
	allowedBytes := map[byte]bool{}
	for b := 0; b < 256; b++ {
		c := string([]byte{byte(b)})
		encoded := "/a%" + string(hex[b>>4]) + string(hex[b&15]) + "b"
		for _, path := range []string{"/" + c, "/a" + c + "b", "/a/" + c + "/"} {
			for _, target := range []string{path, encoded} {
				u, err := model.ParseURL("https://a.example" + target)
				if err != nil {
					continue
				}
				for _, source := range []string{"a.example" + path, "https://a.example" + path} {
					deliveries := []model.PolicyDelivery{{Value: "connect-src " + source}}
					env := model.Environment{CSPList: model.NewCSPList(deliveries, self, nil)}
					md, err := model.DecideRequest(env, model.Request{URLList: []model.URL{u}}, nil)
					if err != nil {
						t.Fatalf("the model: %q for %s: %v", source, u.String(), err)
					}
					if md.Verdict == model.Allowed && target == "/a"+c+"b" {
						allowedBytes[byte(b)] = true
					}
					compiled := Compile(deliveries, self)
					var d Decision
					r := &Request{URLs: []model.URL{u}}
					// A fresh CSP decides by scanning; compiled decides
					// from its lists after its first request.
					for i, csp := range []*CSP{Compile(deliveries, self), compiled, compiled} {
						if err := csp.Decide(r, &d); err != nil || d.Verdict != md.Verdict {
							t.Errorf("connect-src %q, %s (decision %d): engine %v (%v), model %v", source, u.String(), i, d.Verdict, err, md.Verdict)
						}
					}
				}
			}
		}
	}
	// Each byte the grammar allows matches its own path, written as is:
	// a test that allowed none of them would hold nothing.
	for _, c := range []byte("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-._~!$&'()*+=:@") {
		if !allowedBytes[c] {
			t.Errorf("the model blocks https://a.example/a%cb under connect-src a.example/a%cb; the path-part grammar allows %q", c, c, c)
		}
	}
}
