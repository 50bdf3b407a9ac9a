package plugintest

import (
	"bytes"
	"encoding/base64"
	"strings"
)

// EmailWithAttachment builds, in code (never committed), a message whose
// one attachment, big.zip, is payload in base64 lines of 76 characters, as
// mail clients write it: the email parser's and the plugin's size tests
// send ~28 MB files made this way.
func EmailWithAttachment(payload []byte) *bytes.Buffer {
	var b bytes.Buffer
	b.WriteString("From: sender@example.com\r\nTo: rcpt@example.net\r\nSubject: big\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=BIG\r\n\r\n--BIG\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n" +
		"--BIG\r\nContent-Type: application/zip\r\nContent-Disposition: attachment; filename=\"big.zip\"\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n")
	b.WriteString(Base64Lines(payload, 76) + "\r\n--BIG--\r\n")
	return &b
}

// Base64Lines encodes b in base64 lines of width characters joined by
// CRLF, without a line break after the last: 76 is what mail clients
// write, other widths make the irregular bodies parsers must also take.
func Base64Lines(b []byte, width int) string {
	enc := base64.StdEncoding.EncodeToString(b)
	var out strings.Builder
	out.Grow(len(enc) + len(enc)/width*2)
	for len(enc) > width {
		out.WriteString(enc[:width])
		out.WriteString("\r\n")
		enc = enc[width:]
	}
	out.WriteString(enc)
	return out.String()
}
