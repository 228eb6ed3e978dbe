package corpus

import (
	"encoding/json"
	"testing"
)

// FuzzCheckCase feeds arbitrary lines, seeded with every corpus case, to
// the decoder and, when they decode, to the model, the engine and the
// command writer: no input may panic, every result is a verdict or an
// error (the engine may also say unsupported, for checks only), and every
// result reads back as a result.
//
//	go test ./corpus -run '^$' -fuzz '^FuzzCheckCase$' -fuzztime 1m
func FuzzCheckCase(f *testing.F) {
	cases, err := Load()
	if err != nil {
		f.Fatal(err)
	}
	for _, c := range cases {
		line, err := json.Marshal(c)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(line)
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		c, err := DecodeCase(line)
		if err != nil {
			return
		}
		_ = c.CheckCommand()
		for name, res := range map[string]Result{"model": RunModel(c, nil), "reports": RunModelWithReportBodies(c, nil), "engine": RunEngine(c)} {
			kinds := 0
			for _, set := range []bool{res.Verdict != "", res.Error != "", res.Unsupported != ""} {
				if set {
					kinds++
				}
			}
			if kinds != 1 || res.Unsupported != "" && (name != "engine" || c.CheckName() == CheckRequest) {
				t.Fatalf("%s: %+v for %s", name, res, line)
			}
			if res.Error != "" {
				continue
			}
			res.ID = "x"
			out, err := json.Marshal(res)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := DecodeResult(out); err != nil {
				t.Fatalf("%s: its result does not read back: %v\n%s\nfor %s", name, err, out, line)
			}
		}
	})
}
