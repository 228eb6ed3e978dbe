// Command seedprobe decodes every entry of the seed corpus zips with
// go-118-fuzz-build's own stand-in for testing.F, exactly as a libFuzzer
// binary does, and compares the arguments with each target's seeds. The
// libFuzzer test runs it in a copy of the tree where build.sh has added
// that package to go.mod (the project itself does not depend on it).
//
//	go run ./fuzz/libfuzzer/testdata/seedprobe OUT
package main

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"

	gfb "github.com/AdamKorcz/go-118-fuzz-build/testing"

	"github.com/cspmodel/cspmodel/fuzz"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: seedprobe OUT")
		os.Exit(2)
	}
	bad := 0
	for _, t := range fuzz.Targets {
		n, err := probe(t, os.Args[1])
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", t.Name, err)
			bad++
			continue
		}
		fmt.Printf("%s: the binary's decoder reads all %d seeds as they were written\n", t.Name, n)
	}
	if bad > 0 {
		os.Exit(1)
	}
}

func probe(t fuzz.Target, out string) (int, error) {
	seeds, err := t.Seeds(os.DirFS("."))
	if err != nil {
		return 0, err
	}
	z, err := zip.OpenReader(filepath.Join(out, t.Binary+"_seed_corpus.zip"))
	if err != nil {
		return 0, err
	}
	defer z.Close()
	if len(z.File) != len(seeds) {
		return 0, fmt.Errorf("%d zip entries for %d seeds", len(z.File), len(seeds))
	}
	in := []reflect.Type{reflect.TypeOf((*gfb.T)(nil))}
	for _, p := range t.Params {
		switch p {
		case fuzz.Uint8:
			in = append(in, reflect.TypeOf(uint8(0)))
		case fuzz.Bytes:
			in = append(in, reflect.TypeOf([]byte(nil)))
		default:
			in = append(in, reflect.TypeOf(""))
		}
	}
	for i, f := range z.File {
		r, err := f.Open()
		if err != nil {
			return 0, err
		}
		data, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			return 0, err
		}
		var got []any
		called := false
		body := reflect.MakeFunc(reflect.FuncOf(in, nil, false), func(args []reflect.Value) []reflect.Value {
			called = true
			for _, a := range args[1:] {
				got = append(got, a.Interface())
			}
			return nil
		})
		(&gfb.F{Data: data, T: gfb.NewT()}).Fuzz(body.Interface())
		if !called {
			return 0, fmt.Errorf("%s: the decoder drops this input: %q", f.Name, data)
		}
		if !reflect.DeepEqual(got, seeds[i]) {
			return 0, fmt.Errorf("%s: decoded %q, the seed is %q", f.Name, got, seeds[i])
		}
	}
	return len(z.File), nil
}
