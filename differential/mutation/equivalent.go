package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strings"
)

// An Equivalent is a mutant that no input can tell from the original, with
// the reason.
type Equivalent struct {
	ID     string
	Change string // the change as changeLine prints it
	Reason string
	Line   int // where the entry starts in its file
}

// parseEquivalents reads the equivalents file: blocks of "key: value" lines
// separated by blank lines, with the keys mutant, change and reason (a value
// continues on following lines that start with white space), and "#"
// comments.
func parseEquivalents(name string, data []byte) ([]Equivalent, error) {
	var (
		out  []Equivalent
		cur  *Equivalent
		last *string
	)
	flush := func() error {
		if cur == nil {
			return nil
		}
		switch {
		case cur.ID == "":
			return fmt.Errorf("%s:%d: entry without a mutant: line", name, cur.Line)
		case strings.TrimSpace(cur.Reason) == "":
			return fmt.Errorf("%s:%d: %s: no reason given", name, cur.Line, cur.ID)
		case cur.Change == "":
			return fmt.Errorf("%s:%d: %s: no change: line", name, cur.Line, cur.ID)
		}
		out = append(out, *cur)
		cur, last = nil, nil
		return nil
	}
	seen := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "#"):
			continue
		case strings.TrimSpace(line) == "":
			if err := flush(); err != nil {
				return nil, err
			}
			continue
		case line[0] == ' ' || line[0] == '\t':
			if last == nil {
				return nil, fmt.Errorf("%s:%d: continuation line outside a value", name, n)
			}
			*last += " " + strings.TrimSpace(line)
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("%s:%d: want \"key: value\", got %q", name, n, line)
		}
		val = strings.TrimSpace(val)
		if cur == nil {
			cur = &Equivalent{Line: n}
		}
		switch key {
		case "mutant":
			if cur.ID != "" {
				return nil, fmt.Errorf("%s:%d: second mutant: line in one entry (separate entries with a blank line)", name, n)
			}
			if at, dup := seen[val]; dup {
				return nil, fmt.Errorf("%s:%d: %s is already listed at line %d", name, n, val, at)
			}
			seen[val] = n
			cur.ID, last = val, &cur.ID
		case "change":
			cur.Change, last = val, &cur.Change
		case "reason":
			cur.Reason, last = val, &cur.Reason
		default:
			return nil, fmt.Errorf("%s:%d: unknown key %q (want mutant, change or reason)", name, n, key)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}

func loadEquivalents(path string) ([]Equivalent, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseEquivalents(path, data)
}

// checkEquivalents matches the entries to the mutants: an entry whose
// mutant no longer exists, or whose change no longer reads as written, is
// stale. So is one whose mutant has twins (identical changes in the same
// function under the same statements, told apart only by their order) that
// are not all listed: an edit that adds or removes one of them moves the
// name to another, which may not be equivalent.
func checkEquivalents(eqs []Equivalent, mutants []*Mutant, file string) (map[string]Equivalent, []string) {
	byID := map[string]*Mutant{}
	byPlace := map[string][]*Mutant{}
	for _, m := range mutants {
		byID[m.ID] = m
		k := m.File + "\x00" + m.place
		byPlace[k] = append(byPlace[k], m)
	}
	listed := map[string]bool{}
	for _, e := range eqs {
		listed[e.ID] = true
	}
	unlistedTwin := func(m *Mutant) string {
		for _, t := range byPlace[m.File+"\x00"+m.place] {
			if t != m && !listed[t.ID] {
				return t.ID
			}
		}
		return ""
	}
	ok := map[string]Equivalent{}
	var stale []string
	for _, e := range eqs {
		m := byID[e.ID]
		switch {
		case m == nil:
			stale = append(stale, fmt.Sprintf("%s:%d: %s: no such mutant (the code changed: remove the entry, or list the mutant under its new ID)", file, e.Line, e.ID))
		case changeLine(m) != e.Change:
			stale = append(stale, fmt.Sprintf("%s:%d: %s: the change reads %q now, not %q", file, e.Line, e.ID, changeLine(m), e.Change))
		default:
			if twin := unlistedTwin(m); twin != "" {
				stale = append(stale, fmt.Sprintf("%s:%d: %s: its twin %s (the same change under the same statements) is not listed, and only their order tells them apart: list both or neither", file, e.Line, e.ID, twin))
				continue
			}
			ok[e.ID] = e
		}
	}
	return ok, stale
}

// changeLine is a mutant's change on one line: the first line it alters,
// before and after ("(removed)" when the line goes).
func changeLine(m *Mutant) string {
	a, b := strings.Split(m.Orig, "\n"), strings.Split(m.Mutated, "\n")
	if m.Mutated == "" {
		b = nil
	}
	for i := range a {
		if i >= len(b) {
			return strings.TrimSpace(a[i]) + " → (removed)"
		}
		if a[i] != b[i] {
			return strings.TrimSpace(a[i]) + " → " + strings.TrimSpace(b[i])
		}
	}
	return strings.TrimSpace(a[0]) + " → (unchanged)"
}
