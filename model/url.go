package model

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	wurl "github.com/nlnwa/whatwg-url/url"
)

// This file holds the URL Standard's URL record as CSP reads it, and the one
// place where the project calls its WHATWG URL parser
// (github.com/nlnwa/whatwg-url). Every URL the model sees comes from ParseURL.

// URL is the URL Standard's URL record
// (https://url.spec.whatwg.org/#concept-url), with the path kept in its
// serialized form, which is the only form CSP uses (#match-url-to-source-expression
// step 3.6.1 runs the URL path serializer).
type URL struct {
	Scheme   string // always ASCII lowercase
	Username string
	Password string
	Host     Host
	// Port is the URL's port, or -1 when it is null. The parser nulls a port
	// that equals the scheme's default port.
	Port int
	// Path is the result of the URL path serializer
	// (https://url.spec.whatwg.org/#url-path-serializer).
	Path string
	// OpaquePath reports whether the URL has an opaque path.
	OpaquePath  bool
	Query       string
	HasQuery    bool // false when the query is null
	Fragment    string
	HasFragment bool // false when the fragment is null
}

// HostKind says which kind of host (https://url.spec.whatwg.org/#concept-host)
// a URL has.
type HostKind uint8

const (
	// NoHost: the URL's host is null (data:, mailto:, javascript: …).
	NoHost HostKind = iota
	// DomainHost: a domain (https://url.spec.whatwg.org/#concept-domain).
	DomainHost
	// IPv4Host: an IPv4 address.
	IPv4Host
	// IPv6Host: an IPv6 address; Host.Serialized keeps the brackets.
	IPv6Host
	// OpaqueHost: the host of a URL whose scheme is not special.
	OpaqueHost
	// EmptyHost: the empty host (file:///x).
	EmptyHost
)

var hostKindNames = [...]string{"null", "domain", "IPv4 address", "IPv6 address", "opaque host", "empty host"}

func (k HostKind) String() string {
	if int(k) < len(hostKindNames) {
		return hostKindNames[k]
	}
	return "HostKind(" + strconv.Itoa(int(k)) + ")"
}

// Host is a URL's host, kept serialized by the host serializer
// (https://url.spec.whatwg.org/#concept-host-serializer).
type Host struct {
	Kind       HostKind
	Serialized string
}

// IsNull reports whether the host is null.
func (h Host) IsNull() bool { return h.Kind == NoHost }

// IsDomain reports whether the host is a domain, that is a non-empty ASCII
// string that is neither an IP address nor an opaque host
// (https://url.spec.whatwg.org/#concept-domain).
func (h Host) IsDomain() bool { return h.Kind == DomainHost }

func (h Host) String() string {
	if h.Kind == NoHost {
		return "null"
	}
	return h.Serialized
}

// ErrURLParse is wrapped by every error ParseURL returns.
var ErrURLParse = errors.New("not a valid URL")

// whatwgParser is the WHATWG URL parser the project depends on, configured to
// match the current URL Standard where the library lags behind it:
//
//   - U+005E (^) is in the path percent-encode set
//     (https://url.spec.whatwg.org/#path-percent-encode-set); the library
//     predates that change and leaves it unencoded.
//   - The last space of an opaque path followed by a query or fragment is
//     percent-encoded; fromLibrary does that.
//   - U+1E9E (ẞ) in a domain maps to U+00DF (ß), as current UTS #46 says,
//     not to "ss" as the library's older IDNA tables do: "https://ẞ.com/"
//     is xn--zca.com, and reading it as ss.com would let a policy that
//     allows ss.com allow it. sharpSHost does that.
//
// Known remaining differences from the URL Standard are listed in
// docs/spec-mapping.md and checked by TestURLConformance and
// TestHostConformance.
var whatwgParser = wurl.NewParser(
	wurl.WithPathPercentEncodeSet(wurl.PathPercentEncodeSet.Set('^')),
	wurl.WithPreParseHostFunc(sharpSHost),
)

