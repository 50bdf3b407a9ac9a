package email

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// fuzzDeadline is far above the worst corpus mail (a few ms), so only a
// pathological input trips it, even on a loaded machine.
const fuzzDeadline = 5 * time.Second

// FuzzParse feeds arbitrary bytes through everything a command does with an
// untrusted .eml: Parse, the forensics, Facts and Defang. Nothing may panic,
// errors must be one of the sentinels, and output stays bounded. Seeds live
// in testdata/fuzz/FuzzParse (the fixtures and crafted edge cases).
func FuzzParse(f *testing.F) {
	f.Add([]byte("From: a@example.com\n\nhttp://example.com"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		// A slow input must fail loudly: the fuzzer records a crashing input,
		// but would silently sit on a hang.
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-done:
			case <-time.After(fuzzDeadline):
				panic(fmt.Sprintf("Parse of %d bytes took over %v", len(raw), fuzzDeadline))
			}
		}()
		if d := Defang(string(raw)); len(d) > 3*len(raw)+8 {
			t.Fatalf("Defang grew %d bytes to %d", len(raw), len(d))
		}
		m, err := Parse(raw)
		if err != nil {
			if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrNotEmail) && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error is not a sentinel: %v", err)
			}
			if m != nil {
				t.Fatal("message returned with an error")
			}
			return
		}
		checkBounded(t, m, 0)
	})
}

func checkBounded(t *testing.T, m *Message, depth int) {
	t.Helper()
	if depth > maxNestDepth {
		t.Fatalf("nested deeper than %d", maxNestDepth)
	}
	facts := m.Facts()
	if len(facts) > factsMaxBytes+100 {
		t.Fatalf("Facts is %d bytes", len(facts))
	}
	if d := Defang(facts); len(d) > 3*len(facts)+8 {
		t.Fatalf("Defang(Facts) grew %d bytes to %d", len(facts), len(d))
	}
	ind := m.Forensics.Indicators
	for _, l := range [][]string{ind.URLs, ind.Domains, ind.IPs, ind.Emails} {
		if len(l) > maxIndicators {
			t.Fatalf("indicator list of %d", len(l))
		}
	}
	if len(m.Warnings) > maxWarnings+1 || len(m.Headers) > maxHeaders || len(m.Forensics.Hops) > maxHops ||
		len(m.Forensics.Auth) > maxAuthResults+2 || len(m.Nested) > maxNested {
		t.Fatalf("unbounded: %d warnings, %d headers, %d hops, %d auth, %d nested",
			len(m.Warnings), len(m.Headers), len(m.Forensics.Hops), len(m.Forensics.Auth), len(m.Nested))
	}
	for _, n := range m.Nested {
		checkBounded(t, n, depth+1)
	}
}
