package model

import (
	"os"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
)

// TestModulePathIsFetchable: another module can only `go get` this one if
// its path is a valid, fetchable module path (the first element holds a
// dot, as a host name does) and every package imports it under that path.
func TestModulePathIsFetchable(t *testing.T) {
	data, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	path := modfile.ModulePath(data)
	if err := module.CheckPath(path); err != nil {
		t.Fatalf("module path %q cannot be fetched by go get: %v", path, err)
	}
	if !strings.HasSuffix(path, "/cspmodel") {
		t.Errorf("module path %q does not end in the project's name", path)
	}
}
