package model

import (
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
)

// Origin is an origin as the HTML Standard defines it
// (https://html.spec.whatwg.org/multipage/browsers.html#concept-origin):
// either an opaque origin or a tuple of scheme, host and port.
type Origin struct {
	// Opaque is true for an opaque origin. An opaque origin is the same as
	// another only when both are the very same origin, which the model
	// represents by equal, non-zero IDs.
	Opaque bool
	ID     uint64

	// The tuple, when Opaque is false.
	Scheme string
	Host   Host
	Port   int // -1 when the port is null (the scheme's default port)
}

var opaqueOrigins atomic.Uint64

// NewOpaqueOrigin returns a fresh opaque origin, the same as no other origin
// but itself.
func NewOpaqueOrigin() Origin {
	return Origin{Opaque: true, ID: opaqueOrigins.Add(1)}
}

// URLOrigin returns url's origin (https://url.spec.whatwg.org/#concept-url-origin).
// The model has no blob URL store, so a blob: URL's entry is always null.
func URLOrigin(url URL) Origin {
	switch url.Scheme {
	case "blob":
		// Origin step "blob" 1 (no effect): the model keeps no blob URL
		// entries, so the entry is null.
		// Origin step "blob" 2: parse the path; a failure gives an opaque origin.
		pathURL, err := ParseURL(url.Path)
		if err != nil {
			return NewOpaqueOrigin()
		}
		// Origin step "blob" 3: only an http, https or file inner URL lends its origin.
		if pathURL.Scheme == "http" || pathURL.Scheme == "https" || pathURL.Scheme == "file" {
			return URLOrigin(pathURL)
		}
		// Origin step "blob" 4.
		return NewOpaqueOrigin()
	case "ftp", "http", "https", "ws", "wss":
		return Origin{Scheme: url.Scheme, Host: url.Host, Port: url.Port}
	case "file":
		// The URL Standard leaves file: origins to the implementation and
		// suggests an opaque origin; the model takes that suggestion.
		return NewOpaqueOrigin()
	}
	return NewOpaqueOrigin()
}

// SameOrigin reports whether A and B are the same origin
// (https://html.spec.whatwg.org/multipage/browsers.html#same-origin).
func SameOrigin(a, b Origin) bool {
	if a.Opaque || b.Opaque {
		return a.Opaque && b.Opaque && a.ID != 0 && a.ID == b.ID
	}
	return a.Scheme == b.Scheme && a.Host == b.Host && a.Port == b.Port
}

// String serializes the origin
// (https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin).
func (o Origin) String() string {
	if o.Opaque {
		return "null"
	}
	s := o.Scheme + "://" + o.Host.Serialized
	if o.Port >= 0 {
		s += ":" + strconv.Itoa(o.Port)
	}
	return s
}

// ParseOrigin reads an origin written as a URL ("https://example.com", or any
// URL of that origin) or as "null" for an opaque origin. The empty string, a
// common mistake of callers, is refused by name; other refusals carry the URL
// parser's reason. The engine's ParseOrigin refuses in the same words.
func ParseOrigin(s string) (Origin, error) {
	if s == "" {
		return Origin{}, errors.New("origin: the empty string is not an origin")
	}
	if s == "null" {
		return NewOpaqueOrigin(), nil
	}
	u, err := ParseURL(s)
	if err != nil {
		return Origin{}, fmt.Errorf("origin: %w", err)
	}
	return URLOrigin(u), nil
}
