package email

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/jhillyerd/enmime/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/plugintest"
)

// randomBytes is n incompressible bytes, the same for the same seed.
func randomBytes(n int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

// withAttachments is a message with a text body, a base64 PDF, an unencoded
// CSV, and a forwarded message that carries its own base64 attachment.
func withAttachments(pdf, inner []byte) string {
	return "From: a@example.com\r\nTo: b@example.net\r\nSubject: outer\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"OUT\"\r\n\r\n" +
		"--OUT\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee https://outer.example.com/doc\r\n" +
		"--OUT\r\nContent-Type: application/pdf; name=\"invoice.pdf\"\r\nContent-Disposition: attachment; filename=\"invoice.pdf\"\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n" + plugintest.Base64Lines(pdf, 76) + "\r\n" +
		"--OUT\r\nContent-Type: text/csv; name=\"list.csv\"\r\nContent-Disposition: attachment; filename=\"list.csv\"\r\n\r\na,b\r\n1,2\r\n" +
		"--OUT\r\nContent-Type: application/octet-stream; name=\"raw.bin\"\r\nContent-Disposition: attachment; filename=\"raw.bin\"\r\n\r\nline one\r\nline two\r\n" +
		"--OUT\r\nContent-Type: message/rfc822\r\n\r\n" +
		"From: c@example.org\r\nSubject: inner\r\nContent-Type: multipart/mixed; boundary=\"IN\"\r\n\r\n" +
		"--IN\r\nContent-Type: text/plain\r\n\r\nInner lure https://inner.example.org/x\r\n" +
		"--IN\r\nContent-Type: image/png; name=\"inner.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + plugintest.Base64Lines(inner, 76) + "\r\n" +
		"--IN--\r\n" +
		"\r\n--OUT--\r\n"
}

// TestAttachmentsAreNotHeld: attachment bodies are hashed as they are
// decoded, never kept whole, with the same size and hash as before, and a
// forwarded message is parsed from the input as it stands.
func TestAttachmentsAreNotHeld(t *testing.T) {
	pdf, inner := randomBytes(4<<20, 1), randomBytes(1<<20, 2)
	raw := []byte(withAttachments(pdf, inner))

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	m, err := Parse(raw)
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	// Before, enmime decoded each attachment into memory (and copied it as it
	// grew): several times the attachments' 5 MiB.
	allocated := after.TotalAlloc - before.TotalAlloc
	assert.Less(t, allocated, uint64(len(pdf)/2), "Parse allocated %d bytes for %d bytes of attachments", allocated, len(pdf)+len(inner))

	assert.Equal(t, "See https://outer.example.com/doc", m.Text)
	require.Len(t, m.Attachments, 4)
	byName := map[string]Attachment{}
	for _, a := range m.Attachments {
		byName[a.Name] = a
	}
	assert.Equal(t, Attachment{Name: "invoice.pdf", ContentType: "application/pdf", Size: len(pdf), SHA256: sha(pdf)}, byName["invoice.pdf"])
	// The line break before a delimiter belongs to the delimiter (RFC 2046).
	assert.Equal(t, Attachment{Name: "list.csv", ContentType: "text/csv", Size: 8, SHA256: sha([]byte("a,b\r\n1,2"))}, byName["list.csv"])
	assert.Equal(t, Attachment{Name: "raw.bin", ContentType: "application/octet-stream", Size: 18, SHA256: sha([]byte("line one\r\nline two"))}, byName["raw.bin"])
	require.Len(t, m.Nested, 1)
	n := m.Nested[0]
	assert.Equal(t, "inner", n.Subject)
	assert.Equal(t, "Inner lure https://inner.example.org/x", n.Text)
	require.Len(t, n.Attachments, 1)
	assert.Equal(t, Attachment{Name: "inner.png", ContentType: "image/png", Size: len(inner), SHA256: sha(inner)}, n.Attachments[0])
	assert.Empty(t, m.Warnings)
	assert.Empty(t, m.Cuts)
}

// TestSkeletonLeavesAmbiguousBodies: a body that holds anything a MIME
// parser could read as structure is left to enmime untouched.
func TestSkeletonLeavesAmbiguousBodies(t *testing.T) {
	head := "From: a@example.com\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nhi\r\n--B\r\n"
	for _, tc := range []struct{ name, part string }{
		{"base64 with a dash", "Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nQUJD\r\nx--B y\r\nQUJD\r\n"},
		{"unencoded with the boundary mid-line", "Content-Type: application/octet-stream\r\n\r\nsome text --B and more\r\n"},
		{"quoted-printable", "Content-Type: application/pdf\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nab=3Dcd\r\n"},
		{"header block ends with spaces", "Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n  \r\nQUJD\r\n"},
		{"no Content-Type", "Content-Transfer-Encoding: base64\r\n\r\nQUJD\r\n"},
		{"base64 message", "Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\nQUJD\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := []byte(head + tc.part + "--B--\r\n")
			sk := buildSkeleton(raw, scanLayout(raw))
			assert.Equal(t, string(raw), string(sk.raw))
			assert.Empty(t, sk.stripped)
		})
	}
}

