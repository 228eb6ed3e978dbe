package corpus

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"
)

// strictDecode is DecodeCase without the fast decoder.
func strictDecode(line []byte) (Case, error) {
	var c Case
	err := jsonv2.Unmarshal(line, &c, jsonv2.RejectUnknownMembers(true))
	return c, err
}

// checkFastDecode holds decodeFast to the strict decoder on one line: when
// it decodes the line, the strict decoder must decode it too, to the same
// case.
func checkFastDecode(t *testing.T, line []byte) bool {
	t.Helper()
	fast, ok := decodeFast(line)
	if !ok {
		return false
	}
	strict, err := strictDecode(line)
	if err != nil {
		t.Fatalf("the fast decoder reads %q, the strict one refuses it: %v", line, err)
	}
	if !reflect.DeepEqual(fast, strict) {
		t.Fatalf("%q decodes differently:\nfast   %#v\nstrict %#v", line, fast, strict)
	}
	return true
}

// fastDecodeSeeds are lines of the forms the fast decoder gives up on or
// must refuse, and some it reads.
var fastDecodeSeeds = []string{
	`{"id":"a","policies":[],"self_origin":"https://a.test","request":{"kind":"fetch","url_list":[]}}`,
	`{"id":"a","id":"b"}`,
	`{"id":"a","ID":"b"}`,
	`{"id":"a","unknown":1}`,
	`{"id":"a"} {}`,
	`{"id":"a"},`,
	`{"id":null}`,
	`{"policies":null}`,
	`{"policies":null,"global":null,"request":{"url_list":null,"destination":null},"inline":null,"eval":null,"navigation":null,"expect":null}`,
	`{"inline":{"element":null}}`,
	`{"inline":{"element":{"attributes":null}}}`,
	`{"eval":{"body":null,"body_arg":null,"parameters":null,"parameter_args":null}}`,
	`{"eval":{"parameter_args":[{"data":null}]}}`,
	`{"navigation":{"response":null,"ancestors":null}}`,
	`{"navigation":{"response":{"policies":null}}}`,
	`{"expect":{"violations":null,"sandbox_flags":null}}`,
	`{"global":{"url":null}}`,
	`{"request":null}`,
	`{"global":{"status":null}}`,
	`{"id":nul}`,
	`{"id":"\u00e9\n\"\\\/\b\f\r\t"}`,
	`{"id":"\ud83d\ude00"}`,
	`{"id":"\ud83d"}`,
	`{"id":"\u12"}`,
	`{"id":"\x"}`,
	"{\"id\":\"\xff\"}",
	"{\"id\":\"\x01\"}",
	`{"id":"é"}`,
	`{"global":{"status":200}}`,
	`{"global":{"status":-0}}`,
	`{"global":{"status":01}}`,
	`{"global":{"status":1.0}}`,
	`{"global":{"status":1e2}}`,
	`{"global":{"status":99999999999999999999}}`,
	`{"global":{"status":"200"}}`,
	`{"inline":{"element":{"attributes":[["a","b"],["c","d"]],"not_parser_inserted":true}}}`,
	`{"inline":{"element":{"attributes":[["a"]]}}}`,
	`{"inline":{"element":{"attributes":[["a","b","c"]]}}}`,
	`{"inline":{"element":{"attributes":[[]]}}}`,
	`{"inline":{"element":{"duplicate_attribute":tru}}}`,
	`{"eval":{"type":"FUNCTION","parameters":["a"],"parameter_args":[{"trusted_script":false,"data":"x"}],"body_arg":{"trusted_script":true}}}`,
	`{"navigation":{"type":"other","url_list":["https://a.test/"],"response":{"policies":[{"value":"frame-ancestors 'none'","disposition":"report"}]},"ancestors":["null"]}}`,
	`{"expect":{"verdict":"blocked","violations":[{"policy":0,"original_policy":"x","directive":"d","effective_directive":"e","disposition":"enforce","blocked_uri":"u","check":"request","redirect_count":1,"sample":"s","element":"script","response_policy":true}],"sandbox_flags":[]}}`,
	`{"expect":{"verdict":"blocked","violations":[{"report_body":{"a": 1}}]}}`,
	` {"id" : "a" , "policies" : [ { "value" : "x" } ] } `,
	`{"id":"a",}`,
	`{"id":"a"`,
	`{"id"}`,
	`{`,
	``,
	`[]`,
}

