// Package render shows war-room entries in a terminal: markdown headings
// and bold text emphasised, tables aligned into columns by display width
// (so CJK text and emoji line up), error entries marked, and a rule
// between entries. It understands the markdown the plugin writes (see
// internal/warroom), not all of CommonMark.
package render

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/soarkit/openai-gpt/internal/protocol"
)

// Options control the output.
type Options struct {
	// Color emphasises with ANSI escapes (bold headings, red errors); off,
	// the output is plain text fit for a file or a pipe.
	Color bool
	// Width is the terminal width; table cells wider than what fits are
	// wrapped. Zero means 100.
	Width int
}

func (o Options) width() int {
	if o.Width <= 0 {
		return 100
	}
	return o.Width
}

// ANSI escapes.
const (
	bold  = "\x1b[1m"
	red   = "\x1b[31m"
	dim   = "\x1b[2m"
	reset = "\x1b[0m"
)

func (o Options) style(code, s string) string {
	if !o.Color || s == "" {
		return s
	}
	return code + s + reset
}

// Entries writes entries separated by rules. ids, when given, label each
// entry with its war-room entry id.
func Entries(w io.Writer, entries []protocol.Entry, ids []string, opts Options) error {
	var b strings.Builder
	for i, e := range entries {
		if i > 0 {
			b.WriteString("\n")
		}
		label := ""
		if i < len(ids) {
			label = " " + ids[i] + " "
		}
		if i > 0 || label != "" {
			b.WriteString(opts.style(dim, rule(label, min(opts.width(), 60))) + "\n")
		}
		entry(&b, e, opts)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func entry(b *strings.Builder, e protocol.Entry, opts Options) {
	body := terminalSafe(entryText(e))
	if e.Type == protocol.EntryError {
		b.WriteString(opts.style(bold+red, "ERROR:") + " ")
	}
	if e.HumanReadable != "" || e.ContentsFormat == protocol.FormatMarkdown {
		Markdown(b, body, opts)
	} else {
		b.WriteString(strings.TrimRight(body, "\n") + "\n")
	}
}

// entryText is what a person should see: the human-readable markdown when
// there is one, else the contents in their format.
func entryText(e protocol.Entry) string {
	if e.HumanReadable != "" {
		return e.HumanReadable
	}
	switch c := e.Contents.(type) {
	case nil:
		return ""
	case string:
		if e.ContentsFormat == protocol.FormatJSON {
			var v any
			if json.Unmarshal([]byte(c), &v) == nil {
				if pretty, err := json.MarshalIndent(v, "", "  "); err == nil {
					return string(pretty)
				}
			}
		}
		return c
	default:
		pretty, err := json.MarshalIndent(c, "", "  ")
		if err != nil {
			return fmt.Sprint(c)
		}
		return string(pretty)
	}
}

func rule(label string, width int) string {
	n := width - displayWidth(label) - 2
	if n < 2 {
		n = 2
	}
	return "──" + label + strings.Repeat("─", n)
}

// terminalSafe drops the control characters an entry could use to drive
// the terminal (escape sequences that clear the screen, set the title or
// hide links), keeping newlines and tabs. Entries quote model answers and
// API messages, which nobody vetted for this.
func terminalSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, s)
}
