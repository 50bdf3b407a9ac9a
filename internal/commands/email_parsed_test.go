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

// TestParsedBodyEntryShowsHTMLEscaped: the body entry shows the text and
// the HTML as text, never the HTML source (inline CSS, markup): that stays
// in the entry's data, and nothing from the email renders in the war room.
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
	assert.Contains(t, md, "| HTML source | ")
	assert.NotContains(t, md, "script&gt;")
	assert.NotContains(t, md, "style=")
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

// TestParsedEntryShowsPhonesDefanged: the indicator table lists phone
// numbers, defanged.
func TestParsedEntryShowsPhonesDefanged(t *testing.T) {
	msg, err := email.Parse([]byte("From: a@example.com\nSubject: renewal\n\nCall +1 (888) 596-1028 to cancel.\n"))
	require.NoError(t, err)
	md := parsedEntry(partBody, msg, "x.eml").HumanReadable
	assert.Contains(t, md, "| Phone | +1 888\\[-\\]596\\[-\\]1028 |")
}

// TestParsedHeaderEntryShowsAnalystHeadersFirst: the analyst's headers in
// order, the Received chain summarised, the rest folded behind a count.
func TestParsedHeaderEntryShowsAnalystHeadersFirst(t *testing.T) {
	raw := "Received: from mx.example.net by mail.example.org; Fri, 17 May 2024 08:30:05 +0000\n" +
		"Received: from out.evil.example (out.evil.example [192.0.2.1]) by mx.example.net; Fri, 17 May 2024 08:30:00 +0000\n" +
		"X-MS-Exchange-Organization-SCL: 5\nX-MS-Exchange-CrossTenant-Id: abc\nX-Microsoft-Antispam: BCL:0\nDKIM-Signature: v=1; b=AAAA\n" +
		"Message-ID: <m1@evil.example>\nDate: Fri, 17 May 2024 08:29:59 +0000\nSubject: Urgent\nTo: bob@example.org\n" +
		"From: IT <it@evil.example>\nAuthentication-Results: mx.example.net; spf=fail smtp.mailfrom=evil.example\n\nhi\n"
	msg, err := email.Parse([]byte(raw))
	require.NoError(t, err)
	md := parsedEntry(partHeader, msg, "h.eml").HumanReadable
	order := []string{"| From |", "| To |", "| Subject |", "| Date |", "| Reply-To | (none) |", "| Return-Path | (none) |",
		"| Authentication-Results |", "| Received | 2 hops: out.evil.example → mail.example.org in 5s", "| Message-ID |", "| 4 other headers | 3 X-MS-*, DKIM-Signature"}
	last := -1
	for _, want := range order {
		i := strings.Index(md, want)
		require.Greater(t, i, last, "%q missing or out of order in\n%s", want, md)
		last = i
	}
	assert.NotContains(t, md, "X-MS-Exchange-Organization-SCL |")
}
