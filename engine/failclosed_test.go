package engine

import (
	"errors"
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// TestDecideFailsClosed: every request Decide refuses leaves the verdict
// Blocked, even in a Decision that last held an Allowed verdict, so a caller
// who forgets the error fails closed.
func TestDecideFailsClosed(t *testing.T) {
	self, err := ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	c := Compile([]model.PolicyDelivery{{Value: "img-src *"}}, self)
	parse := func(s string) model.URL {
		u, err := ParseURL(s)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	for name, r := range map[string]Request{
		"empty URL list":         {Kind: KindFetch},
		"fetch with credentials": {Kind: KindFetch, URLs: []model.URL{parse("https://u:p@example.com/")}},
		"beacon to data:":        {Kind: KindBeacon, URLs: []model.URL{parse("data:,x")}},
		"WebSocket to ftp:":      {Kind: KindWebSocket, URLs: []model.URL{parse("ftp://example.com/")}},
		"redirected WebSocket":   {Kind: KindWebSocket, URLs: []model.URL{parse("wss://example.com/"), parse("https://example.com/")}},
		"redirect to data:":      {Kind: KindFetch, URLs: []model.URL{parse("https://example.com/"), parse("data:,x")}},
		"a kind past WebSocket":  {Kind: KindWebSocket + 1, URLs: []model.URL{parse("https://example.com/")}},
		"kind 255":               {Kind: 255, URLs: []model.URL{parse("https://example.com/")}},
	} {
		d := Decision{Verdict: model.Allowed}
		err := c.Decide(&r, &d)
		if !errors.Is(err, ErrRequest) {
			t.Errorf("%s: error %v, want ErrRequest", name, err)
		}
		if d.Verdict == model.Allowed {
			t.Errorf("%s: the error leaves verdict Allowed", name)
		}
	}
	// No request at all: refused, not a panic, and nothing left of the
	// decision before.
	d := Decision{Verdict: model.Allowed, Violations: make([]Violation, 1)}
	if err := c.Decide(nil, &d); !errors.Is(err, ErrRequest) || d.Verdict != model.Blocked || len(d.Violations) != 0 {
		t.Errorf("a nil request: %v, %v, %d violations; want ErrRequest, Blocked, none", err, d.Verdict, len(d.Violations))
	}
}
