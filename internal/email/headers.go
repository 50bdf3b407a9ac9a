package email

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"strings"

	"golang.org/x/net/html/charset"
)

// trimPreamble drops what commonly precedes the headers in exported files: a
// UTF-8 byte order mark, blank lines and an mbox "From " separator line.
func trimPreamble(raw []byte) []byte {
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	for len(raw) > 0 && (raw[0] == '\r' || raw[0] == '\n') {
		raw = raw[1:]
	}
	if bytes.HasPrefix(raw, []byte("From ")) {
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			raw = raw[i+1:]
		}
	}
	return raw
}

// knownHeaders are fields one of which every real email carries. A header
// block needs at least one of them to count as an email, so that prose such
// as "Note: call me" is not mistaken for one.
var knownHeaders = map[string]bool{
	"from": true, "to": true, "subject": true, "date": true, "received": true,
	"message-id": true, "return-path": true, "mime-version": true,
	"content-type": true, "delivered-to": true, "reply-to": true, "sender": true,
	"cc": true, "x-mailer": true, "authentication-results": true, "dkim-signature": true,
}

// scanHeaders reads the header block of raw in order (enmime keeps headers in
// a map, which loses the order the Received chain needs). It returns why raw
// is not an email, or "" and the decoded headers.
func scanHeaders(raw []byte) ([]Header, string) {
	block := raw
	if len(block) > maxHeaderBytes {
		block = block[:maxHeaderBytes]
	}
	var (
		headers []Header
		name    string
		value   []byte // the current field's unfolded value, built up in place
		started bool   // a field has been seen
		known   bool
		rest    = block
	)
	flush := func() {
		if started && name != "" && len(headers) < maxHeaders {
			v := string(value)
			if strings.Contains(v, "=?") { // most fields have no encoded words
				v = decodeRFC2047(v)
			}
			headers = append(headers, Header{Name: name, Value: v})
		}
	}
	for len(rest) > 0 {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			break // end of the header block
		}
		colon := bytes.IndexByte(line, ':')
		folded := line[0] == ' ' || line[0] == '\t'
		if !folded && (colon <= 0 || !validHeaderName(bytes.TrimRight(line[:colon], " \t"))) {
			if !started {
				return nil, "the first line is not a header field such as \"From: ...\""
			}
			// A stray unindented continuation: enmime repairs these the same
			// way and records a warning.
			folded = true
		}
		if folded {
			if !started {
				return nil, "the first line is indented, which no header block starts with"
			}
			if t := bytes.TrimSpace(line); len(t) > 0 {
				value = append(append(value, ' '), t...)
			}
			continue
		}
		flush()
		started = true
		name = string(bytes.TrimRight(line[:colon], " \t"))
		value = append(value[:0], bytes.TrimSpace(line[colon+1:])...)
		if knownHeaders[strings.ToLower(name)] {
			known = true
		}
	}
	flush()
	if len(headers) == 0 {
		return nil, "no header fields found"
	}
	if !known {
		return nil, "none of the usual email headers (From, To, Subject, Date, Received, Message-ID, ...) is present"
	}
	return headers, ""
}

// wordDecoder decodes RFC 2047 encoded words in any charset the WHATWG
// encoding list knows. It holds no state, so one value serves every call.
//
// enmime.DecodeRFC2047 is not used: it decodes repeatedly (an encoded word
// that decodes to another encoded word is unwrapped again, hiding content)
// and quotes anything after an "=" as if the value were a MIME parameter.
var wordDecoder = mime.WordDecoder{
	CharsetReader: func(label string, input io.Reader) (io.Reader, error) {
		enc, _ := charset.Lookup(label)
		if enc == nil {
			return nil, fmt.Errorf("unsupported charset: %q", label)
		}
		// An encoded word is a few dozen bytes (the header block is capped
		// at maxHeaderBytes): decode it whole. A streaming reader made the
		// caller's io.Copy allocate 32 KiB per word, megabytes for a
		// header of Windows-1252 words.
		word, err := io.ReadAll(input)
		if err != nil {
			return nil, err
		}
		out, err := enc.NewDecoder().Bytes(word)
		return bytes.NewReader(out), err
	},
}

// decodeRFC2047 decodes encoded words, keeping the raw value when they are
// malformed or in an unknown charset.
func decodeRFC2047(v string) string {
	d, err := wordDecoder.DecodeHeader(v)
	if err != nil {
		return v
	}
	// An unfolded header is one line; a line break that only appears after
	// decoding is an attempt to forge extra lines wherever it is shown.
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' || r == 0x7f {
			return ' '
		}
		return r
	}, d)
}

// validHeaderName reports whether b is an RFC 5322 field name: printable
// US-ASCII except colon and space.
func validHeaderName(b []byte) bool {
	if len(b) == 0 || len(b) > 100 {
		return false
	}
	for _, c := range b {
		if c <= ' ' || c > '~' || c == ':' {
			return false
		}
	}
	return true
}
