package engine

import (
	"errors"
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// TestUnnamedRequestFieldsAreRefused: a Request described by its
// destination whose Destination, Initiator or Mode is none Fetch names, or
// any Request whose ParserMetadata is, was decided as if the field were
// something else: a misspelt "img" by connect-src, which the policy here
// allows, so the image img-src 'none' blocks was Allowed. Each is refused,
// Blocked, with ErrRequest; every value Fetch names is decided.
func TestUnnamedRequestFieldsAreRefused(t *testing.T) {
	self, err := ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	c := Compile([]model.PolicyDelivery{{Value: "img-src 'none'; connect-src *; default-src *"}}, self)
	u, err := ParseURL("https://example.org/x.png")
	if err != nil {
		t.Fatal(err)
	}
	image := Request{Destination: "image", URLs: []model.URL{u}}
	faults := map[string]string{
		"destination img":             `destination "img"`,
		"destination Image":           `destination "Image"`,
		"initiator prefetch, spaced":  `initiator "prefetch "`,
		"mode CORS":                   `mode "CORS"`,
		"parser metadata, underscore": `parser metadata "parser_inserted"`,
		"a fetch's parser metadata":   `parser metadata "yes"`,
	}
	for name, r := range map[string]Request{
		"destination img":             {Destination: "img", URLs: image.URLs},
		"destination Image":           {Destination: "Image", URLs: image.URLs},
		"initiator prefetch, spaced":  {Destination: "image", Initiator: "prefetch ", URLs: image.URLs},
		"mode CORS":                   {Destination: "image", Mode: "CORS", URLs: image.URLs},
		"parser metadata, underscore": {Destination: "image", ParserMetadata: "parser_inserted", URLs: image.URLs},
		"a fetch's parser metadata":   {Kind: KindFetch, ParserMetadata: "yes", URLs: image.URLs},
	} {
		d := Decision{Verdict: model.Allowed}
		err := c.Decide(&r, &d)
		if !errors.Is(err, ErrRequest) || d.Verdict != model.Blocked || len(d.Violations) != 0 {
			t.Errorf("%s: %v, %v, %d violations; want ErrRequest and Blocked alone", name, err, d.Verdict, len(d.Violations))
		}
		// The error names the field at fault, and its value.
		if want := faults[name]; err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one that names %s", name, err, want)
		}
		// A request's own fault comes before a CSP's refusal.
		refusing := Compile([]model.PolicyDelivery{{Value: "img-src *", Disposition: "Enforce"}}, self)
		if err := refusing.Decide(&r, &d); !errors.Is(err, ErrRequest) {
			t.Errorf("%s, on a CSP that refuses: %v, want the request's own refusal first", name, err)
		}
	}
	// Every name Fetch gives is decided: the image one is blocked, all the
	// others allowed (connect-src * or default-src *).
	for _, dest := range []string{"", "audio", "audioworklet", "document", "embed", "font", "frame", "iframe",
		"image", "json", "manifest", "object", "paintworklet", "report", "script", "serviceworker",
		"sharedworker", "style", "text", "track", "video", "webidentity", "worker", "xslt"} {
		if !model.IsDestination(dest) {
			t.Fatalf("%q is no destination of the model's", dest)
		}
		r := Request{Destination: dest, URLs: image.URLs}
		var d Decision
		if err := c.Decide(&r, &d); err != nil || (d.Verdict == model.Blocked) != (dest == "image") {
			t.Errorf("destination %q: %v, %v", dest, d.Verdict, err)
		}
	}
	for _, f := range []struct {
		values []string
		set    func(*Request, string)
	}{
		{model.Initiators(), func(r *Request, v string) { r.Initiator = v }},
		{model.Modes(), func(r *Request, v string) { r.Mode = v }},
		{model.ParserMetadatas(), func(r *Request, v string) { r.ParserMetadata = v }},
	} {
		for _, v := range f.values {
			r := Request{Destination: "font", URLs: image.URLs}
			f.set(&r, v)
			var d Decision
			if err := c.Decide(&r, &d); err != nil {
				t.Errorf("%+v: refused: %v", r, err)
			}
		}
	}
}
