// Command citecheck checks the model's CSP3 citations against the pinned
// spec outline. Run it directly or as a vet tool:
//
//	go run ./spec/citecheck/cmd/citecheck ./model
//	go install ./spec/citecheck/cmd/citecheck && go vet -vettool=$(go env GOPATH)/bin/citecheck ./model
package main

import (
	"golang.org/x/tools/go/analysis/singlechecker"

	"github.com/cspmodel/cspmodel/spec/citecheck"
)

func main() { singlechecker.Main(citecheck.Analyzer) }
