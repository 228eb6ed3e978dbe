package fuzz

import "strings"

// urlTokens are pieces of URLs that decide which parser takes a URL and
// how, each several bytes long, so that byte mutations rarely write one
// where it matters: an encoded dot, dot segments, the scheme separator,
// special and non-special schemes, an IPv6 host, an xn-- label, escapes
// of '%' and '/', a hexadecimal IPv4 part, a port past 65535 and a
// character IDNA maps.
var urlTokens = [...]string{
	"", "%2e", "%2E", "..", "://", "custom", "https", "wss", "data:", "[::1]",
	"xn--", "%25", "%2f", "0x", "65536", "\u1E9E",
}

// urlReadings are the ways FuzzURLFastPath reads its input: as it is;
// when it holds a byte from 0x01 to 0x0F, with each such byte standing for
// that entry of urlTokens, so that a single byte's mutation writes a whole
// token anywhere in a URL; when it holds a byte from 0x80 up, with each
// such byte standing for the Latin-1 character of that number (latin1),
// so that one byte writes any character of the fast path's Punycode
// repertoire; and, when it is long enough, as a URL composed of parts
// (composedURL). FuzzURLFastPath also reads each of these once more as
// the full parser writes it: a host of Unicode labels then becomes the
// xn-- labels whose fast path and allocations the target checks, which
// byte mutation of a Punycode label itself rarely writes.
func urlReadings(s string) []string {
	readings := []string{s}
	if t, ok := spellWith(s, urlTokens[:], 1); ok {
		readings = append(readings, t)
	}
	if l, ok := latin1(s); ok {
		readings = append(readings, l)
	}
	if c, ok := composedURL(s); ok {
		readings = append(readings, c)
	}
	return readings
}

// latin1 reads s as Latin-1: each byte from 0x80 up is the character of
// that number, written in UTF-8. It reports false when s has no such byte.
func latin1(s string) (string, bool) {
	i := 0
	for i < len(s) && s[i] < 0x80 {
		i++
	}
	if i == len(s) {
		return s, false
	}
	var b strings.Builder
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		b.WriteRune(rune(s[i]))
	}
	return b.String(), true
}

// urlParts are the parts composedURL puts together, in URL order: each
// part's table has the usual spelling, the edges of what the fast path
// takes, and the first spelling of what it leaves to the full parser.
var urlParts = [...][]string{
	{"https", "http", "ws", "wss", "ftp", "custom", "HTTPS", "Wss", "data", "blob", "about", "mailto", "file", "javascript", "c+1.x-y", "a0000000000000000000000000000000x"},
	{"://", ":", ":/", ":///", "://\\", ":\\"},
	{"", "user@", "user:pass@", ":pw@", "u:1p@", "a@b@", "u~_.-:p~_.-@", "u%41@", "u:p@", "u:@"},
	{"example.com", "EXAMPLE.com", "10.0.0.1", "[::1]", "[1::]", "[1:2:3:4:5:6:7:8]", "xn--mnchen-3ya.de", "example.com.", "h_st.example", "h%41st", "", "a-b.example", "127.0.0.01", "h.1a", "ab--c.example", "xn--bda."},
	{"", ":0", ":80", ":443", ":65535", ":65536", ":", ":021"},
	{"", "/", "/a/b", "/a/../b", "/%2e/", "/a%41", "/a b", "/a{b}", "/~x", "/a\\b", "//x", "/."},
	{"", "?", "?q=1", "?a'b", "?a b", "?a\"b"},
	{"", "#", "#f", "#a`b", "#a b"},
}

// composedURL reads s as a URL put together from urlParts: its first
// len(urlParts) bytes choose an entry of each part's table, the next one
// which part the rest of s goes into, and the one after where in that
// part's entry it is written. A fuzzer then reaches every combination of
// parts (a kind of host with a kind of fragment, say) and every edit
// inside one (a ninth piece inside an IPv6 address), which mutating whole
// URLs byte by byte rarely writes.
func composedURL(s string) (string, bool) {
	n := len(urlParts)
	if len(s) <= n+1 {
		return "", false
	}
	into, text := int(s[n])%n, s[n+2:]
	var b strings.Builder
	for i, table := range urlParts {
		entry := table[int(s[i])%len(table)]
		if i == into {
			at := int(s[n+1]) % (len(entry) + 1)
			entry = entry[:at] + text + entry[at:]
		}
		b.WriteString(entry)
	}
	return b.String(), true
}

