package model

import (
	"reflect"
	"testing"
)

// TestParseSRIMetadata: items split on single spaces, options after '?'
// dropped, only sha256, sha384 and sha512 (any case) kept, the value the
// piece after the first '-' and before any second one, and empty when the
// item has no '-' at all.
func TestParseSRIMetadata(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []SRIMetadata
	}{
		{"", nil},
		{"sha256", []SRIMetadata{{"sha256", ""}}},
		{"SHA512", []SRIMetadata{{"SHA512", ""}}},
		{"sha256-", []SRIMetadata{{"sha256", ""}}},
		{"sha384-abc?ct=application/javascript", []SRIMetadata{{"sha384", "abc"}}},
		{"sha256-a-b", []SRIMetadata{{"sha256", "a"}}},
		{"md5-x sha512-y", []SRIMetadata{{"sha512", "y"}}},
		{"  sha256-a  sha1-b ", []SRIMetadata{{"sha256", "a"}}},
		{"sha256-a\tsha512-b", []SRIMetadata{{"sha256", "a\tsha512"}}},
		{"sha256?x-y", []SRIMetadata{{"sha256", ""}}},
		{"-sha256", nil},
	} {
		if got := ParseSRIMetadata(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseSRIMetadata(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
