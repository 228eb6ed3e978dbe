package model

import (
	"fmt"
	"sort"
)

// This file builds the requests that the connect-src callers hand to Fetch,
// as their own standards define them. Each constructor takes the URL its API
// was given (absolute: the model has no document base URL) and returns the
// request Fetch sees, or the exception the API would throw before fetching.
// Callers that follow redirects get the later hops appended to the URL list
// by WithRedirects.

// ErrAPI is wrapped by the errors the constructors return where the API
// itself would throw (a TypeError or SyntaxError) before any fetch.
var ErrAPI = fmt.Errorf("the API throws before fetching")

// NewFetchRequest builds the request of fetch(url) with no init dictionary:
// the Request constructor keeps the destination and initiator empty and
// defaults the mode to "cors".
//
// Spec: https://fetch.spec.whatwg.org/#dom-request
func NewFetchRequest(url string) (Request, error) {
	u, err := ParseURL(url)
	if err != nil {
		return Request{}, fmt.Errorf("fetch(): %w", err)
	}
	// A URL with credentials makes the constructor throw a TypeError.
	if u.Username != "" || u.Password != "" {
		return Request{}, fmt.Errorf("fetch(%q): %w: TypeError: the URL includes credentials", url, ErrAPI)
	}
	return Request{URLList: []URL{u}, Destination: "", Initiator: "", Mode: "cors"}, nil
}

// NewXHRRequest builds the request of XMLHttpRequest's open(method, url) and
// send(): mode "cors", empty destination and initiator.
//
// Spec: https://xhr.spec.whatwg.org/#dom-xmlhttprequest-send
func NewXHRRequest(url string) (Request, error) {
	u, err := ParseURL(url)
	if err != nil {
		return Request{}, fmt.Errorf("XMLHttpRequest.open(): %w: SyntaxError: %w", ErrAPI, err)
	}
	return Request{URLList: []URL{u}, Destination: "", Initiator: "", Mode: "cors"}, nil
}

// NewEventSourceRequest builds the request of new EventSource(url): a
// potential-CORS request with an empty destination, so mode "cors".
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#dom-eventsource
func NewEventSourceRequest(url string) (Request, error) {
	u, err := ParseURL(url)
	if err != nil {
		return Request{}, fmt.Errorf("new EventSource(): %w: SyntaxError: %w", ErrAPI, err)
	}
	return Request{URLList: []URL{u}, Destination: "", Initiator: "", Mode: "cors"}, nil
}

// NewBeaconRequest builds the request of navigator.sendBeacon(url) with no
// body (or a CORS-safelisted one): mode "no-cors", keepalive, empty
// destination. A URL that is not HTTP(S) makes sendBeacon throw.
//
// Spec: https://w3c.github.io/beacon/#sendbeacon-method
func NewBeaconRequest(url string) (Request, error) {
	u, err := ParseURL(url)
	if err != nil {
		return Request{}, fmt.Errorf("navigator.sendBeacon(): %w: TypeError: %w", ErrAPI, err)
	}
	if !IsHTTPSScheme(u.Scheme) {
		return Request{}, fmt.Errorf("navigator.sendBeacon(%q): %w: TypeError: the scheme is not http or https", url, ErrAPI)
	}
	return Request{URLList: []URL{u}, Destination: "", Initiator: "", Mode: "no-cors"}, nil
}

// NewPingRequest builds the request hyperlink auditing sends for one URL of
// an <a ping> attribute: a POST with mode "no-cors" and an empty destination.
// Ping URLs that are not HTTP(S) are never sent.
//
// Spec: https://html.spec.whatwg.org/multipage/links.html#hyperlink-auditing
func NewPingRequest(url string) (Request, error) {
	u, err := ParseURL(url)
	if err != nil {
		return Request{}, fmt.Errorf("<a ping>: %w: the URL is dropped: %w", ErrAPI, err)
	}
	if !IsHTTPSScheme(u.Scheme) {
		return Request{}, fmt.Errorf("<a ping=%q>: %w: ping URLs must be http or https and this one is never sent", url, ErrAPI)
	}
	return Request{URLList: []URL{u}, Destination: "", Initiator: "", Mode: "no-cors"}, nil
}

// NewWebSocketRequest builds the request that new WebSocket(url) hands to
// Fetch. The constructor turns an http: or https: URL into ws: or wss:,
// rejects other schemes and fragments; establishing the connection then
// fetches the same URL with ws: as http: and wss: as https:, in mode
// "websocket", with redirects forbidden. The request's ReportedURL keeps the
// ws: or wss: URL for violation reports (docs/spec-mapping.md, "WebSocket
// URLs").
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-websocket
func NewWebSocketRequest(url string) (Request, error) {
	const anchor = "websockets#dom-websocket-websocket"
	// The URL record, which must parse.
	urlRecord, err := ParseURL(url)
	if err != nil {
		return Request{}, fmt.Errorf("new WebSocket(): %w: SyntaxError: %w", ErrAPI, err)
	}
	// http: becomes ws:, https: becomes wss:.
	switch urlRecord.Scheme {
	case "http":
		urlRecord.Scheme = "ws"
	case "https":
		urlRecord.Scheme = "wss"
	}
	// Any other scheme throws.
	if urlRecord.Scheme != "ws" && urlRecord.Scheme != "wss" {
		return Request{}, fmt.Errorf("new WebSocket(%q): %w: SyntaxError: the scheme is not ws, wss, http or https", url, ErrAPI)
	}
	// A fragment throws.
	if urlRecord.HasFragment {
		return Request{}, fmt.Errorf("new WebSocket(%q): %w: SyntaxError: the URL has a fragment", url, ErrAPI)
	}
	_ = anchor
	// Establishing the connection: the request URL is http: for ws: and
	// https: for wss:.
	// Spec: https://websockets.spec.whatwg.org/#concept-websocket-establish
	requestURL := urlRecord
	if urlRecord.Scheme == "ws" {
		requestURL.Scheme = "http"
	} else {
		requestURL.Scheme = "https"
	}
	reported := urlRecord
	return Request{URLList: []URL{requestURL}, Destination: "", Initiator: "", Mode: "websocket", ReportedURL: &reported}, nil
}

// Kinds maps each connect-src caller's name, as the CLI and the vector format
// spell it, to its request constructor.
var Kinds = map[string]func(url string) (Request, error){
	"fetch":       NewFetchRequest,
	"xhr":         NewXHRRequest,
	"eventsource": NewEventSourceRequest,
	"beacon":      NewBeaconRequest,
	"ping":        NewPingRequest,
	"websocket":   NewWebSocketRequest,
}

// KindNames returns the names of Kinds, sorted.
func KindNames() []string {
	names := make([]string, 0, len(Kinds))
	for k := range Kinds {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// WithRedirects returns request with redirect targets appended to its URL
// list, as Fetch's HTTP-redirect fetch appends each location URL.
//
// Spec: https://fetch.spec.whatwg.org/#http-redirect-fetch
func WithRedirects(request Request, targets ...string) (Request, error) {
	list := append([]URL(nil), request.URLList...)
	for _, t := range targets {
		u, err := ParseURL(t)
		if err != nil {
			return Request{}, fmt.Errorf("redirect target: %w", err)
		}
		list = append(list, u)
	}
	request.URLList = list
	request.RedirectCount = len(list) - 1
	return request, nil
}
