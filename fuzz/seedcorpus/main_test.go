package main

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cspmodel/cspmodel/fuzz"
)

// TestZipsHoldTheSeeds writes every target's zip and reads each entry back,
// with the decoding rules of a go-118-fuzz-build binary, into the target's
// seeds in order.
func TestZipsHoldTheSeeds(t *testing.T) {
	out := t.TempDir()
	var log strings.Builder
	if err := run(out, "", &log); err != nil {
		t.Fatal(err)
	}
	for _, tg := range fuzz.Targets {
		seeds, err := tg.Seeds(os.DirFS("../.."))
		if err != nil {
			t.Fatal(err)
		}
		z, err := zip.OpenReader(filepath.Join(out, tg.Binary+"_seed_corpus.zip"))
		if err != nil {
			t.Fatal(err)
		}
		if len(z.File) != len(seeds) {
			t.Errorf("%s: %d entries, %d seeds", tg.Name, len(z.File), len(seeds))
		}
		for i, f := range z.File {
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			data, err := io.ReadAll(r)
			r.Close()
			if err != nil {
				t.Fatal(err)
			}
			args, err := fuzz.DecodeLibFuzzer(tg.Params, data)
			if err != nil {
				t.Fatalf("%s %s: %v", tg.Name, f.Name, err)
			}
			if i < len(seeds) {
				if diff := cmp.Diff(seeds[i], args); diff != "" {
					t.Fatalf("%s %s (-seed +zip):\n%s", tg.Name, f.Name, diff)
				}
			}
		}
		z.Close()
	}
	if !strings.Contains(log.String(), "fuzz_decide_seed_corpus.zip: ") {
		t.Errorf("log: %s", log.String())
	}
}
