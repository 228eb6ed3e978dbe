package model

import "strings"

// SRIMetadata is one entry of parsed integrity metadata: an algorithm ("alg")
// and a base64 value ("val").
type SRIMetadata struct {
	Algorithm string
	Value     string
}

// ParseSRIMetadata parses a request's integrity metadata into the hash
// expressions whose algorithm is a valid SRI hash algorithm token, for
// #match-integrity-metadata-to-source-list step 4. An empty result stands for
// both "no metadata" and the empty set, which that algorithm treats alike.
//
// Spec: https://w3c.github.io/webappsec-subresource-integrity/#parse-metadata-section
// (read at w3c/webappsec-subresource-integrity 632bf53, 2026-03-20)
func ParseSRIMetadata(metadata string) []SRIMetadata {
	// Step 1: an empty result.
	var result []SRIMetadata
	// Step 2: each item of a strict split on spaces.
	for _, item := range strings.Split(metadata, " ") {
		// Steps 2.1-2.2: options after "?" are dropped.
		algorithmExpression, _, _ := strings.Cut(item, "?")
		// Steps 2.3-2.5: the algorithm is what precedes the first "-".
		algorithmAndValue := strings.Split(algorithmExpression, "-")
		algorithm := algorithmAndValue[0]
		// Step 2.6: only sha256, sha384 and sha512, in any case.
		switch asciiLower(algorithm) {
		case "sha256", "sha384", "sha512":
		default:
			continue
		}
		// Step 2.7: the value is the second piece, when there is one.
		value := ""
		if len(algorithmAndValue) > 1 {
			value = algorithmAndValue[1]
		}
		// Steps 2.8-2.9
		result = append(result, SRIMetadata{Algorithm: algorithm, Value: value})
	}
	// Step 3
	return result
}
