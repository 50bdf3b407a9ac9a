package plugintest

import (
	"bytes"
	"encoding/base64"
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
	enc := base64.StdEncoding.EncodeToString(payload)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n--BIG--\r\n")
	return &b
}
