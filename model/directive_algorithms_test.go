package model

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEffectiveDirectiveForRequest(t *testing.T) {
	tests := []struct {
		destination, initiator, want string
	}{
		{"", "prefetch", "default-src"}, // 1
		{"script", "prerender", "default-src"},
		{"", "", "connect-src"},
		{"manifest", "", "manifest-src"},
		{"object", "", "object-src"},
		{"embed", "", "object-src"},
		{"frame", "", "frame-src"},
		{"iframe", "", "frame-src"},
		{"audio", "", "media-src"},
		{"track", "", "media-src"},
		{"video", "", "media-src"},
		{"font", "", "font-src"},
		{"image", "", "img-src"},
		{"style", "", "style-src-elem"},
		{"script", "", "script-src-elem"},
		{"xslt", "", "script-src-elem"},
		{"audioworklet", "", "script-src-elem"},
		{"paintworklet", "", "script-src-elem"},
		{"serviceworker", "", "worker-src"},
		{"sharedworker", "", "worker-src"},
		{"worker", "", "worker-src"},
		{"json", "", "connect-src"},
		{"text", "", "connect-src"},
		{"webidentity", "", "connect-src"},
		{"report", "", ""},              // 2: null
		{"document", "", "connect-src"}, // 3
		{"IMAGE", "", "connect-src"},    // 3: destinations are exact
		{"image", "download", "img-src"},
	}
	for _, tt := range tests {
		r := &Request{Destination: tt.destination, Initiator: tt.initiator}
		if got := EffectiveDirectiveForRequest(r, nil); got != tt.want {
			t.Errorf("EffectiveDirectiveForRequest(destination %q, initiator %q) = %q, want %q", tt.destination, tt.initiator, got, tt.want)
		}
	}
}

func TestDirectiveFallbackList(t *testing.T) {
	tests := map[string][]string{
		"script-src-elem": {"script-src-elem", "script-src", "default-src"},
		"script-src-attr": {"script-src-attr", "script-src", "default-src"},
		"style-src-elem":  {"style-src-elem", "style-src", "default-src"},
		"style-src-attr":  {"style-src-attr", "style-src", "default-src"},
		"worker-src":      {"worker-src", "child-src", "script-src", "default-src"},
		"connect-src":     {"connect-src", "default-src"},
		"manifest-src":    {"manifest-src", "default-src"},
		"object-src":      {"object-src", "default-src"},
		"frame-src":       {"frame-src", "child-src", "default-src"},
		"media-src":       {"media-src", "default-src"},
		"font-src":        {"font-src", "default-src"},
		"img-src":         {"img-src", "default-src"},
		"default-src":     nil,
		"script-src":      nil,
		"":                nil,
	}
	for name, want := range tests {
		if got := DirectiveFallbackList(name); !cmp.Equal(got, want) {
			t.Errorf("DirectiveFallbackList(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestShouldDirectiveExecute(t *testing.T) {
	tests := []struct {
		effective, directive, policy string
		want                         ShouldExecute
	}{
		{"connect-src", "connect-src", "connect-src a", Yes},               // 2.1
		{"connect-src", "default-src", "default-src a", Yes},               // 2.1 after 2.2 found nothing
		{"connect-src", "default-src", "default-src a; connect-src b", No}, // 2.2
		{"connect-src", "img-src", "img-src a", No},                        // 3
		{"worker-src", "script-src", "script-src a; default-src b", Yes},   // 2.1
		{"worker-src", "default-src", "script-src a; default-src b", No},   // 2.2
		{"worker-src", "child-src", "child-src a; script-src b", Yes},      // 2.1
		{"worker-src", "script-src", "child-src a; script-src b", No},      // 2.2
		{"frame-src", "child-src", "child-src a", Yes},                     // 2.1
		{"default-src", "default-src", "default-src a", No},                // 3: no fallback list
		{"", "default-src", "default-src a", No},                           // 3: null effective directive
		{"script-src-elem", "script-src", "script-src a; script-src-elem b", No},
	}
	for _, tt := range tests {
		p := ParseSerializedPolicy(tt.policy, HeaderSource, Enforce, nil)
		if got := ShouldDirectiveExecute(tt.effective, tt.directive, &p, nil); got != tt.want {
			t.Errorf("ShouldDirectiveExecute(%q, %q, %q) = %v, want %v", tt.effective, tt.directive, tt.policy, got, tt.want)
		}
	}
}

// TestDoesRequestViolatePolicyResourceHints: step 1 sends resource hints to
// #does-resource-hint-violate-policy, prerender included (A14); any other
// initiator runs every directive's pre-request check (steps 2-4).
func TestDoesRequestViolatePolicyResourceHints(t *testing.T) {
	self := Origin{Scheme: "https", Host: Host{Kind: DomainHost, Serialized: "example.com"}, Port: -1}
	policy := ParseSerializedPolicy("default-src 'none'", HeaderSource, Enforce, nil)
	u := MustParseURL("https://example.org/next")
	for _, tt := range []struct {
		initiator string
		violates  bool
	}{
		{"prefetch", true},  // 1, then #does-resource-hint-violate-policy step 4
		{"prerender", true}, // 1 (A14)
		{"", true},          // 3: default-src runs the connect-src check with 'none'
		{"download", true},  // 3
	} {
		req := &Request{URLList: []URL{u}, Initiator: tt.initiator, Destination: "document"}
		d, violates := DoesRequestViolatePolicy(req, &policy, self, nil)
		if violates != tt.violates || violates && d.Name != "default-src" {
			t.Errorf("initiator %q: violates %v (%s), want %v", tt.initiator, violates, d.Name, tt.violates)
		}
	}
	// Without default-src a resource hint never violates (step 2 of the
	// resource-hint algorithm), where a plain request does.
	policy = ParseSerializedPolicy("connect-src 'none'", HeaderSource, Enforce, nil)
	for initiator, want := range map[string]bool{"prefetch": false, "prerender": false, "": true} {
		req := &Request{URLList: []URL{u}, Initiator: initiator}
		if _, violates := DoesRequestViolatePolicy(req, &policy, self, nil); violates != want {
			t.Errorf("connect-src 'none', initiator %q: violates %v, want %v", initiator, violates, want)
		}
	}
}
