package model

import (
	"fmt"
	"slices"
)

// Request is the part of a Fetch request (https://fetch.spec.whatwg.org/#concept-request)
// that CSP reads.
type Request struct {
	// URLList is the request's URL list: the original URL first, then every
	// redirect target; the last one is the current URL.
	URLList []URL
	// RedirectCount is the request's redirect count. Fetch raises it by one
	// for each redirect it follows, so it is len(URLList)-1 for requests the
	// model builds.
	RedirectCount int

	Destination string // "", "script", "image", … (https://fetch.spec.whatwg.org/#concept-request-destination)
	Initiator   string // "", "prefetch", "prerender", … (https://fetch.spec.whatwg.org/#concept-request-initiator)
	Mode        string // "cors", "no-cors", "websocket", "webtransport", … (https://fetch.spec.whatwg.org/#concept-request-mode)

	// CryptographicNonceMetadata, IntegrityMetadata and ParserMetadata feed
	// the nonce, hash and 'strict-dynamic' decisions of script and style
	// requests.
	CryptographicNonceMetadata string
	IntegrityMetadata          string
	ParserMetadata             string // "", "parser-inserted" or "not-parser-inserted" (https://fetch.spec.whatwg.org/#request-parser-metadata)

	// WebTransportHashList is the request's WebTransport-hash list.
	WebTransportHashList []string

	// PolicyContainer is the request's policy container, whose CSP list the
	// checks read (Fetch copies it from the request's client).
	PolicyContainer *PolicyContainer
	// Client stands for the request's client: the global object that
	// violations are reported to.
	Client *GlobalObject
}

// URL returns the request's URL, the first of its URL list
// (https://fetch.spec.whatwg.org/#concept-request-url).
func (r *Request) URL() URL {
	if len(r.URLList) == 0 {
		return URL{}
	}
	return r.URLList[0]
}

// CurrentURL returns the request's current URL, the last of its URL list
// (https://fetch.spec.whatwg.org/#concept-request-current-url).
func (r *Request) CurrentURL() URL {
	if len(r.URLList) == 0 {
		return URL{}
	}
	return r.URLList[len(r.URLList)-1]
}

// PolicyContainer holds a CSP list
// (https://html.spec.whatwg.org/multipage/browsers.html#policy-container).
type PolicyContainer struct {
	CSPList CSPList
}

// IsDestination reports whether d is one of Fetch's request destinations
// (https://fetch.spec.whatwg.org/#concept-request-destination), "" included.
// A switch, as the engine asks on every request; TestDestinationsList holds
// it to the list Destinations returns.
func IsDestination(d string) bool {
	switch d {
	case "", "audio", "audioworklet", "document", "embed", "font", "frame", "iframe",
		"image", "json", "manifest", "object", "paintworklet", "report", "script",
		"serviceworker", "sharedworker", "style", "text", "track", "video",
		"webidentity", "worker", "xslt":
		return true
	}
	return false
}

// The values of the request fields that name a Fetch enum, "" first (the
// caller leaves the field unsaid): the destinations, the initiators
// (https://fetch.spec.whatwg.org/#concept-request-initiator), the modes
// (#concept-request-mode; CSP reads only "websocket" and "webtransport")
// and the parser metadata (#request-parser-metadata).
var (
	destinations = []string{"", "audio", "audioworklet", "document", "embed", "font", "frame", "iframe",
		"image", "json", "manifest", "object", "paintworklet", "report", "script",
		"serviceworker", "sharedworker", "style", "text", "track", "video",
		"webidentity", "worker", "xslt"}
	initiators      = []string{"", "download", "imageset", "manifest", "prefetch", "prerender", "xslt"}
	modes           = []string{"", "cors", "navigate", "no-cors", "same-origin", "websocket", "webtransport"}
	parserMetadatas = []string{"", "not-parser-inserted", "parser-inserted"}
)

// Destinations returns Fetch's request destinations, "" first: the values
// IsDestination accepts.
func Destinations() []string { return slices.Clone(destinations) }

// Initiators returns Fetch's request initiators, "" first.
func Initiators() []string { return slices.Clone(initiators) }

// Modes returns Fetch's request modes, "" first.
func Modes() []string { return slices.Clone(modes) }

// ParserMetadatas returns Fetch's request parser metadata values, "" first.
func ParserMetadatas() []string { return slices.Clone(parserMetadatas) }

// checkFields refuses a request whose destination, initiator, mode or
// parser metadata is none of the values Fetch names (D6): a misspelt "img"
// would otherwise be decided by connect-src, and a misspelt "prefetch" as
// no resource hint, each as if the caller had asked something else.
func (r *Request) checkFields() error {
	if !IsDestination(r.Destination) {
		return fmt.Errorf("%w: destination %q is not one Fetch names", ErrBadRequest, r.Destination)
	}
	for _, f := range []struct {
		name, value string
		values      []string
	}{
		{"initiator", r.Initiator, initiators},
		{"mode", r.Mode, modes},
		{"parser metadata", r.ParserMetadata, parserMetadatas},
	} {
		if !slices.Contains(f.values, f.value) {
			return fmt.Errorf("%w: %s %q is not one Fetch names", ErrBadRequest, f.name, f.value)
		}
	}
	return nil
}
