package commands

import (
	"os"
	"strings"
	"testing"

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
