package email

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
)

// Bounds on the body text handed to the MIME parser. enmime reads multipart
// bodies a byte at a time and decodes every part into memory, so a 2 MB
// attachment or HTML part cost it tens of milliseconds; phishing lures sit
// at the top of far smaller bodies.
const (
	// maxTextPartBytes is the most of one text part's encoded body read.
	maxTextPartBytes = 128 << 10
	// maxTextBytes is the most of all text parts' encoded bodies read.
	maxTextBytes = 256 << 10
)

// strippedPart is a part whose body the MIME parser never saw: its size and
// SHA-256 were computed here, streaming, and message parts keep their raw
// body (a slice of the input) to be parsed on their own.
type strippedPart struct {
	size    int
	sha256  string
	fault   string // a decoding fault worth a warning, or ""
	message []byte // the raw forwarded message, for message/* parts
}

// skeleton is the message as the MIME parser is given it: every attachment
// and forwarded message body that can be replaced safely is replaced by a
// marker line, and text bodies past the bounds are cut.
type skeleton struct {
	raw []byte
	// stripped maps what enmime decodes from a marker line to the part.
	stripped map[string]*strippedPart
	// cuts say what was left out of the text parts, for the facts.
	cuts []string
}

// buildSkeleton replaces the bodies of attachments (base64 or unencoded,
// not text) and forwarded messages with marker lines, hashing attachments
// on the way, and cuts text parts to maxTextPartBytes and all text to
// maxTextBytes, each at a line end.
//
// A body is only removed when it cannot hold anything a MIME parser reads as
// structure: base64 bodies must be nothing but base64 characters (no '-', so
// no delimiter line), and any other body must not contain a declared
// boundary anywhere (enmime looks for "--boundary" anywhere in a line). The
// header block before it must end with a truly empty line. Otherwise the
// part is left to enmime, slower but the same result as before.
func buildSkeleton(raw []byte, l layout) *skeleton {
	s := &skeleton{raw: raw, stripped: make(map[string]*strippedPart)}
	var nonce [16]byte
	_, _ = rand.Read(nonce[:]) // crypto/rand never fails on supported platforms
	type edit struct {
		start, end int
		with       []byte
	}
	var edits []edit
	textLeft := maxTextBytes
	for _, lf := range l.leaves {
		body := raw[lf.start:lf.end]
		if len(body) == 0 || !lf.blankEnd {
			continue
		}
		var replacement []byte
		switch {
		case (lf.mediaType == "text/plain" || lf.mediaType == "text/html") && !lf.attachment:
			// A body enmime may take as the text or HTML of the message.
			allow := min(maxTextPartBytes, textLeft)
			if len(body) <= allow {
				textLeft -= len(body)
				continue
			}
			cut := 0
			if allow > 0 {
				cut = bytes.LastIndexByte(body[:allow], '\n') + 1
			}
			if containsBoundary(body[cut:], l.boundaries) {
				textLeft = max(textLeft-len(body), 0)
				continue
			}
			textLeft -= cut
			replacement = body[:cut]
			s.cuts = append(s.cuts, fmt.Sprintf("%s part: first %s of %s read", lf.mediaType, kib(cut), kib(len(body))))
		case lf.mediaType == "" || lf.mediaType == "?" || strings.HasPrefix(lf.mediaType, "text/"):
			// enmime's own reading decides what untyped parts are, and it
			// hashes text attachments after charset conversion: left to it.
			continue
		default:
			p, ok := strip(lf, body, l.boundaries)
			if !ok {
				continue
			}
			marker := fmt.Sprintf("%x%08x", nonce, len(s.stripped))
			replacement = []byte(marker)
			if lf.encoding == "base64" {
				dec, _ := base64.StdEncoding.DecodeString(marker)
				s.stripped[string(dec)] = p
			} else {
				s.stripped[marker] = p
			}
		}
		edits = append(edits, edit{lf.start, lf.end, replacement})
	}
	if len(edits) == 0 {
		return s
	}
	size := len(raw)
	for _, e := range edits {
		size += len(e.with) - (e.end - e.start)
	}
	out := make([]byte, 0, size)
	kept := 0 // raw[:kept] is in out
	for _, e := range edits {
		out = append(append(out, raw[kept:e.start]...), e.with...)
		kept = e.end
	}
	s.raw = append(out, raw[kept:]...)
	return s
}

