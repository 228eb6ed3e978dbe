package engine

import "unicode/utf8"

// The fast path accepts a domain label "xn--…" itself only when it fits in
// DNS (63 bytes at most) and is the canonical Punycode (RFC 3492) of a
// label IDNA is sure to accept as it is:
// ASCII lowercase letters, digits and '-', plus the Latin-1 lowercase letters
// U+00DF to U+00FF but U+00F7, at least one of them. Such labels are in NFC,
// valid under UTS #46, left to right and free of joiners, so the URL
// parser's domain-to-ASCII leaves them unchanged. Every other xn-- label goes
// to the full parser.

const (
	punyBase        = 36
	punyTMin        = 1
	punyTMax        = 26
	punySkew        = 38
	punyDamp        = 700
	punyInitialBias = 72
	punyInitialN    = 128
	// punyMaxLabel is the longest DNS label, in bytes; punyDecode takes
	// labels of at most as many code points.
	punyMaxLabel = 63
)

// simpleACELabel reports whether label (lowercase, after "xn--") decodes to
// a label of the simple repertoire above and encodes back to itself.
func simpleACELabel(encoded string) bool {
	// A DNS label is at most 63 bytes, "xn--" included. The URL parser
	// takes longer ones, but the fast path leaves them to it, so that the
	// buffers below suffice: the input decodes to fewer code points than
	// it has bytes, and Punycode encodes a label one way only, so the
	// encoding of what decoded is the input itself.
	if len(encoded) > punyMaxLabel-len("xn--") {
		return false
	}
	var buf [punyMaxLabel]rune
	decoded, ok := punyDecode(encoded, buf[:0])
	if !ok {
		return false
	}
	// At least one code point is not ASCII: punyDecode refuses a label
	// with no encoded part, and every encoded code point is 0x80 or more.
	for _, r := range decoded {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9', r == '-':
		case 0xDF <= r && r <= 0xFF && r != 0xF7:
		default:
			return false
		}
	}
	var out [punyMaxLabel]byte
	return string(punyEncode(decoded, out[:0])) == encoded
}

func punyAdapt(delta, numPoints int, first bool) int {
	if first {
		delta /= punyDamp
	} else {
		delta /= 2
	}
	delta += delta / numPoints
	k := 0
	for delta > ((punyBase-punyTMin)*punyTMax)/2 {
		delta /= punyBase - punyTMin
		k += punyBase
	}
	return k + (punyBase-punyTMin+1)*delta/(delta+punySkew)
}

func punyThreshold(k, bias int) int {
	switch {
	case k <= bias:
		return punyTMin
	case k >= bias+punyTMax:
		return punyTMax
	}
	return k - bias
}

// punyDecode decodes lowercase Punycode into out; it returns false for
// anything malformed, for uppercase digits, and for labels longer than
// punyMaxLabel code points (the fast path does not need them), which it
// refuses before it appends more than that many to out.
func punyDecode(s string, out []rune) ([]rune, bool) {
	b := -1
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '-' {
			b = i
			break
		}
	}
	if b == 0 || b == len(s)-1 || b > punyMaxLabel {
		return nil, false
	}
	for i := 0; i < b; i++ {
		if s[i] >= 0x80 {
			return nil, false
		}
		out = append(out, rune(s[i]))
	}
	n, bias, i := punyInitialN, punyInitialBias, 0
	for in := b + 1; in < len(s); {
		oldi, w := i, 1
		for k := punyBase; ; k += punyBase {
			if in >= len(s) {
				return nil, false
			}
			c := s[in]
			in++
			var digit int
			switch {
			case 'a' <= c && c <= 'z':
				digit = int(c - 'a')
			case '0' <= c && c <= '9':
				digit = int(c-'0') + 26
			default:
				return nil, false
			}
			if digit > (1<<30-i)/w {
				return nil, false
			}
			i += digit * w
			t := punyThreshold(k, bias)
			if digit < t {
				break
			}
			if w > (1<<30)/(punyBase-t) {
				return nil, false
			}
			w *= punyBase - t
		}
		if len(out) >= punyMaxLabel {
			return nil, false
		}
		bias = punyAdapt(i-oldi, len(out)+1, oldi == 0)
		n += i / (len(out) + 1)
		i %= len(out) + 1
		if n > utf8.MaxRune {
			return nil, false
		}
		out = append(out, 0)
		copy(out[i+1:], out[i:])
		out[i] = rune(n)
		i++
	}
	return out, true
}

// punyEncode encodes a label to Punycode (without "xn--") into out.
func punyEncode(label []rune, out []byte) []byte {
	basic := 0
	for _, r := range label {
		if r < 0x80 {
			out = append(out, byte(r))
			basic++
		}
	}
	h := basic
	if basic > 0 {
		out = append(out, '-')
	}
	n, delta, bias := punyInitialN, 0, punyInitialBias
	for h < len(label) {
		m := int(utf8.MaxRune) + 1
		for _, r := range label {
			if int(r) >= n && int(r) < m {
				m = int(r)
			}
		}
		delta += (m - n) * (h + 1)
		n = m
		for _, r := range label {
			if int(r) < n {
				delta++
			}
			if int(r) == n {
				q := delta
				for k := punyBase; ; k += punyBase {
					t := punyThreshold(k, bias)
					if q < t {
						break
					}
					out = append(out, punyDigit(t+(q-t)%(punyBase-t)))
					q = (q - t) / (punyBase - t)
				}
				out = append(out, punyDigit(q))
				bias = punyAdapt(delta, h+1, h == basic)
				delta = 0
				h++
			}
		}
		delta++
		n++
	}
	return out
}

func punyDigit(d int) byte {
	if d < 26 {
		return byte('a' + d)
	}
	return byte('0' + d - 26)
}
