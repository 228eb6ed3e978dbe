package engine

import (
	"errors"
	"fmt"

	"github.com/cspmodel/cspmodel/model"
)

// ParseOrigin reads an origin written as a URL, or "null" for an opaque one,
// as model.ParseOrigin does, and refuses in its words.
func ParseOrigin(s string) (model.Origin, error) {
	if s == "" {
		return model.Origin{}, errors.New("origin: the empty string is not an origin")
	}
	if s == "null" {
		return model.NewOpaqueOrigin(), nil
	}
	u, err := ParseURL(s)
	if err != nil {
		return model.Origin{}, fmt.Errorf("origin: %w", err)
	}
	return OriginOf(u), nil
}

// OriginOf is a URL's origin: a tuple for ftp, http, https, ws and wss URLs,
// the inner URL's for blob: URLs of http, https (file: is opaque), and a
// fresh opaque origin otherwise.
func OriginOf(u model.URL) model.Origin {
	switch u.Scheme {
	case "ftp", "http", "https", "ws", "wss":
		return model.Origin{Scheme: u.Scheme, Host: u.Host, Port: u.Port}
	case "blob":
		if inner, err := ParseURL(u.Path); err == nil && (inner.Scheme == "http" || inner.Scheme == "https") {
			return OriginOf(inner)
		}
	}
	return model.NewOpaqueOrigin()
}
