package model

import (
	"errors"
	"testing"

	wurl "github.com/nlnwa/whatwg-url/url"
)

// panickingParser is the URL library failing inside Parse.
type panickingParser struct{ wurl.Parser }

func (panickingParser) Parse(string) (*wurl.Url, error) { panic("a fault injected by the test") }

// TestParseURLTurnsAParserPanicIntoAnError: ParseURL promises totality
// although the parser it wraps is not the project's; a panic inside the
// library becomes an error wrapping ErrURLParse and an empty URL, never a
// URL accepted without an error. (Mutation testing removed the recovery's
// assignment and no test noticed: no known input makes the library panic,
// so the fault is injected.)
func TestParseURLTurnsAParserPanicIntoAnError(t *testing.T) {
	saved := whatwgParser
	whatwgParser = panickingParser{saved}
	defer func() { whatwgParser = saved }()
	u, err := ParseURL("https://example.com/")
	if !errors.Is(err, ErrURLParse) || u != (URL{}) {
		t.Fatalf("ParseURL with a panicking parser = %+v, %v; want an empty URL and an error wrapping ErrURLParse", u, err)
	}
}
