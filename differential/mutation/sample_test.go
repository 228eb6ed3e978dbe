package main

import (
	"fmt"
	"math"
	"reflect"
	"testing"
)

// fakeMutants makes mutants of files of the given sizes in two packages.
func fakeMutants(sizes map[string]int, order []string) []*Mutant {
	var ms []*Mutant
	for _, f := range order {
		pkg := pkgOf(nil, f)
		for i := 0; i < sizes[f]; i++ {
			ms = append(ms, &Mutant{ID: fmt.Sprintf("%s:f:op:%08x", f, i), Pkg: pkg, File: f})
		}
	}
	return ms
}

var sampleFiles = []string{"a/big.go", "a/mid.go", "a/one.go", "a/small.go", "b/x.go", "b/y.go"}
var sampleSizes = map[string]int{"a/big.go": 700, "a/mid.go": 250, "a/one.go": 1, "a/small.go": 49, "b/x.go": 30, "b/y.go": 10}

func ids(ms []*Mutant) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}

func TestSampleDeterministic(t *testing.T) {
	all := fakeMutants(sampleSizes, sampleFiles)
	a, sa := drawSample(all, 100, 7)
	b, sb := drawSample(fakeMutants(sampleSizes, sampleFiles), 100, 7)
	if !reflect.DeepEqual(ids(a), ids(b)) || !reflect.DeepEqual(sa, sb) {
		t.Fatal("the same seed drew different samples")
	}
	c, _ := drawSample(all, 100, 8)
	if reflect.DeepEqual(ids(a), ids(c)) {
		t.Fatal("seeds 7 and 8 drew the same sample")
	}
	// A mutant's draw does not depend on other files: growing another
	// file leaves a file's draw alone as long as its allocation holds.
	grown := map[string]int{}
	for f, n := range sampleSizes {
		grown[f] = n
	}
	grown["b/y.go"] = 11
	d, _ := drawSample(fakeMutants(grown, sampleFiles), 100, 7)
	inA := func(ms []*Mutant) []string {
		var out []string
		for _, m := range ms {
			if m.Pkg == "a" {
				out = append(out, m.ID)
			}
		}
		return out
	}
	if !reflect.DeepEqual(inA(a), inA(d)) {
		t.Fatal("a change in package b moved the draw in package a")
	}
	seen := map[string]bool{}
	for _, id := range ids(a) {
		if seen[id] {
			t.Fatalf("%s drawn twice", id)
		}
		seen[id] = true
	}
}

// TestSampleOrder: the sample runs with its files interleaved, so that
// every prefix of it is spread over the files in proportion to their
// draws, and a smaller sample of the same seed is nested in a larger one.
func TestSampleOrder(t *testing.T) {
	ms, _ := drawSample(fakeMutants(sampleSizes, sampleFiles), 100, 3)
	final := map[string]int{}
	for _, m := range ms {
		final[m.File]++
	}
	for _, prefix := range []int{10, 50, 101, 140} {
		got := map[string]int{}
		for _, m := range ms[:prefix] {
			got[m.File]++
		}
		for f, k := range final {
			share := float64(prefix) * float64(k) / float64(len(ms))
			if math.Abs(float64(got[f])-share) > 1.5 {
				t.Errorf("the first %d: %d of %s, expected about %.1f", prefix, got[f], f, share)
			}
		}
	}
	small, _ := drawSample(fakeMutants(sampleSizes, sampleFiles), 40, 3)
	in := map[string]bool{}
	for _, m := range ms {
		in[m.ID] = true
	}
	for _, m := range small {
		if !in[m.ID] {
			t.Fatalf("%s is in the sample of 40 but not of 100", m.ID)
		}
	}
}

func TestSampleStratified(t *testing.T) {
	ms, s := drawSample(fakeMutants(sampleSizes, sampleFiles), 100, 1)
	got := map[string]int{}
	for _, m := range ms {
		got[m.File]++
	}
	// 100 from each package: package a's four files get one each, and the
	// other 96 go by what each has beyond that (699, 249, 0, 48 of 996:
	// 67.4, 24.0, 0, 4.6, the remainders to small.go); package b's 40 are
	// taken whole.
	want := map[string]int{"a/big.go": 68, "a/mid.go": 25, "a/one.go": 1, "a/small.go": 6, "b/x.go": 30, "b/y.go": 10}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("drawn per file %v, want %v", got, want)
	}
	if !reflect.DeepEqual(s.Population, sampleSizes) || s.N != 100 || s.Seed != 1 {
		t.Fatalf("sample %+v", s)
	}
}

