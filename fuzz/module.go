package fuzz

import (
	"errors"
	"os"
	"path/filepath"
)

// ModuleRoot finds the directory of go.mod from the working directory up:
// where the commands of fuzz/ (campaign, seedcorpus, tocase) read and write
// the targets' testdata and the corpus.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}
