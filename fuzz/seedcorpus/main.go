// Command seedcorpus writes every fuzz target's seeds as a libFuzzer seed
// corpus: one <binary>_seed_corpus.zip per target, each entry one seed in
// the input encoding of a go-118-fuzz-build binary (fuzz.EncodeLibFuzzer),
// which is where OSS-Fuzz and ClusterFuzzLite look for a target's first
// corpus (go-118-fuzz-build ignores f.Add).
//
//	go run ./fuzz/seedcorpus -o "$OUT"
//
// It runs from anywhere inside the module: FuzzParseDocument's seeds are
// read from spec/testdata.
package main

import (
	"archive/zip"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/cspmodel/cspmodel/fuzz"
)

func main() {
	out := flag.String("o", ".", "directory to write the zips to")
	only := flag.String("run", "", "write only the targets whose names contain this")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: seedcorpus [-o dir] [-run name]")
		os.Exit(2)
	}
	if err := run(*out, *only, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "seedcorpus:", err)
		os.Exit(1)
	}
}

func run(out, only string, log io.Writer) error {
	root, err := fuzz.ModuleRoot()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, t := range fuzz.Targets {
		if only != "" && !strings.Contains(t.Name, only) {
			continue
		}
		seeds, err := t.Seeds(os.DirFS(root))
		if err != nil {
			return fmt.Errorf("%s: %w", t.Name, err)
		}
		name := filepath.Join(out, t.Binary+"_seed_corpus.zip")
		if err := writeZip(name, t, seeds); err != nil {
			return err
		}
		fmt.Fprintf(log, "%s: %d seeds\n", name, len(seeds))
	}
	return nil
}

func writeZip(name string, t fuzz.Target, seeds [][]any) (err error) {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	z := zip.NewWriter(f)
	for i, s := range seeds {
		data, err := fuzz.EncodeLibFuzzer(t.Params, s)
		if err != nil {
			return fmt.Errorf("%s seed %d: %w", t.Name, i, err)
		}
		w, err := z.Create(fmt.Sprintf("seed-%04d", i))
		if err != nil {
			return err
		}
		if _, err := w.Write(data); err != nil {
			return err
		}
	}
	return z.Close()
}