func TestAllocate(t *testing.T) {
	for _, c := range []struct {
		sizes []int
		n     int
		want  []int
	}{
		{[]int{10, 10}, 4, []int{2, 2}},
		{[]int{90, 9, 1}, 10, []int{7, 2, 1}}, // 7 left: 6.42 and 0.58 of 89 and 8
		{[]int{5, 5, 5}, 2, []int{1, 1, 0}},   // fewer draws than files: the first ones
		{[]int{3, 100}, 50, []int{2, 48}},     // 48 left: 0.95 and 47.05 of 2 and 99
		{[]int{3, 100}, 102, []int{3, 99}},    // never more than a file has
		{[]int{3, 4}, 9, []int{3, 4}},
		{[]int{0, 4}, 2, []int{0, 2}},
		{[]int{7}, 0, []int{0}},
	} {
		got := allocate(c.sizes, c.n)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("allocate(%v, %d) = %v, want %v", c.sizes, c.n, got, c.want)
		}
	}
	// Every n, over uneven sizes: the sum is n, every file gets one
	// when n allows, none more than its size, and each within one of
	// its proportional share beyond the first.
	sizes := []int{700, 250, 1, 49, 13, 2}
	for n := 0; n <= 1015; n++ {
		got := allocate(sizes, n)
		sum := 0
		for i, k := range got {
			sum += k
			if k > sizes[i] || k < 0 {
				t.Fatalf("n=%d: %v", n, got)
			}
			if n >= len(sizes) && k == 0 {
				t.Fatalf("n=%d: file %d left out: %v", n, i, got)
			}
			if n >= len(sizes) {
				share := float64(n-len(sizes)) * float64(sizes[i]-1) / float64(1015-len(sizes))
				if math.Abs(float64(k-1)-share) > 1.0001 && k != sizes[i] {
					t.Fatalf("n=%d: file %d gets %d, share %.2f: %v", n, i, k, 1+share, got)
				}
			}
		}
		if sum != min(n, 1015) {
			t.Fatalf("n=%d: %v sums to %d", n, got, sum)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestWilson(t *testing.T) {
	// Wilson's interval of 90 in 100, by the formula.
	lo, hi := wilson(0.9, 100, 1.959963984540054)
	if !near(lo, 0.8256343384950865) || !near(hi, 0.9447708629393249) {
		t.Fatalf("wilson(0.9, 100) = %v, %v", lo, hi)
	}
	lo, hi = wilson(1, 50, 1.959963984540054)
	if hi != 1 || !(lo > 0.92 && lo < 0.93) { // 50/(50+z²)
		t.Fatalf("wilson(1, 50) = %v, %v", lo, hi)
	}
}

func TestEstimate(t *testing.T) {
	// Two files: 1000 mutants, 50 drawn, 40 count, 36 killed; 500, 25
	// drawn, all count, 20 killed. The weights are 800 and 500; the score
	// (800·0.9 + 500·0.8)/1300; the variance the stratified one with the
	// finite-population corrections; the values computed by hand.
	e := estimate([]stratum{{counted: 40, killed: 36, drawn: 50, population: 1000}, {counted: 25, killed: 20, drawn: 25, population: 500}})
	if !near(e.Score, 0.8615384615384616) || !near(e.Low, 0.7596002206583724) || !near(e.High, 0.9245449978803616) {
		t.Fatalf("estimate = %+v", e)
	}
	if e.Counted != 65 || e.Population != 1500 {
		t.Fatalf("counts %+v", e)
	}
	// The whole population drawn: the score is exact.
	e = estimate([]stratum{{counted: 8, killed: 6, drawn: 10, population: 10}})
	if e.Score != 0.75 || e.Low != 0.75 || e.High != 0.75 {
		t.Fatalf("whole population: %+v", e)
	}
	// Every sampled rate 1: Wilson on the number counted.
	e = estimate([]stratum{{counted: 30, killed: 30, drawn: 30, population: 300}, {counted: 20, killed: 20, drawn: 20, population: 200}})
	lo, _ := wilson(1, 50, 1.959963984540054)
	if e.Score != 1 || !near(e.Low, lo) || e.High != 1 {
		t.Fatalf("all killed: %+v", e)
	}
	// Nothing counted: no score, no interval.
	if e = estimate([]stratum{{drawn: 3, population: 9}}); e.Score != 0 || e.Counted != 0 || e.Population != 9 {
		t.Fatalf("nothing counted: %+v", e)
	}
}

// TestEstimateRows: the rows of a sampled report get the estimates of their
// files, the package's and the total's combining them; mutants not run
// yet do not count as drawn.
func TestEstimateRows(t *testing.T) {
	s := &Sample{N: 3, Seed: 1, Population: map[string]int{"a/x.go": 30, "a/y.go": 10}}
	mk := func(file, status string) *Result {
		return &Result{Mutant: &Mutant{ID: file + status, Pkg: "a", File: file}, Status: status}
	}
	results := []*Result{
		mk("a/x.go", StatusKilled), mk("a/x.go", StatusSurvived), mk("a/x.go", StatusNotCompiling), mk("a/x.go", ""),
		mk("a/y.go", StatusTimeout), mk("a/y.go", StatusKilled),
	}
	results[1].Fuzz = &FuzzResult{KilledBy: "FuzzX"}
	rep := &Report{Sample: s}
	rep.summarize(results, true)
	got := map[string]Estimate{}
	fz := map[string]Estimate{}
	for _, r := range rep.Summary {
		got[r.Name] = *r.Estimate
		fz[r.Name] = *r.FuzzEstimate
	}
	// x.go: 3 drawn (one pending), 2 count, 1 killed: weight 30·2/3 = 20;
	// y.go: 2 of 2 killed, weight 10.
	if e := got["a/x.go"]; e.Score != 0.5 || e.Counted != 2 {
		t.Errorf("a/x.go: %+v", e)
	}
	if e := got["a"]; !near(e.Score, (20*0.5+10*1)/30.0) || e.Counted != 4 || e.Population != 40 {
		t.Errorf("a: %+v", e)
	}
	if got["total"] != got["a"] {
		t.Errorf("total %+v, a %+v", got["total"], got["a"])
	}
	if e := fz["a"]; e.Score != 1 {
		t.Errorf("a with fuzzing: %+v", e)
	}
}
