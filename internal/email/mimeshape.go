package email

import (
	"bytes"
	"mime"
)

// Limits on the MIME structure enmime is given. Its parse time doubles with
// each level of multipart nested in multipart and grows with the square of
// the number of sibling parts, so a hostile file of a few kilobytes could
// keep the plugin busy for hours. Real mail stays far below both.
const (
	maxMultipartDepth = 16
	maxMIMEParts      = 2000
)

// mimeShape measures, without parsing, how deeply multiparts nest in raw
// and how many parts it has, stopping early once either passes its limit.
// It reads the header blocks (the message's, and each part's after its
// delimiter line) for multipart Content-Types and their boundaries, and
// follows the delimiter lines that use them: a multipart header opens a
// level, "--b" returns to b's level for its next part, "--b--" closes it.
func mimeShape(raw []byte) (depth, parts int) {
	var open [][]byte // declared boundaries, outermost first
	inHeaders := true
	var field []byte // the header field being read, unfolded
	endField := func() {
		if b := multipartBoundary(field); b != nil {
			open = append(open, b)
			depth = max(depth, len(open))
		}
		field = field[:0]
	}
	for len(raw) > 0 && depth <= maxMultipartDepth && parts <= maxMIMEParts {
		line := raw
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			line, raw = raw[:i], raw[i+1:]
		} else {
			raw = nil
		}
		line = bytes.TrimRight(line, " \t\r")
		if inHeaders {
			switch {
			case len(line) == 0:
				endField()
				inHeaders = false
			case line[0] == ' ' || line[0] == '\t':
				field = append(append(field, ' '), bytes.TrimSpace(line)...)
			default:
				endField()
				field = append(field, line...)
			}
			continue
		}
		rest, ok := bytes.CutPrefix(line, []byte("--"))
		if !ok || len(open) == 0 {
			continue
		}
		if b, ok := bytes.CutSuffix(rest, []byte("--")); ok {
			if i := indexBoundary(open, b); i >= 0 {
				open = open[:i]
				continue
			}
		}
		if i := indexBoundary(open, rest); i >= 0 {
			open = open[:i+1]
			parts++
			inHeaders = true
		}
	}
	endField()
	return depth, parts
}

// indexBoundary is the innermost level using boundary b, or -1.
func indexBoundary(open [][]byte, b []byte) int {
	for i := len(open) - 1; i >= 0; i-- {
		if bytes.Equal(open[i], b) {
			return i
		}
	}
	return -1
}

// multipartBoundary is the boundary a Content-Type header field declares
// for a multipart, or nil. A multipart field whose parameters do not parse
// still counts as a level (its boundary then matches no delimiter), so a
// malformed header cannot hide nesting from the count.
func multipartBoundary(field []byte) []byte {
	name, value, ok := bytes.Cut(field, []byte(":"))
	if !ok || !bytes.EqualFold(bytes.TrimSpace(name), []byte("content-type")) {
		return nil
	}
	value = bytes.TrimSpace(value)
	if len(value) < len("multipart/") || !bytes.EqualFold(value[:len("multipart/")], []byte("multipart/")) {
		return nil
	}
	if _, params, err := mime.ParseMediaType(string(value)); err == nil && params["boundary"] != "" {
		return []byte(params["boundary"])
	}
	return []byte("\x00unparsed")
}
