// Package warroom builds war-room entries: markdown tables, headings and
// the token-usage table every model answer ends with.
package warroom

import (
	"fmt"
	"strings"
)

// Table is a markdown table under an optional title. The zero value is an
// empty table; add rows with Row.
type Table struct {
	Title   string
	Headers []string
	rows    [][]string
}

// NewTable returns a table with the given title and column headers.
func NewTable(title string, headers ...string) *Table {
	return &Table{Title: title, Headers: headers}
}

// Row appends a row; values are formatted with fmt.Sprint.
func (t *Table) Row(values ...any) *Table {
	row := make([]string, len(values))
	for i, v := range values {
		row[i] = fmt.Sprint(v)
	}
	t.rows = append(t.rows, row)
	return t
}

// Markdown renders the table. Cell text is escaped so that untrusted values
// (email headers, model output) cannot break the table or inject markup.
func (t *Table) Markdown() string {
	var b strings.Builder
	if t.Title != "" {
		fmt.Fprintf(&b, "### %s\n", Escape(t.Title))
	}
	if len(t.Headers) == 0 {
		return b.String()
	}
	b.WriteString("|")
	for _, h := range t.Headers {
		b.WriteString(" " + Escape(h) + " |")
	}
	b.WriteString("\n|")
	for range t.Headers {
		b.WriteString(" --- |")
	}
	b.WriteString("\n")
	if len(t.rows) == 0 {
		b.WriteString("| **No entries.** |" + strings.Repeat(" |", len(t.Headers)-1) + "\n")
	}
	for _, r := range t.rows {
		b.WriteString("|")
		for i := range t.Headers {
			cell := ""
			if i < len(r) {
				cell = r[i]
			}
			b.WriteString(" " + Escape(cell) + " |")
		}
		b.WriteString("\n")
	}
	return b.String()
}

var cellEscaper = strings.NewReplacer(
	"|", `\|`, "\r\n", "<br>", "\n", "<br>", "\r", "<br>",
	"<", "&lt;", ">", "&gt;",
	`\`, `\\`, "[", `\[`, "]", `\]`, "`", "\\`",
)

// Escape makes text safe inside a markdown table cell: it stays one cell
// (pipes, line breaks and backslashes escaped) and shows as typed, with no
// link, image, code span or HTML from whoever wrote it (an email's sender,
// an API's answer).
func Escape(s string) string {
	// Undo the <br> we insert ourselves after escaping angle brackets.
	return strings.ReplaceAll(cellEscaper.Replace(s), "&lt;br&gt;", "<br>")
}