// TestLargeTextIsCutAndSaid: a huge HTML body is read and rendered in part,
// the lure at its top is still found, and the facts say what was left out.
func TestLargeTextIsCutAndSaid(t *testing.T) {
	var b strings.Builder
	b.WriteString("From: a@example.com\r\nSubject: big html\r\nContent-Type: text/html; charset=utf-8\r\n\r\n")
	b.WriteString("<html><body><p>Your account is locked: <a href=\"https://lure.example.com/unlock\">unlock</a></p>\r\n")
	for i := 0; b.Len() < 2<<20; i++ {
		fmt.Fprintf(&b, "<span style=\"display:none\">filler paragraph %d of hidden text</span>\r\n", i)
	}
	b.WriteString("<p>tail https://tail.example.com/unread</p></body></html>\r\n")
	m, err := Parse([]byte(b.String()))
	require.NoError(t, err)
	assert.Contains(t, m.Forensics.Indicators.URLs, "https://lure.example.com/unlock")
	assert.NotContains(t, m.Forensics.Indicators.URLs, "https://tail.example.com/unread", "past the bound")
	assert.LessOrEqual(t, len(m.HTML), maxTextPartBytes)
	require.Len(t, m.Cuts, 1)
	assert.Contains(t, m.Cuts[0], "text/html part: first "+kib(maxTextPartBytes)+" of 2.0 MiB read")
	assert.Contains(t, m.Facts(), "Read in part (size bounds): text/html part: first "+kib(maxTextPartBytes))
	assert.Empty(t, m.Warnings, "a long body is not a fault")
}

// TestSkeletonMatchesFullParse: on every fixture and corpus email, what the
// skeleton gives (text, HTML, attachments with sizes and hashes, forwarded
// messages) is what enmime gives from the whole file, unless a cut was made.
func TestSkeletonMatchesFullParse(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.eml"))
	require.NoError(t, err)
	corpus, _ := filepath.Glob(filepath.Join(corpusDir, "*.eml"))
	if len(corpus) == 0 {
		t.Logf("corpus not found at %s: fixtures only", corpusDir)
	}
	files = append(files, corpus...)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		m, err := Parse(raw)
		if err != nil {
			continue
		}
		env, err := newParser().ReadEnvelope(bytes.NewReader(trimPreamble(raw)))
		require.NoError(t, err, f)
		if len(m.Cuts) == 0 {
			if env.Text != "" {
				assert.Equal(t, env.Text, m.Text, f)
			}
			assert.Equal(t, env.HTML, m.HTML, f)
		}
		assert.Equal(t, fullAttachments(env), m.Attachments, f)
		nested := 0
		if env.Root != nil {
			nested = len(env.Root.DepthMatchAll(func(p *enmime.Part) bool { return p != env.Root && isMessagePart(p.ContentType) }))
		}
		assert.Equal(t, min(nested, maxNested), len(m.Nested), f)
	}
}

// fullAttachments lists attachments as collectParts did before the
// skeleton, from parts enmime decoded whole.
func fullAttachments(env *enmime.Envelope) []Attachment {
	var out []Attachment
	seen := map[*enmime.Part]bool{}
	for _, parts := range [][]*enmime.Part{env.Attachments, env.Inlines, env.OtherParts} {
		for _, p := range parts {
			if p == nil || seen[p] || strings.HasPrefix(p.ContentType, "multipart/") {
				continue
			}
			seen[p] = true
			sum := sha256.Sum256(p.Content)
			out = append(out, Attachment{Name: p.FileName, ContentType: p.ContentType, Size: len(p.Content), SHA256: hex.EncodeToString(sum[:])})
		}
	}
	return out
}

