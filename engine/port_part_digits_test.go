package engine

import (
	"strconv"
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// TestPortPartsOfNonDigitsMatchNoPort compiles host-sources whose
// port-part holds something other than digits or a lone "*", which the
// grammar does not allow (#grammardef-port-part: 1*DIGIT / "*"), so the
// expression is no source and matches nothing. Read as a number anyway,
// such a port-part names some port ("8a" would be 129, "-1" 2531), so
// every port from 0 to 65535 is requested, on the first request's scan
// (scan.go) and on the compiled lists, and each must be blocked, as the
// model blocks the first.
func TestPortPartsOfNonDigitsMatchNoPort(t *testing.T) {
	self, err := ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	urls := make([]model.URL, 65536)
	for port := range urls {
		if urls[port], err = ParseURL("https://a.example:" + strconv.Itoa(port) + "/"); err != nil {
			t.Fatal(err)
		}
	}
	for _, part := range []string{"8a", "a8", "-1", "+80", "8.", "8_0", "0x50", "8%30", "80:", "*8", "8*"} {
		deliveries := []model.PolicyDelivery{{Value: "connect-src a.example:" + part}}
		env := model.Environment{CSPList: model.NewCSPList(deliveries, self, nil)}
		md, err := model.DecideRequest(env, model.Request{URLList: urls[129:130]}, nil)
		if err != nil || md.Verdict != model.Blocked {
			t.Fatalf("the model: a.example:%s decides %v, %v at port 129; want Blocked", part, md.Verdict, err)
		}
		compiled := Compile(deliveries, self)
		var d Decision
		for port := range urls {
			r := &Request{URLs: urls[port : port+1]}
			// A fresh CSP decides by scanning; compiled decides from
			// its lists after its first request.
			for _, c := range []*CSP{Compile(deliveries, self), compiled} {
				if err := c.Decide(r, &d); err != nil || d.Verdict != model.Blocked {
					t.Fatalf("connect-src a.example:%s allows %s (%v, %v): a port-part of non-digits names no port", part, urls[port].String(), d.Verdict, err)
				}
			}
		}
	}
}
