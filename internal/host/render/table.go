package render

import (
	"strings"

	"github.com/mattn/go-runewidth"

	"github.com/soarkit/openai-gpt/internal/lazyregexp"
)

var (
	separatorCellRE = lazyregexp.New(`^:?-+:?$`)
	brRE            = lazyregexp.New(`(?i)<br\s*/?>`)
	entities        = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'", "&amp;", "&")
)

// displayWidth is the number of terminal columns s takes.
func displayWidth(s string) int { return runewidth.StringWidth(s) }

// table aligns markdown table rows into columns. A cell's <br> becomes a
// line break inside the cell, and cells wider than their share of the
// terminal wrap.
func table(b *strings.Builder, lines []string, opts Options) {
	var rows [][][]string // row → cell → lines
	header := false
	cols := 0
	for i, l := range lines {
		cells := splitRow(l)
		if isSeparator(cells) {
			header = header || i == 1
			continue
		}
		row := make([][]string, len(cells))
		for j, c := range cells {
			row[j] = cellLines(c)
		}
		rows = append(rows, row)
		cols = max(cols, len(row))
	}
	if len(rows) == 0 {
		return
	}
	widths, cut := columnWidths(rows, cols, opts.width())
	for r, row := range rows {
		for _, phys := range wrapRow(row, widths, cut) {
			var line strings.Builder
			for c, text := range phys {
				if c > 0 {
					line.WriteString(" | ")
				}
				pad := text + strings.Repeat(" ", widths[c]-displayWidth(text))
				if header && r == 0 {
					pad = opts.style(bold, text) + strings.Repeat(" ", widths[c]-displayWidth(text))
				}
				line.WriteString(pad)
			}
			b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
		}
		if header && r == 0 {
			seps := make([]string, cols)
			for c := range seps {
				seps[c] = strings.Repeat("-", widths[c])
			}
			b.WriteString(strings.Join(seps, "-+-") + "\n")
		}
	}
}

// splitRow splits "| a | b \| c |" into ["a", "b | c"].
func splitRow(line string) []string {
	s := strings.TrimSpace(line)
	s = strings.TrimPrefix(s, "|")
	if strings.HasSuffix(s, "|") && !strings.HasSuffix(s, `\|`) {
		s = s[:len(s)-1]
	}
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]):
			cur.WriteByte(s[i+1]) // a backslash escape: the character as typed
			i++
		case s[i] == '|':
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(s[i])
		}
	}
	return append(cells, strings.TrimSpace(cur.String()))
}

func isSeparator(cells []string) bool {
	for _, c := range cells {
		if !separatorCellRE.MatchString(c) {
			return false
		}
	}
	return len(cells) > 0
}

// cellLines turns a cell's markup into its lines of plain text.
func cellLines(cell string) []string {
	cell = boldRE.ReplaceAllString(cell, "$1")
	parts := brRE.Split(cell, -1)
	for i, p := range parts {
		// Tabs and control characters would break the alignment.
		p = strings.Map(func(r rune) rune {
			if r == '\t' {
				return ' '
			}
			if r < 0x20 || r == 0x7f {
				return -1
			}
			return r
		}, entities.Replace(p))
		parts[i] = strings.TrimSpace(p)
	}
	return parts
}

// columnWidths fits the columns into width: each column gets its widest
// line; while the row is too wide, text first wraps at blanks (the column
// with the most room above its longest word, and above proseFloor, gives
// it up). When that is not enough, the widest columns shrink evenly (never
// below 12 columns; the table may then overflow), and a column left
// narrower than minWrap is cut instead of wrapped (cut[c]): each of its
// lines is truncated with "…", because wrapping there leaves a column of
// fragments, a word a line, that nobody can read. Ids and timestamps thus
// stay whole next to a description that wraps or is cut.
func columnWidths(rows [][][]string, cols, width int) (widths []int, cut []bool) {
	widths = make([]int, cols)
	words := make([]int, cols) // the longest word of each column
	for _, row := range rows {
		for c, lines := range row {
			for _, l := range lines {
				widths[c] = max(widths[c], displayWidth(l))
				for _, w := range strings.Fields(l) {
					words[c] = max(words[c], displayWidth(w))
				}
			}
		}
	}
	const (
		minCol = 12
		// proseFloor is the width wrapping text keeps while other columns
		// can still give room up, so it never ends a word or two a line.
		proseFloor = 30
		// minWrap is the narrowest column that wraps; a narrower one is
		// cut, one line per cell line.
		minWrap = 24
	)
	total := func() int {
		t := 3 * (cols - 1)
		for _, w := range widths {
			t += w
		}
		return t
	}
	for total() > width {
		best, room := -1, 0
		for c := range widths {
			if r := widths[c] - max(words[c], minCol, min(widths[c], proseFloor)); r > room {
				best, room = c, r
			}
		}
		if best < 0 {
			break
		}
		widths[best] -= min(room, total()-width)
	}
	// Words must break: the widest column gives up one column at a time,
	// so the space left is shared evenly instead of one column being
	// crushed to the minimum.
	for excess := total() - width; excess > 0; excess-- {
		widest := 0
		for c := range widths {
			if widths[c] > widths[widest] {
				widest = c
			}
		}
		if widths[widest] <= minCol {
			break
		}
		widths[widest]--
	}
	cut = make([]bool, cols)
	for c := range widths {
		cut[c] = widths[c] < minWrap
	}
	return widths, cut
}

// wrapRow lays out one logical row as physical lines, one string per
// column: lines of a cut column are truncated, the others wrap.
func wrapRow(row [][]string, widths []int, cut []bool) [][]string {
	wrapped := make([][]string, len(widths))
	height := 1
	for c := range widths {
		var lines []string
		if c < len(row) {
			for _, l := range row[c] {
				if cut[c] {
					lines = append(lines, runewidth.Truncate(l, widths[c], "…"))
					continue
				}
				lines = append(lines, wrap(l, widths[c])...)
			}
		}
		wrapped[c] = lines
		height = max(height, len(lines))
	}
	out := make([][]string, height)
	for i := range out {
		out[i] = make([]string, len(widths))
		for c := range widths {
			if i < len(wrapped[c]) {
				out[i][c] = wrapped[c][i]
			}
		}
	}
	return out
}

// wrap breaks s into lines of at most width columns, at blanks; a word
// wider than the column is cut with "…" (the whole value stays in the
// entry's data), never broken across lines.
func wrap(s string, width int) []string {
	if displayWidth(s) <= width {
		return []string{s}
	}
	var lines []string
	var cur strings.Builder
	curW := 0
	flush := func() {
		lines = append(lines, strings.TrimRight(cur.String(), " "))
		cur.Reset()
		curW = 0
	}
	for _, word := range strings.Fields(s) {
		if displayWidth(word) > width {
			word = runewidth.Truncate(word, width, "…")
		}
		ww := displayWidth(word)
		if curW > 0 && curW+1+ww > width {
			flush()
		}
		if curW > 0 {
			cur.WriteByte(' ')
			curW++
		}
		cur.WriteString(word)
		curW += ww
	}
	if cur.Len() > 0 || len(lines) == 0 {
		flush()
	}
	return lines
}