// TestIrregularBase64MatchesEnmime: bodies the fast path refuses (odd line
// lengths, spaces, padding mid-stream, a stray last character) are decoded
// character by character to what enmime decodes from the whole file.
func TestIrregularBase64MatchesEnmime(t *testing.T) {
	payload := randomBytes(100_000, 3)
	for _, tc := range []struct{ name, body string }{
		{"75-character lines", plugintest.Base64Lines(payload, 75)},
		{"spaces inside", "QUJD REVG\r\nR0hJ\r\n"},
		{"padding mid-stream", "QQ==\r\nQUJD\r\n"},
		{"stray last character", "QUJDREVG\r\nR\r\n"},
		{"one long line", base64.StdEncoding.EncodeToString(payload)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := []byte("From: a@example.com\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nhi\r\n" +
				"--B\r\nContent-Type: application/octet-stream; name=\"x.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + tc.body + "\r\n--B--\r\n")
			m, err := Parse(raw)
			require.NoError(t, err)
			env, err := newParser().ReadEnvelope(bytes.NewReader(raw))
			require.NoError(t, err)
			want := fullAttachments(env)
			require.Len(t, m.Attachments, 1)
			if tc.name == "stray last character" {
				// enmime drops the whole part as corrupt; the bytes before the
				// stray character are kept and hashed here, and it is said.
				assert.Equal(t, sha([]byte("ABCDEF")), m.Attachments[0].SHA256)
				assert.Contains(t, m.Warnings[0], "Malformed Base64")
				return
			}
			assert.Equal(t, want, m.Attachments)
		})
	}
}

// TestSinglePartAttachment: a message that is nothing but an attachment
// (no multipart) is hashed the same way.
func TestSinglePartAttachment(t *testing.T) {
	payload := randomBytes(300_000, 4)
	raw := []byte("From: a@example.com\r\nSubject: scan\r\nContent-Type: application/pdf; name=\"scan.pdf\"\r\n" +
		"Content-Disposition: attachment; filename=\"scan.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + plugintest.Base64Lines(payload, 76) + "\r\n")
	m, err := Parse(raw)
	require.NoError(t, err)
	assert.Equal(t, []Attachment{{Name: "scan.pdf", ContentType: "application/pdf", Size: len(payload), SHA256: sha(payload)}}, m.Attachments)
	assert.Empty(t, m.Text)
	assert.Empty(t, m.Warnings)
}

// TestTextBounds: text the message may show is cut, text attachments are
// not (their hash must be the whole file's), and a body that cannot be cut
// safely still counts against the total without breaking the next cut.
func TestTextBounds(t *testing.T) {
	big := strings.Repeat("a line of body text\r\n", (maxTextPartBytes/21)*2)
	t.Run("text attachment kept whole", func(t *testing.T) {
		raw := []byte("From: a@example.com\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nsee the page\r\n" +
			"--B\r\nContent-Type: text/html; name=\"page.html\"\r\nContent-Disposition: attachment; filename=\"page.html\"\r\n\r\n" + big + "\r\n--B--\r\n")
		m, err := Parse(raw)
		require.NoError(t, err)
		assert.Empty(t, m.Cuts)
		require.Len(t, m.Attachments, 1)
		assert.Equal(t, sha([]byte(big)), m.Attachments[0].SHA256)
	})
	t.Run("uncuttable body, then a long one", func(t *testing.T) {
		// The first body's tail mentions the boundary, so it is left whole.
		first := big + big + "quoted: --B\r\n"
		raw := []byte("From: a@example.com\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\n" + first +
			"\r\n--B\r\nContent-Type: text/plain\r\n\r\n" + big + "\r\n" + big + "\r\n--B--\r\n")
		m, err := Parse(raw)
		require.NoError(t, err)
		require.Len(t, m.Cuts, 1)
		assert.Contains(t, m.Cuts[0], "text/plain part: first 0 KiB of")
	})
}
