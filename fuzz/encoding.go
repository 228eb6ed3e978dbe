package fuzz

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// A fuzz input is a list of arguments, each a string, a []byte or a uint8
// (the types the targets take). Two encodings carry them:
//
//   - go test -fuzz reads and writes "go test fuzz v1" files: that line,
//     then one Go literal per argument (string("…"), []byte("…"),
//     byte('…') or uint8(…)).
//   - A libFuzzer binary built by go-118-fuzz-build reads raw bytes with
//     go-fuzz-headers: a string is a 4-byte big-endian length and then
//     that many bytes, a uint8 is one byte, and the bytes left over after
//     the last argument are ignored. An input too short for the arguments
//     is dropped without running the target, and so is a string that
//     starts at the very end of the input, even an empty one; and the
//     input may not put a string past 2,000,000 bytes into it. A []byte
//     has a 4-byte length too, read differently: 0 stands for 30, and a
//     length other than the number of bytes left is taken modulo that
//     number (so an empty []byte is written as twice what is left).
//
// Seed corpora (fuzz/seedcorpus) are written in the second encoding, and
// crash files (fuzz/tocase) are read in either.

// Param is the type of one argument of a fuzz target.
type Param uint8

// The argument types the targets use.
const (
	String Param = iota
	Uint8
	Bytes
)

func (p Param) String() string {
	switch p {
	case Uint8:
		return "uint8"
	case Bytes:
		return "[]byte"
	}
	return "string"
}

func sameType(p Param, v any) bool {
	switch v.(type) {
	case string:
		return p == String
	case uint8:
		return p == Uint8
	case []byte:
		return p == Bytes
	}
	return false
}

// maxHeadersLen is go-fuzz-headers' limit on how far into the input a
// string may start (MaxTotalLen).
const maxHeadersLen = 2_000_000

// EncodeLibFuzzer writes args, which must have the types params says, in
// the input encoding of a go-118-fuzz-build binary. A trailing byte is added
// when the last argument would otherwise leave nothing after its length: an
// empty string or []byte, which that decoder would refuse.
func EncodeLibFuzzer(params []Param, args []any) ([]byte, error) {
	if len(args) != len(params) {
		return nil, fmt.Errorf("%d arguments for %d parameters", len(args), len(params))
	}
	var b []byte
	var emptyBytes []int // where the lengths of empty []byte arguments go
	for i, p := range params {
		if !sameType(p, args[i]) {
			return nil, fmt.Errorf("argument %d is %T, want %s", i, args[i], p)
		}
		switch v := args[i].(type) {
		case string:
			if len(b)+4 > maxHeadersLen {
				return nil, fmt.Errorf("argument %d starts past %d bytes", i, maxHeadersLen)
			}
			b = binary.BigEndian.AppendUint32(b, uint32(len(v)))
			b = append(b, v...)
		case []byte:
			if len(v) == 0 {
				emptyBytes = append(emptyBytes, len(b))
			}
			b = binary.BigEndian.AppendUint32(b, uint32(len(v)))
			b = append(b, v...)
		case uint8:
			b = append(b, v)
		}
	}
	if n := len(params); n > 0 && params[n-1] != Uint8 && reflect.ValueOf(args[n-1]).Len() == 0 {
		b = append(b, 0)
	}
	for _, at := range emptyBytes {
		left := len(b) - at - 4
		if 2*left > math.MaxUint32 {
			return nil, errors.New("an empty []byte before more than 2 GiB of input")
		}
		binary.BigEndian.PutUint32(b[at:], uint32(2*left))
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
		case Bytes:
			if pos+4 > len(data) {
				return nil, fmt.Errorf("argument %d ([]byte): %d bytes left, need a 4-byte length", i, len(data)-pos)
			}
			n := uint64(binary.BigEndian.Uint32(data[pos:]))
			pos += 4
			left := uint64(len(data) - pos)
			if left == 0 {
				return nil, fmt.Errorf("argument %d ([]byte): no bytes left after its length", i)
			}
			if n == 0 {
				n = 30
			}
			if n != left {
				n %= left
			}
			args = append(args, bytes.Clone(data[pos:pos+int(n)]))
			pos += int(n)
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
		case []byte:
			fmt.Fprintf(&b, "[]byte(%q)\n", v)
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
		if !sameType(p, args[i]) {
			return nil, fmt.Errorf("value %d is %T, want %s", i, args[i], p)
		}
	}
	return args, nil
}

// parseGoFuzzValue reads one value line: string("…"), []byte("…"),
// byte('…') or uint8(N) (go test writes bytes as byte('…'); a hand-written
// file may use either).
func parseGoFuzzValue(line string) (any, error) {
	expr, err := parser.ParseExpr(line)
	if err != nil {
		return nil, err
	}
	call, ok := expr.(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return nil, errors.New("want a conversion such as string(\"…\") with one argument")
	}
	lit, ok := call.Args[0].(*ast.BasicLit)
	if !ok {
		return nil, errors.New("the argument is not a literal")
	}
	if arr, ok := call.Fun.(*ast.ArrayType); ok && arr.Len == nil {
		if elt, ok := arr.Elt.(*ast.Ident); ok && (elt.Name == "byte" || elt.Name == "uint8") && lit.Kind == token.STRING {
			s, err := strconv.Unquote(lit.Value)
			return []byte(s), err
		}
		return nil, errors.New("want []byte(\"…\")")
	}
	fn, ok := call.Fun.(*ast.Ident)
	if !ok {
		return nil, errors.New("want string(…), []byte(…), byte(…) or uint8(…)")
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
