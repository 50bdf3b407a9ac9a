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

// TestParsedEntryShowsPhonesDefanged: the indicator table lists phone
// numbers, defanged.
func TestParsedEntryShowsPhonesDefanged(t *testing.T) {
	msg, err := email.Parse([]byte("From: a@example.com\nSubject: renewal\n\nCall +1 (888) 596-1028 to cancel.\n"))
	require.NoError(t, err)
	md := parsedEntry(partBody, msg, "x.eml").HumanReadable
	assert.Contains(t, md, "| Phone | +1 888\\[-\\]596\\[-\\]1028 |")
}
