package fuzz

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
)

// A fuzz input is a list of arguments, each a string or a uint8 (the only
// types the targets take). Two encodings carry them:
//
//   - go test -fuzz reads and writes "go test fuzz v1" files: that line,
//     then one Go literal per argument (string("…"), byte('…') or uint8(…)).
//   - A libFuzzer binary built by go-118-fuzz-build reads raw bytes with
//     go-fuzz-headers: a string is a 4-byte big-endian length and then
//     that many bytes, a uint8 is one byte, and the bytes left over after
//     the last argument are ignored. An input too short for the arguments
//     is dropped without running the target, and so is a string that
//     starts at the very end of the input, even an empty one; and the
//     input may not put a string past 2,000,000 bytes into it.
//
// Seed corpora (fuzz/seedcorpus) are written in the second encoding, and
// crash files (fuzz/tocase) are read in either.

// Param is the type of one argument of a fuzz target.
type Param uint8

// The argument types the targets use.
const (
	String Param = iota
	Uint8
)

func (p Param) String() string {
	if p == Uint8 {
		return "uint8"
	}
	return "string"
}

// maxHeadersLen is go-fuzz-headers' limit on how far into the input a
// string may start (MaxTotalLen).
const maxHeadersLen = 2_000_000

// EncodeLibFuzzer writes args, which must be strings and uint8s as params
// says, in the input encoding of a go-118-fuzz-build binary. A trailing
// byte is added when the last argument is a string that would otherwise
// start at the end of the input (an empty last string), which that decoder
// would refuse.
func EncodeLibFuzzer(params []Param, args []any) ([]byte, error) {
	if len(args) != len(params) {
		return nil, fmt.Errorf("%d arguments for %d parameters", len(args), len(params))
	}
	var b []byte
	for i, p := range params {
		switch p {
		case String:
			s, ok := args[i].(string)
			if !ok {
				return nil, fmt.Errorf("argument %d is %T, want string", i, args[i])
			}
			if len(b)+4 > maxHeadersLen {
				return nil, fmt.Errorf("argument %d starts past %d bytes", i, maxHeadersLen)
			}
			b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
			b = append(b, s...)
		case Uint8:
			v, ok := args[i].(uint8)
			if !ok {
				return nil, fmt.Errorf("argument %d is %T, want uint8", i, args[i])
			}
			b = append(b, v)
		}
	}
	if len(params) > 0 && params[len(params)-1] == String && len(args[len(args)-1].(string)) == 0 {
		b = append(b, 0)
	}
	return b, nil
}

// DecodeLibFuzzer reads an input of a go-118-fuzz-build binary as params
// says, following go-fuzz-headers' rules, or says why the binary would drop
// it without running the target.
func DecodeLibFuzzer(params []Param, data []byte) ([]any, error) {
	var args []any
	pos := 0
	for i, p := range params {
		switch p {
		case String:
			if pos+4 > len(data) {
				return nil, fmt.Errorf("argument %d (string): %d bytes left, need a 4-byte length", i, len(data)-pos)
			}
			n := int(binary.BigEndian.Uint32(data[pos:]))
			pos += 4
			if pos > maxHeadersLen {
				return nil, fmt.Errorf("argument %d (string) starts past %d bytes", i, maxHeadersLen)
			}
			if pos >= len(data) || n > len(data)-pos {
				return nil, fmt.Errorf("argument %d (string): length %d at byte %d, but %d bytes are left", i, n, pos, len(data)-pos)
			}
			args = append(args, string(data[pos:pos+n]))
			pos += n
		case Uint8:
			if pos >= len(data) {
				return nil, fmt.Errorf("argument %d (uint8): no bytes left", i)
			}
			args = append(args, data[pos])
			pos++
		}
	}
	return args, nil
}

const goFuzzHeader = "go test fuzz v1"

// MarshalGoFuzz writes args as a "go test fuzz v1" file, as go test -fuzz
// writes testdata/fuzz/<target>/ files.
func MarshalGoFuzz(args []any) []byte {
	var b bytes.Buffer
	b.WriteString(goFuzzHeader + "\n")
	for _, a := range args {
		switch v := a.(type) {
		case string:
			fmt.Fprintf(&b, "string(%q)\n", v)
		case uint8:
			fmt.Fprintf(&b, "byte(%q)\n", v)
		default:
			panic(fmt.Sprintf("fuzz: cannot marshal a %T", a))
		}
	}
	return b.Bytes()
}

// IsGoFuzz reports whether data starts like a "go test fuzz v1" file.
func IsGoFuzz(data []byte) bool {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	return strings.TrimSuffix(string(line), "\r") == goFuzzHeader
}

// UnmarshalGoFuzz reads a "go test fuzz v1" file whose arguments are
// strings and uint8s as params says.
func UnmarshalGoFuzz(params []Param, data []byte) ([]any, error) {
	if !IsGoFuzz(data) {
		return nil, errors.New(`not a "go test fuzz v1" file`)
	}
	var args []any
	lines := strings.Split(string(data), "\n")[1:]
	for n, line := range lines {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		v, err := parseGoFuzzValue(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %q: %v", n+2, line, err)
		}
		args = append(args, v)
	}
	if len(args) != len(params) {
		return nil, fmt.Errorf("%d values, want %d", len(args), len(params))
	}
	for i, p := range params {
		if _, ok := args[i].(string); ok != (p == String) {
			return nil, fmt.Errorf("value %d is %T, want %s", i, args[i], p)
		}
	}
	return args, nil
}

// parseGoFuzzValue reads one value line: string("…"), byte('…') or
// uint8(N) (go test writes bytes as byte('…'); a hand-written file may use
// either).
func parseGoFuzzValue(line string) (any, error) {
	expr, err := parser.ParseExpr(line)
	if err != nil {
		return nil, err
	}
	call, ok := expr.(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return nil, errors.New("want a conversion such as string(\"…\") with one argument")
	}
	fn, ok := call.Fun.(*ast.Ident)
	if !ok {
		return nil, errors.New("want string(…), byte(…) or uint8(…)")
	}
	lit, ok := call.Args[0].(*ast.BasicLit)
	if !ok {
		return nil, errors.New("the argument is not a literal")
	}
	switch {
	case fn.Name == "string" && lit.Kind == token.STRING:
		return strconv.Unquote(lit.Value)
	case (fn.Name == "byte" || fn.Name == "uint8") && lit.Kind == token.CHAR:
		r, _, tail, err := strconv.UnquoteChar(lit.Value[1:len(lit.Value)-1], '\'')
		if err != nil || tail != "" || r > 0xff {
			return nil, fmt.Errorf("%s is not a byte", lit.Value)
		}
		return uint8(r), nil
	case (fn.Name == "byte" || fn.Name == "uint8") && lit.Kind == token.INT:
		v, err := strconv.ParseUint(lit.Value, 0, 8)
		if err != nil {
			return nil, err
		}
		return uint8(v), nil
	}
	return nil, fmt.Errorf("%s(%s) is not a string or a byte", fn.Name, lit.Value)
}
