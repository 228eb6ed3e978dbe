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

// NewFetchRequest builds the request of fetch(url) with no init dictionary.
// fetch() builds it with the Request constructor (fetch() step 2).
//
// Spec: https://fetch.spec.whatwg.org/#dom-request
// (read at whatwg/fetch 586cd2a, 2026-07-02)
func NewFetchRequest(url string) (Request, error) {
	// Step 5.1: parse the URL (the model has no base URL).
	u, err := ParseURL(url)
	// Step 5.2: failure throws a TypeError.
	if err != nil {
		return Request{}, fmt.Errorf("fetch(): %w: TypeError: %w", ErrAPI, err)
	}
	// Step 5.3: so do credentials in the URL.
	if u.Username != "" || u.Password != "" {
		return Request{}, fmt.Errorf("fetch(%q): %w: TypeError: the URL includes credentials", url, ErrAPI)
	}
	// Steps 5.4-5.5: a request for the URL, with "cors" as the fallback mode.
	// Steps 16-18: with no mode in init, the mode is the fallback mode. The
	// destination and initiator keep their default, the empty string.
	return Request{URLList: []URL{u}, Destination: "", Initiator: "", Mode: "cors"}, nil
}

// NewXHRRequest builds the request of XMLHttpRequest's open("GET", url)
// and send().
//
// Spec: https://xhr.spec.whatwg.org/#dom-xmlhttprequest-send
// (read at whatwg/xhr d375b28, 2026-05-14)
func NewXHRRequest(url string) (Request, error) {
	// open() steps 5-6: parse the URL; failure throws a SyntaxError.
	u, err := ParseURL(url)
	if err != nil {
		return Request{}, fmt.Errorf("XMLHttpRequest.open(): %w: SyntaxError: %w", ErrAPI, err)
	}
	// send() step 6: the request has mode "cors" and keeps the empty
	// destination and initiator. Credentials in the URL are allowed (they set
	// the use-URL-credentials flag).
	return Request{URLList: []URL{u}, Destination: "", Initiator: "", Mode: "cors"}, nil
}

// NewEventSourceRequest builds the request of new EventSource(url): a
// potential-CORS request with an empty destination, and mode "cors" since
// withCredentials is false.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#dom-eventsource
func NewEventSourceRequest(url string) (Request, error) {
	// Parse the URL; failure throws a SyntaxError.
	u, err := ParseURL(url)
	if err != nil {
		return Request{}, fmt.Errorf("new EventSource(): %w: SyntaxError: %w", ErrAPI, err)
	}
	// Create a potential-CORS request for it with destination "" and the
	// "anonymous" CORS state, which gives mode "cors".
	return Request{URLList: []URL{u}, Destination: "", Initiator: "", Mode: "cors"}, nil
}

// NewBeaconRequest builds the request of navigator.sendBeacon(url) with no
// data.
//
// Spec: https://w3c.github.io/beacon/#sec-processing-model
// (read at w3c/beacon 2c9d057, 2026-03-11)
func NewBeaconRequest(url string) (Request, error) {
	// Step 3: parse the URL; failure, or a scheme other than http or https,
	// throws a TypeError.
	u, err := ParseURL(url)
	if err != nil {
		return Request{}, fmt.Errorf("navigator.sendBeacon(): %w: TypeError: %w", ErrAPI, err)
	}
	if !IsHTTPSScheme(u.Scheme) {
		return Request{}, fmt.Errorf("navigator.sendBeacon(%q): %w: TypeError: the scheme is not http or https", url, ErrAPI)
	}
	// Step 5: the mode starts as "no-cors"; step 6 changes it only for data
	// with a content type that is not CORS-safelisted.
	// Step 7.1: a POST request for the URL, keepalive, with that mode and the
	// default (empty) destination and initiator.
	return Request{URLList: []URL{u}, Destination: "", Initiator: "", Mode: "no-cors"}, nil
}