// sharpSHost rewrites the host of a special URL that holds U+1E9E, written or
// percent-encoded, before the library's host parser sees it. The host parser
// percent-decodes its input first, so the rewritten host is handed over
// decoded, with "%" itself encoded so that the second decoding is a no-op.
func sharpSHost(u *wurl.Url, host string) string {
	if !u.IsSpecialScheme() || strings.HasPrefix(host, "[") {
		return host
	}
	decoded := percentDecode(host)
	if !strings.Contains(decoded, "\u1E9E") {
		return host
	}
	decoded = strings.ReplaceAll(decoded, "\u1E9E", "\u00DF")
	return strings.ReplaceAll(decoded, "%", "%25")
}

// ParseURL runs the URL Standard's URL parser on input with no base URL
// (https://url.spec.whatwg.org/#concept-url-parser) and returns the URL
// record, or an error wrapping ErrURLParse when the input is not a valid
// absolute URL. It never panics.
func ParseURL(input string) (u URL, err error) {
	defer func() {
		// The library is not ours; a panic inside it must not escape a
		// function that promises totality.
		if r := recover(); r != nil {
			u, err = URL{}, fmt.Errorf("parse URL %q: %w (parser fault: %v)", input, ErrURLParse, r)
		}
	}()
	p, perr := whatwgParser.Parse(input)
	if perr != nil {
		return URL{}, fmt.Errorf("parse URL %q: %w: %v", input, ErrURLParse, perr)
	}
	return fromLibrary(p)
}

// fromLibrary copies the library's URL into our record.
//
// The library hides whether the host, query and fragment are null, and its
// path serializer (Pathname, Href) concatenates strings segment by segment,
// which takes time quadratic in the number of path segments: 0.15 s for one
// call on a 40 KB URL of 20,000 segments, minutes for a megabyte. So the
// record's fields are read directly, by reflection, through the field layout
// checked in libraryLayout; if a new version of the library changed that
// layout, every parse fails with ErrURLLayout (fail closed) and
// TestURLRecord says so.
func fromLibrary(p *wurl.Url) (URL, error) {
	if !libraryLayout.ok {
		return URL{}, ErrURLLayout
	}
	rv := reflect.ValueOf(p).Elem()
	u := URL{
		Scheme:   p.Scheme(),
		Username: p.Username(),
		Password: p.Password(),
		Port:     -1,
	}
	// The path: its segments, or the one string of an opaque path.
	path := rv.Field(libraryLayout.path)
	if !path.IsNil() {
		segments := path.Elem().Field(libraryLayout.pathSegments)
		u.OpaquePath = path.Elem().Field(libraryLayout.pathOpaque).Bool()
		if u.OpaquePath && segments.Len() > 0 {
			u.Path = segments.Index(0).String()
		} else {
			var b strings.Builder
			for i := 0; i < segments.Len(); i++ {
				b.WriteByte('/')
				b.WriteString(segments.Index(i).String())
			}
			u.Path = b.String()
		}
	}
	if q := rv.Field(libraryLayout.query); !q.IsNil() {
		u.Query, u.HasQuery = q.Elem().String(), true
	}
	if f := rv.Field(libraryLayout.fragment); !f.IsNil() {
		u.Fragment, u.HasFragment = f.Elem().String(), true
	}
	// The URL Standard now percent-encodes the last space of an opaque path
	// that a query or fragment follows (so that removing them cannot leave a
	// trailing space); the library predates that change.
	if u.OpaquePath && (u.HasQuery || u.HasFragment) && strings.HasSuffix(u.Path, " ") {
		u.Path = u.Path[:len(u.Path)-1] + "%20"
	}
	if h := rv.Field(libraryLayout.host); !h.IsNil() {
		host := h.Elem().String()
		switch {
		case p.IsIPv4():
			u.Host = Host{Kind: IPv4Host, Serialized: host}
		case p.IsIPv6():
			u.Host = Host{Kind: IPv6Host, Serialized: host}
		case host == "":
			u.Host = Host{Kind: EmptyHost}
		case !p.IsSpecialScheme():
			u.Host = Host{Kind: OpaqueHost, Serialized: host}
		default:
			u.Host = Host{Kind: DomainHost, Serialized: host}
		}
	}
	if ps := p.Port(); ps != "" {
		port, err := strconv.Atoi(ps)
		if err != nil || port < 0 || port > 65535 {
			return URL{}, fmt.Errorf("parse URL: %w: port %q out of range", ErrURLParse, ps)
		}
		u.Port = port
	}
	return u, nil
}

