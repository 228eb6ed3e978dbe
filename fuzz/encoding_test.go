package fuzz

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSeedsRoundTrip writes every seed of every target in both encodings and
// reads it back.
func TestSeedsRoundTrip(t *testing.T) {
	root := os.DirFS("..")
	for _, tg := range Targets {
		seeds, err := tg.Seeds(root)
		if err != nil {
			t.Fatalf("%s: %v", tg.Name, err)
		}
		if len(seeds) < 10 {
			t.Errorf("%s: only %d seeds", tg.Name, len(seeds))
		}
		for i, s := range seeds {
			raw, err := EncodeLibFuzzer(tg.Params, s)
			if err != nil {
				t.Fatalf("%s seed %d: %v", tg.Name, i, err)
			}
			back, err := DecodeLibFuzzer(tg.Params, raw)
			if err != nil {
				t.Fatalf("%s seed %d (%q): %v", tg.Name, i, raw, err)
			}
			if diff := cmp.Diff(s, back); diff != "" {
				t.Fatalf("%s seed %d: libFuzzer encoding round trip (-seed +decoded):\n%s", tg.Name, i, diff)
			}
			back, err = UnmarshalGoFuzz(tg.Params, MarshalGoFuzz(s))
			if err != nil {
				t.Fatalf("%s seed %d: %v", tg.Name, i, err)
			}
			if diff := cmp.Diff(s, back); diff != "" {
				t.Fatalf("%s seed %d: go test fuzz v1 round trip (-seed +decoded):\n%s", tg.Name, i, diff)
			}
		}
	}
}

// TestLibFuzzerEncoding checks the encoding byte by byte against
// go-fuzz-headers' rules, including the inputs its decoder drops.
func TestLibFuzzerEncoding(t *testing.T) {
	ss := []Param{String, String}
	su := []Param{String, Uint8}
	for _, c := range []struct {
		params []Param
		args   []any
		raw    string
	}{
		{ss, []any{"ab", "c"}, "\x00\x00\x00\x02ab\x00\x00\x00\x01c"},
		{ss, []any{"ab", ""}, "\x00\x00\x00\x02ab\x00\x00\x00\x00\x00"}, // an empty last string needs a byte after it
		{ss, []any{"", "x"}, "\x00\x00\x00\x00\x00\x00\x00\x01x"},
		{su, []any{"", uint8(7)}, "\x00\x00\x00\x00\x07"},
		{su, []any{"é", uint8(255)}, "\x00\x00\x00\x02é\xff"},
		{[]Param{Bytes, Uint8}, []any{[]byte("ab"), uint8(1)}, "\x00\x00\x00\x02ab\x01"},
		{[]Param{Bytes, Uint8}, []any{[]byte{}, uint8(1)}, "\x00\x00\x00\x02\x01"},              // empty: twice the one byte left
		{[]Param{String, Bytes}, []any{"a", []byte{}}, "\x00\x00\x00\x01a\x00\x00\x00\x02\x00"}, // and a byte to be left
		{[]Param{Bytes}, []any{[]byte("xyz")}, "\x00\x00\x00\x03xyz"},
	} {
		raw, err := EncodeLibFuzzer(c.params, c.args)
		if err != nil || string(raw) != c.raw {
			t.Errorf("EncodeLibFuzzer(%v) = %q, %v; want %q", c.args, raw, err, c.raw)
		}
		got, err := DecodeLibFuzzer(c.params, []byte(c.raw))
		if err != nil || !cmp.Equal(got, c.args) {
			t.Errorf("DecodeLibFuzzer(%q) = %v, %v; want %v", c.raw, got, err, c.args)
		}
	}
	for _, c := range []struct {
		params []Param
		raw    string
	}{
		{ss, "\x00\x00\x00\x02ab\x00\x00\x00\x00"}, // the last string starts at the end
		{ss, "\x00\x00\x00\x02ab\x00\x00\x00"},     // a length cut short
		{ss, "\x00\x00\x00\x09ab\x00\x00\x00\x01c"},
		{ss, "\xff\xff\xff\xffab"},
		{su, "\x00\x00\x00\x01a"}, // no byte left for the uint8
		{ss, ""},
		{[]Param{Bytes}, "\x00\x00\x00\x00"}, // nothing left after a []byte's length
	} {
		if got, err := DecodeLibFuzzer(c.params, []byte(c.raw)); err == nil {
			t.Errorf("DecodeLibFuzzer(%q) = %q, want an error (the binary drops this input)", c.raw, got)
		}
	}
	// A []byte's length is read as go-fuzz-headers reads it: 0 is 30, and
	// anything but the bytes left is taken modulo them.
	for raw, want := range map[string]string{
		"\x00\x00\x00\x00" + strings.Repeat("x", 40): strings.Repeat("x", 30),
		"\x00\x00\x00\x07abc":                        "a",
		"\x00\x00\x00\x03abc":                        "abc",
	} {
		if got, err := DecodeLibFuzzer([]Param{Bytes}, []byte(raw)); err != nil || string(got[0].([]byte)) != want {
			t.Errorf("DecodeLibFuzzer([]byte, %q) = %q, %v; want %q", raw, got, err, want)
		}
	}
	// Extra bytes after the last argument are ignored.
	if got, err := DecodeLibFuzzer(su, []byte("\x00\x00\x00\x01a\x05rest")); err != nil || !cmp.Equal(got, []any{"a", uint8(5)}) {
		t.Errorf("trailing bytes: %v, %v", got, err)
	}
	if _, err := EncodeLibFuzzer(su, []any{"a", 5}); err == nil {
		t.Error("an int given for a uint8 was encoded")
	}
	if _, err := EncodeLibFuzzer([]Param{Uint8, String}, []any{uint8(0), strings.Repeat("x", maxHeadersLen)}); err != nil {
		t.Errorf("a string starting at byte 5: %v", err)
	}
	if _, err := EncodeLibFuzzer([]Param{String, String}, []any{strings.Repeat("x", maxHeadersLen), "y"}); err == nil {
		t.Error("a string starting past 2,000,000 bytes was encoded")
	}
}

