package render

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/protocol"
)

func TestTableAlignsByDisplayWidth(t *testing.T) {
	md := "### Models\n" +
		"| Id | OwnedBy |\n" +
		"| --- | --- |\n" +
		"| gpt-4o | system |\n" +
		"| 模型 | a \\| b |\n" +
		"| **x** | line1<br>line2 |\n"
	var b strings.Builder
	Markdown(&b, md, Options{})
	want := "" +
		"Models\n" +
		"Id     | OwnedBy\n" +
		"-------+--------\n" +
		"gpt-4o | system\n" +
		"模型   | a | b\n" +
		"x      | line1\n" +
		"       | line2\n"
	require.Equal(t, want, b.String())
}

func TestTableWrapsWideCells(t *testing.T) {
	md := "| Name | Value |\n| --- | --- |\n| Body | " + strings.Repeat("word ", 20) + "|\n"
	var b strings.Builder
	Markdown(&b, md, Options{Width: 40})
	for _, l := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n") {
		require.LessOrEqual(t, displayWidth(l), 40, l)
	}
	require.Contains(t, b.String(), "Body | word word")
}

func TestHeadingsAndBoldInColor(t *testing.T) {
	var b strings.Builder
	Markdown(&b, "## Verdict\nThis is **malicious**.", Options{Color: true})
	require.Equal(t, bold+"Verdict"+reset+"\nThis is "+bold+"malicious"+reset+".\n", b.String())
}

func TestEntries(t *testing.T) {
	var b strings.Builder
	err := Entries(&b, []protocol.Entry{
		{Type: protocol.EntryNote, ContentsFormat: protocol.FormatJSON, Contents: map[string]any{"a": 1}, HumanReadable: "### Done"},
		{Type: protocol.EntryError, ContentsFormat: protocol.FormatText, Contents: "OpenAI answered 401: bad key"},
		{Type: protocol.EntryNote, ContentsFormat: protocol.FormatJSON, Contents: map[string]any{"a": 1}},
	}, nil, Options{Width: 20})
	require.NoError(t, err)
	require.Equal(t, "Done\n\n"+
		"────────────────────\n"+
		"ERROR: OpenAI answered 401: bad key\n\n"+
		"────────────────────\n"+
		"{\n  \"a\": 1\n}\n", b.String())
}

// TestWrapCutsLongWords: a word wider than the column is cut with "…",
// not broken into fragments (and a rune wider than the column never loops).
func TestWrapCutsLongWords(t *testing.T) {
	require.Equal(t, []string{"…"}, wrap("模型", 1))
	require.Equal(t, []string{"ab…"}, wrap("abcdef", 3))
	require.Equal(t, []string{"see", "https://exa…", "now"}, wrap("see https://example.com/long/path now", 12))
}

// TestTableWrapsTextBeforeBreakingIds: a description wraps at blanks so
// the id and timestamp next to it stay whole.
func TestTableWrapsTextBeforeBreakingIds(t *testing.T) {
	md := "| id | _time | note |\n| --- | --- | --- |\n" +
		"| audit_log-0000004eced368d | 2026-11-24T09:11:39Z | the user signed in from a new device and then changed the password |\n"
	var b strings.Builder
	Markdown(&b, md, Options{Width: 80})
	out := b.String()
	require.Contains(t, out, "audit_log-0000004eced368d | 2026-11-24T09:11:39Z |", out)
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		require.LessOrEqual(t, displayWidth(l), 80, out)
	}
}

// TestTableSharesTheSpaceWhenWordsMustBreak: four unbreakable columns in
// too narrow a terminal share the space instead of one being crushed.
func TestTableSharesTheSpaceWhenWordsMustBreak(t *testing.T) {
	rows := [][][]string{{
		{"ce1c8000-0205-4f6b-9a87-304f38bcb2c6"}, {"CHATGPT_PLUGIN_SPREADSHEET"},
		{"chatgpt_plugin_spreadsheet"}, {"2026-11-24T09:20:20.853673Z"},
	}}
	widths, _ := columnWidths(rows, 4, 80)
	total := 3 * 3
	for _, w := range widths {
		require.GreaterOrEqual(t, w, 17, widths)
		total += w
	}
	require.Equal(t, 80, total, widths)
}