// strip computes the facts of a non-text body the parser will not see, or
// reports false when the body must be left to the parser.
func strip(lf leaf, body []byte, boundaries [][]byte) (*strippedPart, bool) {
	message := strings.HasPrefix(lf.mediaType, "message/")
	switch lf.encoding {
	case "base64":
		if message {
			return nil, false
		}
		return decodeBase64Body(body)
	case "", "7bit", "8bit", "binary":
		if containsBoundary(body, boundaries) {
			return nil, false
		}
		sum := sha256.Sum256(body)
		p := &strippedPart{size: len(body), sha256: hex.EncodeToString(sum[:])}
		if message {
			p.message = body
		}
		return p, true
	}
	return nil, false // quoted-printable and unknown encodings: enmime's
}

// containsBoundary reports whether b holds "--boundary" for any declared
// boundary: enmime takes that anywhere in a line as a delimiter.
func containsBoundary(b []byte, boundaries [][]byte) bool {
	for _, bd := range boundaries {
		if bytes.Contains(b, append([]byte("--"), bd...)) {
			return true
		}
	}
	return false
}

// base64Values maps a byte to its base64 value; -1 is skipped silently
// (line breaks, spaces, padding, as enmime skips them), -2 is not base64.
var base64Values = func() (t [256]int8) {
	for i := range t {
		t[i] = -2
	}
	for i, c := range "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" {
		t[c] = int8(i)
	}
	for _, c := range "\r\n\t =" {
		t[c] = -1
	}
	return t
}()

// decodeBase64Body decodes body into a running SHA-256 a block at a time,
// so the attachment is never held decoded. It reports false when body holds
// anything but base64 characters, line breaks, spaces and padding.
func decodeBase64Body(body []byte) (*strippedPart, bool) {
	if p, ok := decodeBase64Lines(body); ok {
		return p, true
	}
	return decodeBase64Chars(body)
}

// decodeBase64Lines is the fast path for well-formed bodies (lines of whole
// 4-character groups, padding only at the end), decoded by the standard
// library a block of lines at a time. Any irregularity reports false, and
// the body is decoded again character by character, as enmime would.
func decodeBase64Lines(body []byte) (*strippedPart, bool) {
	const block = 48 << 10
	var dec [block]byte
	h := sha256.New()
	size := 0
	for len(body) > 0 {
		chunk := body
		if len(chunk) > block {
			// Whole lines only, so no 4-character group is split.
			i := bytes.LastIndexByte(chunk[:block], '\n')
			if i < 0 {
				return nil, false
			}
			chunk = chunk[:i+1]
		}
		body = body[len(chunk):]
		n, err := base64.StdEncoding.Decode(dec[:], chunk)
		if err != nil || (len(body) > 0 && bytes.IndexByte(chunk, '=') >= 0) {
			return nil, false
		}
		h.Write(dec[:n])
		size += n
	}
	return &strippedPart{size: size, sha256: hex.EncodeToString(h.Sum(nil))}, true
}

// decodeBase64Chars decodes as enmime does: every base64 character in
// order, with line breaks, spaces and '=' skipped wherever they are.
func decodeBase64Chars(body []byte) (*strippedPart, bool) {
	var (
		h     = sha256.New()
		chars [4096]byte // base64 characters waiting, a multiple of 4 decoded at a time
		n     int
		dec   [3072]byte
		size  int
	)
	flush := func(upto int) {
		k, _ := base64.RawStdEncoding.Decode(dec[:], chars[:upto])
		h.Write(dec[:k])
		size += k
		n = copy(chars[:], chars[upto:n])
	}
	for _, c := range body {
		switch v := base64Values[c]; v {
		case -1:
		case -2:
			return nil, false
		default:
			chars[n] = c
			n++
			if n == len(chars) {
				flush(n)
			}
		}
	}
	p := &strippedPart{}
	if n%4 == 1 {
		// One character cannot encode a byte: enmime calls this corrupt.
		p.fault = "Malformed Base64: the attachment's last base64 character is stray; its hash covers the bytes before it"
		n--
	}
	flush(n)
	p.size = size
	p.sha256 = hex.EncodeToString(h.Sum(nil))
	return p, true
}

// kib formats a byte count for the facts.
func kib(n int) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d KiB", (n+1023)>>10)
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