// TestGoFuzzFiles reads the files go test -fuzz writes, including bytes in
// every form it and a person write them, and refuses what is not one.
func TestGoFuzzFiles(t *testing.T) {
	params := []Param{String, Uint8, Uint8, Uint8}
	got, err := UnmarshalGoFuzz(params, []byte("go test fuzz v1\nstring(\"a\\nb\")\nbyte('\\x00')\nbyte('ÿ')\nuint8(17)\n"))
	if want := []any{"a\nb", uint8(0), uint8(255), uint8(17)}; err != nil || !cmp.Equal(got, want) {
		t.Errorf("UnmarshalGoFuzz = %v, %v; want %v", got, err, want)
	}
	for _, bad := range []string{
		"go test fuzz v2\nstring(\"a\")\n",
		"go test fuzz v1\nstring(\"a\")\n",                              // too few values
		"go test fuzz v1\nbyte('a')\nbyte('a')\nbyte('a')\nbyte('a')\n", // a byte for a string
		"go test fuzz v1\nstring(\"a\")\nbyte('a')\nbyte('a')\nuint8(256)\n",
		"go test fuzz v1\nstring(\"a\")\nbyte('a')\nbyte('a')\nint(1)\n",
		"go test fuzz v1\nstring(\"a\")\nbyte('a')\nbyte('a')\nbyte('Ā')\n",
		"go test fuzz v1\nstring(a)\nbyte('a')\nbyte('a')\nbyte('a')\n",
	} {
		if got, err := UnmarshalGoFuzz(params, []byte(bad)); err == nil {
			t.Errorf("UnmarshalGoFuzz(%q) = %v, want an error", bad, got)
		}
	}
	if data := MarshalGoFuzz([]any{"x\"y", uint8(0xff), []byte("\x00z")}); string(data) != "go test fuzz v1\nstring(\"x\\\"y\")\nbyte('ÿ')\n[]byte(\"\\x00z\")\n" {
		t.Errorf("MarshalGoFuzz = %q", data)
	}
	if got, err := UnmarshalGoFuzz([]Param{Bytes, String}, []byte("go test fuzz v1\n[]byte(\"\\x00z\")\nstring(\"\")\n")); err != nil || !cmp.Equal(got, []any{[]byte("\x00z"), ""}) {
		t.Errorf("[]byte: %q, %v", got, err)
	}
	for _, bad := range []string{"go test fuzz v1\n[]byte(\"a\")\n", "go test fuzz v1\n[]int(\"a\")\nstring(\"\")\n", "go test fuzz v1\nstring(\"a\")\nstring(\"\")\n"} {
		if got, err := UnmarshalGoFuzz([]Param{Bytes, String}, []byte(bad)); err == nil {
			t.Errorf("UnmarshalGoFuzz(%q) = %v, want an error", bad, got)
		}
	}
}
