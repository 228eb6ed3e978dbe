package fuzz

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// fuzzFunc is a Fuzz function found in the tree.
type fuzzFunc struct {
	dir, name string
	params    []string // the types after *testing.T, as written
}

// treeFuzzFuncs finds every func FuzzX(*testing.F) in the module's test
// files, with the argument types of its f.Fuzz call.
func treeFuzzFuncs(t *testing.T, root string) []fuzzFunc {
	t.Helper()
	var found []fuzzFunc
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && p != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, 0)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(p))
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "Fuzz") {
				continue
			}
			ff := fuzzFunc{dir: filepath.ToSlash(rel), name: fn.Name.Name, params: []string{"?"}}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok || sel.Sel.Name != "Fuzz" || len(call.Args) != 1 {
					return true
				}
				lit, ok := call.Args[0].(*ast.FuncLit)
				if !ok {
					return true
				}
				ff.params = nil
				for i, field := range lit.Type.Params.List {
					typ := types(field.Type)
					n := max(len(field.Names), 1)
					for range n {
						if i > 0 {
							ff.params = append(ff.params, typ)
						}
					}
				}
				return false
			})
			found = append(found, ff)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

func types(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.ArrayType:
		return "[]" + types(e.Elt)
	case *ast.StarExpr:
		return "*" + types(e.X)
	case *ast.SelectorExpr:
		return types(e.X) + "." + e.Sel.Name
	}
	return "?"
}

// TestTargetsMatchTheTree holds Targets to the Fuzz functions in the tree:
// the same names in the same packages, with the argument types Params says,
// so that a new target cannot be left out of the seed corpora, the
// libFuzzer build and the crash converter.
func TestTargetsMatchTheTree(t *testing.T) {
	var tree []string
	for _, ff := range treeFuzzFuncs(t, "..") {
		tree = append(tree, ff.dir+"."+ff.name+"("+strings.Join(ff.params, ", ")+")")
	}
	var listed []string
	for _, tg := range Targets {
		var ps []string
		for _, p := range tg.Params {
			ps = append(ps, p.String())
		}
		listed = append(listed, tg.Dir+"."+tg.Name+"("+strings.Join(ps, ", ")+")")
	}
	slices.Sort(tree)
	slices.Sort(listed)
	if !slices.Equal(tree, listed) {
		t.Errorf("the fuzz targets in the tree and in Targets (targets.go) differ:\ntree:    %s\nTargets: %s", strings.Join(tree, " "), strings.Join(listed, " "))
	}
	binaries := map[string]bool{}
	for _, tg := range Targets {
		if binaries[tg.Binary] {
			t.Errorf("two targets build %s", tg.Binary)
		}
		binaries[tg.Binary] = true
	}
}

// TestOSSFuzzFindsEachTarget applies the rule by which OSS-Fuzz's
// compile_native_go_fuzzer finds a target: among the files under the
// package's directory (recursively, whatever their kind), exactly one line
// may hold both "func <Name>" and "testing.F". Otherwise it prints a
// message and builds nothing, without failing the build. A target whose
// name begins another's (FuzzDecide, FuzzDecideMore) or a comment quoting a
// signature would break it.
func TestOSSFuzzFindsEachTarget(t *testing.T) {
	for _, tg := range Targets {
		n := 0
		err := filepath.WalkDir(filepath.Join("..", tg.Dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for _, line := range strings.Split(string(data), "\n") {
				if strings.Contains(line, "func "+tg.Name) && strings.Contains(line, "testing.F") {
					n++
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("%s: %d lines under %s/ hold \"func %s\" and \"testing.F\"; compile_native_go_fuzzer needs exactly one", tg.Name, n, tg.Dir, tg.Name)
		}
	}
}
