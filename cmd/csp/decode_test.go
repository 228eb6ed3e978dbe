package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cspmodel/cspmodel/corpus"
)

// TestDecodeCaseAsEncodingJSON: every pinned vector decodes to what
// encoding/json, refusing unknown fields, makes of it, so that the faster
// decoder reads the format as before.
func TestDecodeCaseAsEncodingJSON(t *testing.T) {
	for i, line := range bytes.Split(bytes.TrimSpace(corpus.PinnedVectors), []byte("\n")) {
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		var want corpus.Case
		if err := dec.Decode(&want); err != nil {
			t.Fatalf("line %d: encoding/json: %v", i+1, err)
		}
		got, err := corpus.DecodeCase(line)
		if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(corpus.Case{})); diff != "" {
			t.Fatalf("line %d (-encoding/json +DecodeCase):\n%s", i+1, diff)
		}
	}
}

// TestDecodeCaseIsStrict: what is not exactly a case is refused, with a
// message that names the problem.
func TestDecodeCaseIsStrict(t *testing.T) {
	const ok = `{"id":"a","policies":[{"value":"connect-src 'self'"}],"self_origin":"https://example.com","request":{"kind":"fetch","url_list":["https://example.com/"]}}`
	if _, err := corpus.DecodeCase([]byte(ok)); err != nil {
		t.Fatalf("a valid case is refused: %v", err)
	}
	for _, tt := range []struct{ line, want string }{
		{strings.Replace(ok, `"url_list"`, `"url"`, 1), `json: unknown field "url"`},
		{strings.Replace(ok, `"id"`, `"ID"`, 1), `json: unknown field "ID"`},
		{strings.Replace(ok, `{"id":"a",`, `{"id":"a","id":"b",`, 1), `duplicate`},
		{strings.Replace(ok, `"id":"a"`, "\"id\":\"a\xff\"", 1), `invalid UTF-8`},
		{ok + ` {}`, `more than one JSON value on the line`},
		{strings.Replace(ok, `"url_list":["https://example.com/"]`, `"url_list":"https://example.com/"`, 1), `/request/url_list`},
		{strings.Replace(ok, `{"value":"connect-src 'self'"}`, `{"value":1}`, 1), `/policies/0/value`},
		{ok[:len(ok)-1], `unexpected EOF`},
	} {
		_, err := corpus.DecodeCase([]byte(tt.line))
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "invalid case: ") {
			t.Errorf("%s: error %v, want one about %q", tt.line, err, tt.want)
		}
		if err != nil && (strings.Contains(err.Error(), "unable to") || strings.Contains(err.Error(), "cannot unmarshal")) {
			t.Errorf("%s: the message %q has wording that changes between runs", tt.line, err)
		}
	}
}