// urlSeeds sit on the fast path's edges: what it accepts, and the first
// character of everything it hands to the full parser.
var urlSeeds = []string{
	// The fast path's Punycode repertoire at its edges: ß, ö, ÷ (outside
	// it), ø and ÿ between a and b.
	"https://xn--ab-gia.example/", "https://xn--ab-fka.example/", "https://xn--ab-ika.example/",
	"https://xn--ab-lka.example/", "https://xn--ab-6ka.example/",
	"https://example.com/", "http://example.com", "HTTPS://EXAMPLE.COM/", "https://Example.com/",
	"wss://a.b.example.com:8443/chat?x=1#f", "ws://example.com:80/", "https://example.com:443",
	"https://example.com:0/", "https://example.com:65535/", "https://example.com:65536/", "https://example.com:/",
	"https://example.com:00443/", "https://10.0.0.1/", "https://example.123/", "https://example.0x1/",
	"https://xn--tdaaaaaa.de/", "https://üüüüüü.de/", "https://ex%41mple.com/", "https://-x.example/",
	"https://a--b.example/", "https://ab--c.example/", "https://example..com/", "https://.example.com/",
	"https://example.com./", "https://user:pass@example.com/", "https://example.com\\path",
	"https://example.com/a/../b", "https://example.com/a/./b", "https://example.com/%2e/", "https://example.com/%2E%2E",
	"https://example.com/a b", "https://example.com/a^b", "https://example.com/a`b", "https://example.com/a{b}",
	"https://example.com/?a b", "https://example.com/?a'b", "https://example.com/#a b", "https://example.com/#a`b",
	"https://example.com/%zz", "https://example.com/%4", " https://example.com/", "https://example.com/\t",
	"https://exa\nmple.com/", "https:example.com", "https:/example.com", "https:///example.com",
	"ftp://example.com/", "data:,x", "blob:https://example.com/x", "javascript:alert(1)", "https://[::1]/",
	"https://example.com/ä", "https://example.com/?ä", "https://example.com/#ä", "https://exam_ple.com/",
	// IP addresses, upper case, dot segments and encoding, which the fast
	// path handles itself.
	"https://127.0.0.1/", "https://127.0.0.01/", "https://256.0.0.1/", "https://1.2.3.4.5/", "https://1.2.3/", "https://1.2.3.4./",
	"https://[::]/", "https://[1::]/", "https://[::1:2:3:4:5:6:7]/", "https://[1:2:3:4:5:6:7::]/", "https://[1:2:3:4::5:6:7:8]/",
	"https://[0:0:0:0:0:0:0:1]:8080/", "https://[1:0:0:2:0:0:0:3]/", "https://[ABCD::EF]/", "https://[12345::]/", "https://[1:]/",
	"https://[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]/", // the longest serialization
	"https://[::1.2.3.4]/", "https://[::1]x/", "https://[::1", "HTTPS://EXAMPLE.COM/A", "https://Xn--bcher-kva.example/",
	"https://example.com/a/%2e", "custom://host/a/%2E%2e", "wss://example.com/%2e?q", "custom://host/a%2e",
	"https://example.com/a/b/../../..", "https://example.com/a//../b", "https://example.com/a/.", "https://example.com/..?q",
	"https://example.com/a\x7fb", "https://example.com/a\x01b", "https://example.com/?a\x01b#c\x7f", "https://example.com/x ",
	"https://example.com/{a}?<b>#`c`", "https://example.com/a%2fb",
	// Credentials, then an '@' past the authority (in the path, the
	// query, the fragment): the authority ends at the first '/', '?' or
	// '#', so only the first '@' is the credentials'.
	"https://user@example.com/a@b", "https://user:pw@example.com/?q@x", "https://user@example.com/#f@g", "https://user@example.com?q@x",
	// A username that ends in a digit before a password that does not
	// start with one, and the reverse: only the byte after the ':' tells
	// a password from a port.
	"https://a1:pw@example.com/", "https://ab:1pw@example.com/", "https://a1:8080/", "https://ab:8080/",
	"https://xn--bcher-kva.example/", "https://XN--BCHER-KVAA.example/", "https://xn--zca.xn--tdaaaaaa.de/", "https://xn--bcher-kva0.example/",
	"data:text/plain,a?b#c", "data:,x y", "data: x", "DATA:,x", "blob:https://example.com/uuid", "about:blank", "mailto:a@b?x#`",
	"ftp://example.com:21/f", "FTP://Example.com/../f?q", "data:,a?\"#<",
	"custom://Host.Example:8080/a/../b?x'y#z", "custom://host", "CuStOm+1.x-y://h/p", "custom://[::1]:0/", "custom://127.0.0.1/", "custom://h%41st/",
	"file://host/x", "custom://a b/", "custom:///x", "custom://h:99999/", "custom://host/?a'b",
	"https://[1:2:3:4:5:6:7:8:9]/", "custom://[1:2:3:4:5:6:7:8:9]/", "data:,x?a\"b", "mailto:a?<b>",
	"https://xn--wgv71a.example/", "https://xn--ls8h.example/", "https://xn--mnchen-3ya.de/", "https://xn--a-ecp.example/", "https://xn--ss-.example/",
	// Punycode whose deltas overflow the decoder's bounds: a weight and a
	// delta past 2^30.
	"https://xn--99999999999999999999.example/", "https://xn--ab-zzzzzzzzzzzzzzzzzzzzzz.example/",
	// Labels of several Latin-1 letters, whose later deltas take more than
	// one digit and so read the bias the decoder adapts.
	"https://xn--0car2d.example/", "https://xn--zcacdefghijklmnopqrstuvwxy4c0a1a2a3a4a5a6a.example/",
	// Hyphens in a label's basic part: the delimiter is the last one.
	"https://xn--a-b-joa.example/", "https://xn--x-y-z-pqa7r.example/",
	// A blob: URL's origin is its inner URL's for http: as for https:, and
	// opaque for an inner URL of any other scheme (#concept-url-origin),
	// special or not, or none.
	"blob:http://example.com/uuid", "blob:http://example.com:8080/uuid", "blob:HTTPS://Example.com:443/uuid",
	"blob:ftp://example.com/uuid", "blob:ws://example.com/uuid", "blob:wss://example.com/uuid", "blob:file:///uuid",
	"blob:custom://example.com/uuid", "blob:data:,x", "blob:blob:https://example.com/uuid", "blob:null/uuid", "blob:",
}