// ErrURLLayout is returned by every ParseURL when the URL library's record
// does not have the fields fromLibrary reads.
var ErrURLLayout = errors.New("the WHATWG URL library's URL record has changed; see model/url.go")

// libraryLayout holds the indices of the library's URL fields that
// fromLibrary reads, checked once: host, query and fragment are *string, path
// is a pointer to a struct with p []string and opaque bool.
var libraryLayout = func() (l struct {
	ok                          bool
	host, query, fragment, path int
	pathSegments, pathOpaque    int
}) {
	t := reflect.TypeOf(wurl.Url{})
	stringPtr := func(name string) (int, bool) {
		f, ok := t.FieldByName(name)
		return f.Index[0], ok && f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.String
	}
	var ok1, ok2, ok3 bool
	l.host, ok1 = stringPtr("host")
	l.query, ok2 = stringPtr("query")
	l.fragment, ok3 = stringPtr("fragment")
	pf, ok4 := t.FieldByName("path")
	if !ok1 || !ok2 || !ok3 || !ok4 || pf.Type.Kind() != reflect.Pointer || pf.Type.Elem().Kind() != reflect.Struct {
		return l
	}
	l.path = pf.Index[0]
	segs, ok5 := pf.Type.Elem().FieldByName("p")
	opaque, ok6 := pf.Type.Elem().FieldByName("opaque")
	if !ok5 || !ok6 || segs.Type.Kind() != reflect.Slice || segs.Type.Elem().Kind() != reflect.String || opaque.Type.Kind() != reflect.Bool {
		return l
	}
	l.pathSegments, l.pathOpaque, l.ok = segs.Index[0], opaque.Index[0], true
	return l
}()

// MustParseURL is ParseURL for inputs known to be valid (tests, tables). It
// panics on error.
func MustParseURL(input string) URL {
	u, err := ParseURL(input)
	if err != nil {
		panic(err)
	}
	return u
}

// Serialize runs the URL serializer
// (https://url.spec.whatwg.org/#concept-url-serializer), leaving the fragment
// out when excludeFragment is true.
func (u URL) Serialize(excludeFragment bool) string {
	var b strings.Builder
	// Serializer step 1: the scheme and ":".
	b.WriteString(u.Scheme)
	b.WriteByte(':')
	// Serializer step 2: "//", credentials, host and port when the host is non-null.
	if !u.Host.IsNull() {
		b.WriteString("//")
		if u.Username != "" || u.Password != "" {
			b.WriteString(u.Username)
			if u.Password != "" {
				b.WriteByte(':')
				b.WriteString(u.Password)
			}
			b.WriteByte('@')
		}
		b.WriteString(u.Host.Serialized)
		if u.Port >= 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(u.Port))
		}
	}
	// Serializer step 3: "/." keeps a host-less path that starts with "//" from
	// reading as an authority.
	if u.Host.IsNull() && !u.OpaquePath && strings.HasPrefix(u.Path, "//") {
		b.WriteString("/.")
	}
	// Serializer step 4: the serialized path.
	b.WriteString(u.Path)
	// Serializer step 5: the query.
	if u.HasQuery {
		b.WriteByte('?')
		b.WriteString(u.Query)
	}
	// Serializer step 6: the fragment.
	if !excludeFragment && u.HasFragment {
		b.WriteByte('#')
		b.WriteString(u.Fragment)
	}
	return b.String()
}

// String returns the URL's serialization (href).
func (u URL) String() string { return u.Serialize(false) }

// DefaultPort returns the default port of a special scheme
// (https://url.spec.whatwg.org/#default-port), or -1 (null) for any other
// scheme, file included.
func DefaultPort(scheme string) int {
	switch scheme {
	case "ftp":
		return 21
	case "http", "ws":
		return 80
	case "https", "wss":
		return 443
	}
	return -1
}

// IsHTTPSScheme reports whether scheme is an HTTP(S) scheme, "http" or
// "https" (https://fetch.spec.whatwg.org/#http-scheme).
func IsHTTPSScheme(scheme string) bool {
	return scheme == "http" || scheme == "https"
}
