package commands

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/email"
)

// TestParsedBodyEntryShowsHTMLEscaped: the body entry shows the text, the
// HTML as text and the HTML source, the source escaped so that no markup
// from the email renders in the war room.
func TestParsedBodyEntryShowsHTMLEscaped(t *testing.T) {
	raw, err := os.ReadFile("../email/testdata/html_only.eml")
	require.NoError(t, err)
	raw = []byte(strings.Replace(string(raw), "</body>", "<script>alert(1)</script><img src=x onerror=alert(2)></body>", 1))
	msg, err := email.Parse(raw)
	require.NoError(t, err)
	require.NotEmpty(t, msg.HTML)

	entry := parsedEntry(partBody, msg, "html_only.eml")
	md := entry.HumanReadable
	assert.Contains(t, md, "| HTML (as text) |")
	assert.Contains(t, md, "| HTML (source) |")
	assert.Contains(t, md, "&lt;script&gt;alert(1)&lt;/script&gt;")
	assert.NotContains(t, md, "<script>")
	assert.NotContains(t, md, "<img")
	contents := entry.Contents.(map[string]any)
	assert.Equal(t, msg.HTML, contents["html"], "the source, unescaped, in the entry's data")
	assert.NotContains(t, md, "Parse warnings", "an HTML-only email is not malformed")
	assert.NotContains(t, md, "Read in part")
}

// TestParsedEntrySaysWhatWasCut: when a size bound cut the body, the entry
// says so beside the indicators, so a short list is not taken as complete.
func TestParsedEntrySaysWhatWasCut(t *testing.T) {
	raw := "From: a@example.com\r\nSubject: long\r\nContent-Type: text/plain\r\n\r\nhttps://lure.example.com/x\r\n" +
		strings.Repeat("padding line of an overlong body\r\n", 30000)
	msg, err := email.Parse([]byte(raw))
	require.NoError(t, err)
	entry := parsedEntry(partBody, msg, "long.eml")
	assert.Contains(t, entry.HumanReadable, "**Read in part**")
	assert.Contains(t, entry.HumanReadable, "text/plain part: first 128 KiB of 997 KiB read")
	assert.Equal(t, msg.Cuts, entry.Contents.(map[string]any)["cuts"])
}

func TestCapText(t *testing.T) {
	long := strings.Repeat("é", displayCap) // two bytes each
	for _, tc := range []struct {
		name, in string
		keeps    string
	}{
		{"short", "hello", "hello"},
		{"a stray byte first", "\xff" + strings.Repeat("visible ", 400), "visible visible"},
		{"cut between characters", long, "éé"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := capText(tc.in)
			assert.Contains(t, got, tc.keeps)
			assert.True(t, utf8.ValidString(got))
			assert.LessOrEqual(t, len(got), displayCap+40)
		})
	}
}