// NewPingRequest builds the request hyperlink auditing sends for one URL of
// an <a ping> attribute.
//
// Spec: https://html.spec.whatwg.org/multipage/links.html#hyperlink-auditing
func NewPingRequest(url string) (Request, error) {
	// Each token of the ping attribute is parsed; tokens that fail are ignored.
	u, err := ParseURL(url)
	if err != nil {
		return Request{}, fmt.Errorf("<a ping>: %w: the token is ignored: %w", ErrAPI, err)
	}
	// A ping URL that is not HTTP(S) is not sent.
	if !IsHTTPSScheme(u.Scheme) {
		return Request{}, fmt.Errorf("<a ping=%q>: %w: ping URLs must be http or https and this one is never sent", url, ErrAPI)
	}
	// The request is a POST with mode "no-cors", the empty destination and
	// initiator type "ping" (the initiator stays empty).
	return Request{URLList: []URL{u}, Destination: "", Initiator: "", Mode: "no-cors"}, nil
}

// NewWebSocketRequest builds the request that new WebSocket(url) hands to
// Fetch: its URL has the http: or https: scheme (docs/spec-mapping.md,
// "WebSocket URLs").
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-websocket
// (read at whatwg/websockets 1b3525c, 2025-07-14)
func NewWebSocketRequest(url string) (Request, error) {
	// Steps 1-2: parse the URL (the model has no base URL).
	urlRecord, err := ParseURL(url)
	// Step 3: failure throws a SyntaxError.
	if err != nil {
		return Request{}, fmt.Errorf("new WebSocket(): %w: SyntaxError: %w", ErrAPI, err)
	}
	// Steps 4-5: http: becomes ws:, https: becomes wss:.
	switch urlRecord.Scheme {
	case "http":
		urlRecord.Scheme = "ws"
	case "https":
		urlRecord.Scheme = "wss"
	}
	// Step 6: any other scheme throws a SyntaxError.
	if urlRecord.Scheme != "ws" && urlRecord.Scheme != "wss" {
		return Request{}, fmt.Errorf("new WebSocket(%q): %w: SyntaxError: the scheme is not ws, wss, http or https", url, ErrAPI)
	}
	// Step 7: so does a fragment.
	if urlRecord.HasFragment {
		return Request{}, fmt.Errorf("new WebSocket(%q): %w: SyntaxError: the URL has a fragment", url, ErrAPI)
	}
	// Steps 8-11 (no effect): protocols, and the WebSocket's url and client.
	// Step 12: establish a WebSocket connection with the URL record
	// (https://websockets.spec.whatwg.org/#concept-websocket-establish).
	// Its step 1: the request URL is the URL record with ws: as http: and
	// wss: as https:.
	requestURL := urlRecord
	if urlRecord.Scheme == "ws" {
		requestURL.Scheme = "http"
	} else {
		requestURL.Scheme = "https"
	}
	// Its step 2: mode "websocket", redirect mode "error" (Decide refuses a
	// redirected WebSocket request), and the default destination and
	// initiator.
	return Request{URLList: []URL{requestURL}, Destination: "", Initiator: "", Mode: "websocket"}, nil
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
// list, as Fetch's HTTP-redirect fetch appends each location URL (step 18)
// and raises the redirect count (step 8). Only HTTP(S) URLs redirect and are
// redirected to: a redirect to another scheme is a network error (step 6)
// before any CSP check, so such a URL list is refused.
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
	// Fetch meets the URLs in order and stops at the first fault, so they
	// are checked hop by hop: the first URL, which redirected only if it was
	// fetched over HTTP(S), then each location URL, its scheme (step 6)
	// before the redirect count it would raise past 20 (step 7).
	if len(list) > 1 {
		for hop, u := range list {
			if !IsHTTPSScheme(u.Scheme) {
				return Request{}, fmt.Errorf("%w: %s cannot take part in a redirect: only http and https URLs redirect (HTTP-redirect fetch step 6)", ErrBadRequest, u)
			}
			if hop > 20 {
				return Request{}, fmt.Errorf("%w: %d redirects: Fetch gives up after 20 (HTTP-redirect fetch step 7)", ErrBadRequest, len(list)-1)
			}
		}
	}
	request.URLList = list
	request.RedirectCount = len(list) - 1
	return request, nil
}
