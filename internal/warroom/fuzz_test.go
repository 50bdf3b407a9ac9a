package warroom

import (
	"strings"
	"testing"
)

// escaped reports whether the byte at i is preceded by an odd number of
// backslashes (markdown then reads it as a literal character).
func escaped(s string, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// FuzzEscape: whatever a cell holds, it stays one cell of one row, and no
// bracket, backquote or pipe in it is left for markdown to act on, nor any
// HTML but the line breaks Escape writes itself.
func FuzzEscape(f *testing.F) {
	for _, seed := range []string{"a|b", `a\|b`, "![x](https://e.example)", "`c`", "<img src=x>", "x\ny", `\\[`, "<br>"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Escape(s)
		if strings.ContainsAny(out, "\r\n") {
			t.Fatalf("Escape(%q) = %q spans lines", s, out)
		}
		if strings.Contains(strings.ReplaceAll(out, "<br>", ""), "<") {
			t.Fatalf("Escape(%q) = %q keeps HTML", s, out)
		}
		for i := 0; i < len(out); i++ {
			if strings.IndexByte("[]|`", out[i]) >= 0 && !escaped(out, i) {
				t.Fatalf("Escape(%q) = %q leaves %q at %d unescaped", s, out, out[i], i)
			}
		}
	})
}

// FuzzModelText: outside fenced code, no "[" (links, images) or "<" (HTML)
// of a model's answer is left for markdown to act on.
func FuzzModelText(f *testing.F) {
	for _, seed := range []string{"![x](u)", "```\n[a](b)\n```\n[c](d)", "    ```\n<img>", "``` a`b\n[x](y)", `\[x](y)`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := ModelText(s)
		open := ""
		for _, line := range strings.SplitAfter(out, "\n") {
			switch {
			case open != "":
				if closesFence(line, open) {
					open = ""
				}
				continue
			case openingFence(line) != "":
				open = openingFence(line)
				continue
			}
			if strings.Contains(line, "<") {
				t.Fatalf("ModelText(%q) = %q keeps HTML in %q", s, out, line)
			}
			for i := 0; i < len(line); i++ {
				if line[i] == '[' && !escaped(line, i) {
					t.Fatalf("ModelText(%q) = %q leaves a bracket in %q", s, out, line)
				}
			}
		}
	})
}
