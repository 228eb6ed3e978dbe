package model

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"strings"
	"testing"
)

// Helpers shared by the tests of the checks beyond requests.

// digest returns "'<alg>-<base64>'" for text, computed here from the text so
// that no test trusts a literal digest. url selects the base64url alphabet;
// unpadded drops the "=" padding.
func digest(alg, text string, url, unpadded bool) string {
	var sum []byte
	switch alg {
	case "sha256":
		s := sha256.Sum256([]byte(text))
		sum = s[:]
	case "sha384":
		s := sha512.Sum384([]byte(text))
		sum = s[:]
	case "sha512":
		s := sha512.Sum512([]byte(text))
		sum = s[:]
	}
	enc := base64.StdEncoding
	if url {
		enc = base64.URLEncoding
	}
	v := enc.EncodeToString(sum)
	if unpadded {
		v = strings.TrimRight(v, "=")
	}
	return "'" + alg + "-" + v + "'"
}

func script(attrs ...string) *Element {
	e := &Element{LocalName: "script"}
	for i := 0; i+1 < len(attrs); i += 2 {
		e.Attributes = append(e.Attributes, Attribute{attrs[i], attrs[i+1]})
	}
	return e
}

// env returns the Environment of a Window at https://example.com whose CSP
// list holds the given enforced header policies; a policy prefixed with
// "report:" is delivered report-only.
func env(policies ...string) Environment {
	var deliveries []PolicyDelivery
	for _, p := range policies {
		d := PolicyDelivery{Value: p, Disposition: Enforce, Source: HeaderSource}
		if rest, ok := strings.CutPrefix(p, "report:"); ok {
			d.Value, d.Disposition = rest, Report
		}
		deliveries = append(deliveries, d)
	}
	self := MustParseURL("https://example.com/page")
	return Environment{CSPList: NewCSPList(deliveries, URLOrigin(self), nil), URL: &self}
}

// vio is the part of a violation the tables below compare.
type vio struct {
	directive, effective, blockedURI, disposition, sample, check, target string
}

func vios(d Decision) []vio {
	var out []vio
	for _, v := range d.Violations {
		out = append(out, vio{v.Directive, v.EffectiveDirective, ObtainViolationBlockedURI(v.Resource), string(v.Disposition), v.Sample, string(v.Check), v.EventTarget})
	}
	return out
}

func sameVios(got, want []vio) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

func navRequest(t *testing.T, urls ...string) Request {
	t.Helper()
	var r Request
	for _, u := range urls {
		r.URLList = append(r.URLList, MustParseURL(u))
	}
	r.Destination, r.Mode = "document", "navigate"
	return r
}

func evalOf(code string) Compilation {
	return Compilation{Type: CompileEval, BodyString: code, CodeString: code, BodyArg: ScriptValue{Data: code}}
}
