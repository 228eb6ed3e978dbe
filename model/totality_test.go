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