// TestFastDecodeAsStrict decodes every pinned vector and every line above,
// and each of them cut short at every length and with each byte changed to
// a few others, with the fast decoder and the strict one: what the fast one
// reads, the strict one reads the same. It also asks that the fast decoder
// reads nearly every pinned vector, since it exists to be used.
func TestFastDecodeAsStrict(t *testing.T) {
	lines := bytes.Split(bytes.TrimSpace(PinnedVectors), []byte("\n"))
	read := 0
	for _, line := range lines {
		if checkFastDecode(t, line) {
			read++
		}
	}
	if read < len(lines)*99/100 {
		t.Errorf("the fast decoder read only %d of %d pinned vectors", read, len(lines))
	}
	inputs := [][]byte{}
	for _, s := range fastDecodeSeeds {
		inputs = append(inputs, []byte(s))
	}
	for i := 0; i < len(lines); i += 1553 {
		inputs = append(inputs, lines[i])
	}
	for _, in := range inputs {
		checkFastDecode(t, in)
		for n := range len(in) {
			checkFastDecode(t, in[:n])
		}
		for i := range len(in) {
			for _, b := range []byte{'"', '\\', ',', '}', ']', ' ', '0', 'x', 0xc3} {
				m := bytes.Clone(in)
				m[i] = b
				checkFastDecode(t, m)
			}
		}
	}
}

// encodeResult is the result as encoding/json writes it in RunLines.
func encodeResult(t *testing.T, r Result) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// awkwardStrings need escaping, or look as if they did; and each character
// that needs care at each place of a 26-byte run that does not, so that the
// eight-byte scan of skipPlain meets it in every byte of a word.
var awkwardStrings = func() []string {
	s := []string{"", "plain", `"q"`, `back\slash`, "\b\f\n\r\t", "\x00\x01\x1f\x7f", "<&>", "é ü 日本",
		"\u2028\u2029", "\xff", "a\xc3", "\xed\xa0\x80", "\U0001F600", "'self' https://a.test/ ; report-uri /r"}
	const run = "abcdefghijklmnopqrstuvwxyz"
	for _, c := range []string{`"`, `\`, "\x00", "\x1f", " ", "\x7f", "é", "\xff", "\u2028"} {
		for i := range len(run) + 1 {
			s = append(s, run[:i]+c+run[i:])
		}
	}
	return s
}()

// TestAppendResultAsEncoder writes the model's and the engine's results of
// a sample of the pinned vectors, and results with awkward strings in every
// field, with appendResult and with encoding/json: the same bytes, or
// appendResult hands a result with a report body to encoding/json.
func TestAppendResultAsEncoder(t *testing.T) {
	var results []Result
	lines := bytes.Split(bytes.TrimSpace(PinnedVectors), []byte("\n"))
	for i := 0; i < len(lines); i += 7 {
		c, err := DecodeCase(lines[i])
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, RunModel(c, nil), RunEngine(c))
	}
	for _, s := range awkwardStrings {
		v := Violation{Policy: -3, OriginalPolicy: s, Directive: s, EffectiveDirective: s, Disposition: s, BlockedURI: s, Check: s, RedirectCount: 20, Sample: s, Element: s, ResponsePolicy: true}
		results = append(results,
			Result{ID: s, Verdict: s, Violations: []Violation{v, {}}, SandboxFlags: []string{s, s}, Error: s, Unsupported: s},
			Result{ID: s, SandboxFlags: []string{}, Violations: []Violation{}},
			Result{ID: s})
	}
	written := 0
	for _, r := range results {
		got, ok := appendResult(nil, &r)
		if !ok {
			continue
		}
		written++
		if want := encodeResult(t, r); !bytes.Equal(got, want) {
			t.Fatalf("appendResult wrote\n%s\nencoding/json\n%s", got, want)
		}
	}
	if written < len(results)*9/10 {
		t.Errorf("appendResult wrote only %d of %d results", written, len(results))
	}
	if _, ok := appendResult(nil, &Result{Violations: []Violation{{ReportBody: `{"a":1}`}}}); ok {
		t.Error("appendResult wrote a report body itself")
	}
}

// TestAppendJSONStringAsEncoder holds appendJSONString to encoding/json on
// 20,000 pseudo-random strings (a fixed seed) of the bytes that need care
// and plain ones, of every length to 40: the fuzz targets of the project
// are the ones fuzz/targets.go lists, so this one is a test.
func TestAppendJSONStringAsEncoder(t *testing.T) {
	alphabet := []string{"a", "Z", "0", " ", "/", `"`, `\`, "\x00", "\x08", "\x0c", "\n", "\x1f", "\x7f", "é", "\xc3", "\xff", "\u2028", "\u2029", "\U0001F600", "\xed\xa0\x80", "<", "&"}
	rng := rand.New(rand.NewPCG(2026, 11))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(41) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		checkAppendJSONString(t, b.String())
	}
	for _, s := range awkwardStrings {
		checkAppendJSONString(t, s)
	}
}

func checkAppendJSONString(t *testing.T, s string) {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	want := bytes.TrimSuffix(b.Bytes(), []byte("\n"))
	if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
		t.Fatalf("appendJSONString(%q) = %s, encoding/json %s", s, got, want)
	}
}
