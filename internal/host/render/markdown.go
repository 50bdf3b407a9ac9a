package render

import (
	"strings"

	"github.com/soarkit/openai-gpt/internal/lazyregexp"
)

var (
	headingRE = lazyregexp.New(`^(#{1,6})\s+(.*?)\s*#*\s*$`)
	boldRE    = lazyregexp.New(`\*\*(.+?)\*\*`)
	ruleRE    = lazyregexp.New(`^\s*(-{3,}|\*{3,}|_{3,})\s*$`)
)

// Markdown writes markdown text for a terminal.
func Markdown(b *strings.Builder, text string, opts Options) {
	lines := strings.Split(strings.ReplaceAll(strings.TrimRight(text, "\n"), "\r\n", "\n"), "\n")
	inFence := false
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "```"):
			// Code is shown as typed, without the fence lines.
			inFence = !inFence
		case inFence:
			b.WriteString("    " + line + "\n")
		case strings.HasPrefix(trimmed, "|"):
			j := i
			for j < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[j]), "|") {
				j++
			}
			table(b, lines[i:j], opts)
			i = j - 1
		case headingRE.MatchString(line):
			m := headingRE.FindStringSubmatch(line)
			if i > 0 && strings.TrimSpace(lines[i-1]) != "" {
				b.WriteString("\n") // a heading right after text or a table needs air
			}
			b.WriteString(opts.style(bold, inline(m[2], opts)) + "\n")
		case ruleRE.MatchString(line):
			b.WriteString(opts.style(dim, strings.Repeat("─", min(opts.width(), 40))) + "\n")
		default:
			b.WriteString(inline(line, opts) + "\n")
		}
	}
}

// inline renders **bold** spans, and shows backslash escapes and HTML
// entities as the characters they stand for.
func inline(s string, opts Options) string {
	s = boldRE.ReplaceAllStringFunc(s, func(m string) string {
		return opts.style(bold, m[2:len(m)-2])
	})
	return entities.Replace(unescapeMarkdown(s))
}

// unescapeMarkdown turns each backslash escape (\[, \\, \| ...) into the
// character it escapes.
func unescapeMarkdown(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// isASCIIPunct reports whether markdown lets a backslash escape c.
func isASCIIPunct(c byte) bool {
	return strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) >= 0
}