// TestEntriesCannotDriveTheTerminal: escape sequences in an entry (a model
// answer, an API message) reach the terminal as nothing.
func TestEntriesCannotDriveTheTerminal(t *testing.T) {
	var b strings.Builder
	err := Entries(&b, []protocol.Entry{
		{Type: protocol.EntryNote, ContentsFormat: protocol.FormatMarkdown, HumanReadable: "answer\x1b]0;pwned\x07 \x1b[2Jdone\tok"},
		{Type: protocol.EntryError, ContentsFormat: protocol.FormatText, Contents: "error \x1b]8;;https://evil\x1b\\link\x1b]8;;\x1b\\"},
	}, nil, Options{Width: 80})
	require.NoError(t, err)
	require.NotContains(t, b.String(), "\x1b")
	require.NotContains(t, b.String(), "\x07")
	require.Contains(t, b.String(), "done\tok")
}

// TestEscapesShowAsTyped: what the plugin escaped so that it renders as
// text shows as that text in the terminal.
func TestEscapesShowAsTyped(t *testing.T) {
	var b strings.Builder
	Markdown(&b, "see \\[x](https://e.example) &lt;img&gt; a\\\\b\n\n| k | v |\n| --- | --- |\n| name | \\!\\[w\\](u) a\\|b \\`c\\` |", Options{Width: 80})
	out := b.String()
	assert.Contains(t, out, "see [x](https://e.example) <img> a\\b")
	assert.Contains(t, out, "![w](u) a|b `c`")
}

// TestTableCutsInsteadOfShreddingWords: when columns must be narrower
// than their words, each line is cut with "…" at the width, never broken
// into a column of fragments one per line.
func TestTableCutsInsteadOfShreddingWords(t *testing.T) {
	md := "| Hop | From | By | Time | Delay |\n| --- | --- | --- | --- | --- |\n" +
		"| 1 | mail-yw1-f180.google.com (mail-yw1-f180.google.com [209.85.128.180]) | DM6NAM11FT033.mail.protection.outlook.com (10.13.172.221) with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) | 2021-09-29T10:11:12Z | 1s |\n"
	var b strings.Builder
	Markdown(&b, md, Options{Width: 60})
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	for _, l := range lines {
		require.LessOrEqual(t, displayWidth(l), 60, l)
	}
	require.Len(t, lines, 3, "header, rule and one line for the row:\n%s", b.String())
	assert.Contains(t, lines[2], "…")
	assert.Contains(t, lines[2], "1s")
}

// TestTableKeepsProseReadableNextToIds: prose next to long ids in a
// narrow terminal is cut with "…" at the width, several words shown,
// never squeezed to a word a line (as the draft's context table was).
func TestTableKeepsProseReadableNextToIds(t *testing.T) {
	id := "resp_691939387d544c0dbb8dd8257f0b70a68eb5cc6014f1eb8e"
	prose := "Using the analysis in this conversation, write an email from the Security Operations Center (SOC) to the user who reported or received the suspicious email."
	md := "| response_id | continues | user | assistant |\n| --- | --- | --- | --- |\n| " + id + " | " + id + " | " + prose + " | " + prose + " " + id + " |\n"
	var b strings.Builder
	Markdown(&b, md, Options{Width: 100})
	out := b.String()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	for _, l := range lines {
		require.LessOrEqual(t, displayWidth(l), 100, out)
	}
	assert.Contains(t, out, "Using the analysis in", out)
	assert.LessOrEqual(t, len(lines), 9, out)
	assert.Contains(t, lines[2], "…", "the ids are cut")
}
