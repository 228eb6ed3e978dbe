package sample

import "strings"

// A source file with one of each construct the mutator changes.

const limit = 16

const mask = 0x7f

var names = map[string]bool{"a": true}

type trace struct{ steps []string }

func (t *trace) Step(s string) { t.steps = append(t.steps, s) }

type list struct{ n int }

func (l *list) full(tr *trace) bool {
	tr.Step("full")
	return l.n >= limit
}

func classify(s string, n int) (string, bool) {
	if n < 0 || n > 9 && s != "" {
		return "", false
	}
	if !strings.HasPrefix(s, "x") {
		n += 2
	} else if s == "xy" {
		n--
	} else {
		n++
	}
	if k := len(s); k <= 3 {
		return s[:k], true
	}
	return s + "!", true
}

func scan(b []byte) int {
	found := 0
	out := make([]byte, 0, 8)
	for _, c := range b {
		switch c {
		case '/':
			continue
		case '.', '-':
			found = found + 1
		default:
			out = append(out, c)
		}
		if c == 0 {
			break
		}
		strings.Count(string(out), "x")
	}
	return found
}
