package engine

import "github.com/cspmodel/cspmodel/model"

// CompileEager is Compile followed by every lay-out a decision could ask
// for, the resource hints' lists first and the effective directives in
// reverse order: the eagerly compiled CSP a lazily compiled one must decide
// exactly like (lazy_test.go).
func CompileEager(deliveries []model.PolicyDelivery, self model.Origin) *CSP {
	c := Compile(deliveries, self)
	c.hintLists()
	for e := numEffective - 1; ; e-- {
		c.layOut(e)
		if e == 0 {
			return c
		}
	}
}

// SetMaxWindow makes a hostSet cover at most n bytes of a directive value,
// as one over 4 GiB is split, and a policy text of more than n bytes keep
// no offsets, as one over 64 KiB does, until the returned function restores
// both.
func SetMaxWindow(n int) (restore func()) {
	oldWindow, oldOffset := maxWindow, maxOffset
	maxWindow, maxOffset = n, n
	return func() { maxWindow, maxOffset = oldWindow, oldOffset }
}

// SetMaxDeliveries makes Compile refuse more than n deliveries, as it
// refuses more than 2^31-1, until the returned function restores the limit.
func SetMaxDeliveries(n int) (restore func()) {
	old := maxDeliveries
	maxDeliveries = n
	return func() { maxDeliveries = old }
}

// SetMaxHostPart makes a host-part of more than n bytes refused, as one
// over 4 GiB is, until the returned function restores the limit.
func SetMaxHostPart(n uint64) (restore func()) {
	old := maxHostPart
	maxHostPart = n
	return func() { maxHostPart = old }
}

// ScannedDirectives returns the effective directives whose first request
// c decided by scanning (scan.go), one bit each, and LaidOutDirectives those
// whose deciders are laid out.
func (c *CSP) ScannedDirectives() uint32 { return c.ready.Load() >> scanShift & (1<<numEffective - 1) }
func (c *CSP) LaidOutDirectives() uint32 { return c.ready.Load() & (1<<numEffective - 1) }

// SourceListWindows compiles value as a source list and returns the text
// of each of its host sets, in order: one for a value that fits a window,
// and a window's worth each otherwise (SetMaxWindow).
func SourceListWindows(value string) []string {
	var l sourceList
	compileSourceList(&l, value, schemeSet{})
	texts := []string{l.hostSet.text}
	if l.rare != nil {
		for _, hs := range l.rare.more {
			texts = append(texts, hs.text)
		}
	}
	return texts
}

// DigestsComputed returns how many digests of the inline text d's last
// inline decision computed.
func DigestsComputed(d *CheckDecision) int { return d.matcher.digested }
