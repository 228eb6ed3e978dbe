package main

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"sort"
	"strconv"
)

// A Sample says which mutants a sampled run drew: N from each mutated
// package, spread over its files in proportion to their mutants (each file
// at least one while N allows), the ones in a file chosen by a hash of the
// seed and their IDs. The same seed and code draw the same mutants, and a
// mutant keeps its chance to be drawn when other files change.
type Sample struct {
	N    int    `json:"n"`
	Seed uint64 `json:"seed"`
	// Population is the number of mutants of each file, before drawing:
	// the weights of the files in the estimate.
	Population map[string]int `json:"population"`
}

// drawSample draws the sample from mutants (every package's, in file
// order) and returns it in the same order.
func drawSample(mutants []*Mutant, n int, seed uint64) ([]*Mutant, *Sample) {
	s := &Sample{N: n, Seed: seed, Population: map[string]int{}}
	byFile := map[string][]*Mutant{}
	filesOf := map[string][]string{} // package → its files, in order
	var pkgs []string
	for _, m := range mutants {
		if byFile[m.File] == nil {
			if filesOf[m.Pkg] == nil {
				pkgs = append(pkgs, m.Pkg)
			}
			filesOf[m.Pkg] = append(filesOf[m.Pkg], m.File)
		}
		byFile[m.File] = append(byFile[m.File], m)
		s.Population[m.File]++
	}
	type draw struct {
		m    *Mutant
		at   float64 // (rank + ½) / the file's draws: where it falls in the run
		file int
	}
	var drawn []draw
	fileNo := 0
	for _, pkg := range pkgs {
		files := filesOf[pkg]
		sizes := make([]int, len(files))
		for i, f := range files {
			sizes[i] = len(byFile[f])
		}
		for i, k := range allocate(sizes, n) {
			ms := append([]*Mutant(nil), byFile[files[i]]...)
			sort.Slice(ms, func(a, b int) bool { return drawKey(seed, ms[a].ID) < drawKey(seed, ms[b].ID) })
			for r, m := range ms[:k] {
				drawn = append(drawn, draw{m, (float64(r) + 0.5) / float64(k), fileNo})
			}
			fileNo++
		}
	}
	sort.SliceStable(drawn, func(a, b int) bool {
		if drawn[a].at != drawn[b].at {
			return drawn[a].at < drawn[b].at
		}
		return drawn[a].file < drawn[b].file
	})
	out := make([]*Mutant, len(drawn))
	for i, d := range drawn {
		out[i] = d.m
	}
	return out, s
}

// drawKey orders a file's mutants for the draw: the first ones drawn have
// the smallest keys.
func drawKey(seed uint64, id string) uint64 {
	h := sha256.Sum256([]byte(strconv.FormatUint(seed, 10) + "\x00" + id))
	return binary.BigEndian.Uint64(h[:8])
}

// allocate spreads n draws over strata of the given sizes: one to each
// while n allows (the largest strata first), the rest in proportion to what
// each holds beyond that one, the fractions going to the largest
// remainders; never more than a stratum holds. With n at
// least the total, every stratum is taken whole.
func allocate(sizes []int, n int) []int {
	out := make([]int, len(sizes))
	total := 0
	for _, s := range sizes {
		total += s
	}
	if n >= total {
		copy(out, sizes)
		return out
	}
	if n <= 0 {
		return out
	}
	// Indices by size, largest first (ties by position), for the
	// minimum of one and for the remainders.
	idx := make([]int, len(sizes))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return sizes[idx[a]] > sizes[idx[b]] })
	left := n
	for _, i := range idx {
		if left == 0 {
			break
		}
		if sizes[i] > 0 {
			out[i] = 1
			left--
		}
	}
	// The rest in proportion to what each stratum has beyond its first.
	for left > 0 {
		room := 0
		for i, s := range sizes {
			room += s - out[i]
		}
		type share struct {
			i    int
			frac float64
		}
		var shares []share
		given := 0
		for _, i := range idx {
			r := sizes[i] - out[i]
			if r == 0 {
				continue
			}
			exact := float64(left) * float64(r) / float64(room)
			whole := min(int(exact), r)
			out[i] += whole
			given += whole
			shares = append(shares, share{i, exact - float64(whole)})
		}
		left -= given
		sort.SliceStable(shares, func(a, b int) bool { return shares[a].frac > shares[b].frac })
		for _, sh := range shares {
			if left == 0 {
				break
			}
			if out[sh.i] < sizes[sh.i] {
				out[sh.i]++
				left--
			}
		}
	}
	return out
}

// An Estimate is the score of a population estimated from a stratified
// sample, with its 95% confidence interval.
type Estimate struct {
	Score float64 `json:"score"`
	Low   float64 `json:"low"`
	High  float64 `json:"high"`
	// Counted is the number of sampled mutants that count (killed or
	// survived); Population the mutants the estimate speaks for.
	Counted    int `json:"counted"`
	Population int `json:"population"`
}

func (e Estimate) String() string {
	return fmt.Sprintf("%.1f%% (95%% CI %.1f–%.1f%%)", 100*e.Score, 100*e.Low, 100*e.High)
}

// stratum is one file's sample: how many of its sampled mutants count, how
// many of those were killed, how many were drawn, and the file's mutants.
type stratum struct {
	counted, killed, drawn, population int
}

// estimate combines the strata. Each file weighs as many mutants as it
// would count if the share of its drawn mutants that count (neither
// equivalent nor failing to build) held for all of them. The score is the
// weighted mean of the files' kill rates; its variance the stratified one,
// with each file's finite-population correction. The interval is Wilson's,
// on the effective sample size that variance implies (the plain Wald
// interval is too narrow near 100%, where these scores are); a file whose
// sampled rate is 0 or 1 adds no variance, so with every rate at 0 or 1 the
// effective size is the number counted.
func estimate(strata []stratum) Estimate {
	const z = 1.959963984540054
	var e Estimate
	var weight, sum float64
	type w struct {
		weight float64
		s      stratum
	}
	var ws []w
	for _, s := range strata {
		e.Population += s.population
		if s.counted == 0 || s.drawn == 0 {
			continue
		}
		wt := float64(s.population) * float64(s.counted) / float64(s.drawn)
		ws = append(ws, w{wt, s})
		weight += wt
		sum += wt * float64(s.killed) / float64(s.counted)
		e.Counted += s.counted
	}
	if weight == 0 {
		return e
	}
	p := sum / weight
	var v float64
	for _, x := range ws {
		if x.s.counted < 2 {
			continue
		}
		ph := float64(x.s.killed) / float64(x.s.counted)
		fpc := 1 - float64(x.s.drawn)/float64(x.s.population)
		share := x.weight / weight
		v += share * share * fpc * ph * (1 - ph) / float64(x.s.counted-1)
	}
	neff := float64(e.Counted)
	if v > 0 {
		neff = p * (1 - p) / v
	}
	e.Score = p
	if v == 0 && allDrawn(strata) {
		e.Low, e.High = p, p // the whole population: nothing to estimate
		return e
	}
	e.Low, e.High = wilson(p, neff, z)
	return e
}

func allDrawn(strata []stratum) bool {
	for _, s := range strata {
		if s.drawn < s.population {
			return false
		}
	}
	return true
}

// wilson is Wilson's score interval of a proportion p from n trials.
func wilson(p, n, z float64) (float64, float64) {
	z2 := z * z
	den := 1 + z2/n
	centre := (p + z2/(2*n)) / den
	half := z / den * math.Sqrt(p*(1-p)/n+z2/(4*n*n))
	return max(0, centre-half), min(1, centre+half)
}
