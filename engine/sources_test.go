package engine_test

import (
	"testing"

	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// TestSourceExpressionsAsModel matches source expressions at the edges of
// the grammar (a "://" that is not after a scheme, host-parts with stray
// dots and stars, ports past 65535, cases, percent-encoded paths, schemes
// CSP does not treat specially) against URLs near them, alone and in long
// lists, and expects the model's answer every time.
func TestSourceExpressionsAsModel(t *testing.T) {
	expressions := []string{
		"example.com/x://y", "example.com/a/b://c/", "1ab://example.com", "http://example.com/x://y", "ex_ample://example.com",
		"example.com", "EXAMPLE.COM", "Example.Com.", "example.com.", "example.com..", ".example.com", "*.example.com", "*.EXAMPLE.com",
		"*.", "*..com", "*", "**", "*a.com", "a*.com", "*:*", "*:443", "*/", "*.com:*/x/", "example..com", "-a.example.com",
		"example.com:443", "example.com:0443", "example.com:65535", "example.com:65536", "example.com:99999999999", "example.com:",
		"example.com:*", "example.com:8x", "https://example.com:443/", "HTTPS://example.com", "Ws://example.com", "wss://*.example.com:*",
		"custom+x://example.com", "CUSTOM+X://example.com/p", "custom+x:", "ftp://example.com", "example.com/a%2Fb", "example.com/A%2fb/",
		"example.com/%7e/", "example.com/a;b", "example.com//a", "example.com/", "example.com/a/", "example.com/a", "'self'", "https:",
		"data:", "blob:", "'none'",
	}
	urls := []string{
		"https://example.com/x://y", "https://example.com/a/b://c/d", "https://example.com/", "http://example.com/", "https://example.com:8443/",
		"https://a.example.com/", "https://example.com./", "wss://example.com/", "ws://example.com:80/", "ftp://example.com/",
		"custom+x://example.com/p", "custom+x://EXAMPLE.com/", "https://example.com/a%2Fb", "https://example.com/a%2fb/c", "https://example.com/~/",
		"https://example.com/%7E/", "https://example.com/a", "https://example.com/a/", "https://com/", "https://.com/", "data:,x",
		"https://example.com:65535/", "https://example.com:0/",
	}
	origins := []string{"https://example.com", "http://example.com:8080", "null"}
	padding := []string{"pad0.invalid", "*.pad1.invalid", "https://pad2.invalid:8443", "*.a.b.pad3.invalid", "pad4.invalid/p/",
		"*.pad5.invalid:*", "http://pad6.invalid", "wss://*.pad7.invalid", "pad8.invalid:80", "*.pad9.invalid/x", "pad10.invalid",
		"*.pad11", "pad12.invalid", "*.x.pad13.invalid", "pad14.invalid", "pad15.invalid", "pad16.invalid"}
	for _, o := range origins {
		origin, err := model.ParseOrigin(o)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range urls {
			u, err := model.ParseURL(s)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range expressions {
				for _, list := range [][]string{{e}, append([]string{e}, padding...), append(append([]string(nil), padding...), e)} {
					for rc := range 2 {
						want := model.MatchURLToSourceList(u, list, origin, rc, nil) == model.Matches
						if got := engine.MatchSourceList(list, u, origin, rc); got != want {
							t.Errorf("%q (%d expressions) vs %s, origin %s, redirect count %d: engine %v, model %v", e, len(list), s, o, rc, got, want)
						}
					}
				}
			}
		}
	}
}

// TestHandBuiltSelfOriginsAsModel matches 'self', '*' and scheme-less
// host-sources under self-origins no URL gives but a caller can build: a
// tuple origin of a scheme CSP does not number, ports past 16 bits or
// negative, an empty scheme, an IP address spelled as a domain. The
// compiled self-origin keeps the scheme as a number and the port in 16
// bits, so each of these must still decide as the model does (a port past
// 65535 must not read as null and allow the default port).
func TestHandBuiltSelfOriginsAsModel(t *testing.T) {
	domain := model.Host{Kind: model.DomainHost, Serialized: "example.com"}
	ip := model.Host{Kind: model.IPv4Host, Serialized: "127.0.0.1"}
	ipAsDomain := model.Host{Kind: model.DomainHost, Serialized: "127.0.0.1"}
	var origins []model.Origin
	for _, scheme := range []string{"https", "http", "wss", "ftp", "custom+x", "CUSTOM+X", ""} {
		for _, host := range []model.Host{domain, ip, ipAsDomain} {
			for _, port := range []int{-1, 0, 80, 443, 65535, 65536, 70000, -5} {
				origins = append(origins, model.Origin{Scheme: scheme, Host: host, Port: port})
			}
		}
	}
	expressions := [][]string{{"'self'"}, {"*"}, {"example.com"}, {"127.0.0.1"}, {"*.com:*"}, {"custom+x:"}, {"'self'", "pad.invalid", "*.pad.invalid"}}
	urls := []string{
		"https://example.com/", "http://example.com/", "https://example.com:443/", "http://example.com:80/", "https://example.com:0/",
		"https://example.com:65535/", "wss://example.com/", "ws://example.com/", "ftp://example.com/", "custom+x://example.com/",
		"custom+x://example.com:70/", "http://127.0.0.1/", "https://127.0.0.1:443/", "blob:https://example.com/uuid",
		"blob:http://127.0.0.1/uuid",
	}
	for _, origin := range origins {
		for _, s := range urls {
			u, err := model.ParseURL(s)
			if err != nil {
				t.Fatal(err)
			}
			for _, list := range expressions {
				want := model.MatchURLToSourceList(u, list, origin, 0, nil) == model.Matches
				if got := engine.MatchSourceList(list, u, origin, 0); got != want {
					t.Errorf("%q vs %s, self-origin %+v: engine %v, model %v", list, s, origin, got, want)
				}
			}
		}
	}
}
