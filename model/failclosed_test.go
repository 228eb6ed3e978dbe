package model

import (
	"errors"
	"testing"
)

// TestFailClosed: a verdict nobody set is not Allowed, and every error
// Decide returns comes with a Blocked verdict, so a caller who forgets the
// error fails closed.
func TestFailClosed(t *testing.T) {
	var zero Verdict
	if zero == Allowed {
		t.Fatal("the zero Verdict reads as Allowed")
	}
	list := NewCSPList([]PolicyDelivery{{Value: "img-src *"}}, MustParseOrigin("https://example.com"), nil)
	ws, err := NewWebSocketRequest("wss://example.com/")
	if err != nil {
		t.Fatal(err)
	}
	ws.URLList = append(ws.URLList, MustParseURL("https://example.com/next"))
	for name, req := range map[string]Request{
		"empty URL list":       {},
		"redirected WebSocket": ws,
	} {
		d, err := Decide(list, req, nil)
		if !errors.Is(err, ErrBadRequest) {
			t.Errorf("%s: error %v, want ErrBadRequest", name, err)
		}
		if d.Verdict == Allowed {
			t.Errorf("%s: the error comes with verdict Allowed", name)
		}
	}
}

func MustParseOrigin(s string) Origin {
	o, err := ParseOrigin(s)
	if err != nil {
		panic(err)
	}
	return o
}
