package email

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

// TestTightenLinks checks the one-pass rewrite against the regexp it
// replaced, on html2text's own shape and on random strings of the
// characters that matter.
func TestTightenLinks(t *testing.T) {
	oracle := regexp.MustCompile(`\( (\S+) \)`)
	check := func(in string) {
		t.Helper()
		if got, want := tightenLinks(in), oracle.ReplaceAllString(in, "($1)"); got != want {
			t.Fatalf("tightenLinks(%q) = %q, want %q", in, got, want)
		}
	}
	check("Reset ( https://evil.example/r?a=1 ) now")
	check("( ( x ) )")
	check("no links")
	check("( a b )")
	rng := rand.New(rand.NewPCG(1, 2))
	const chars = "( )ab\t\n"
	for range 20000 {
		b := make([]byte, rng.IntN(12))
		for i := range b {
			b[i] = chars[rng.IntN(len(chars))]
		}
		check(string(b))
	}
}
