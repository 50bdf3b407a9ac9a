package email

import (
	"bytes"
	"mime"
	"strings"
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
func mimeShape(raw []byte) (depth, parts int) {
	l := scanLayout(raw)
	return l.depth, l.parts
}

// layout is the MIME structure of a message as scanLayout reads it.
type layout struct {
	depth, parts int
	boundaries   [][]byte // every multipart boundary declared
	leaves       []leaf   // parts with content, in file order
}

// leaf is a part that holds content rather than other parts.
type leaf struct {
	// mediaType is the Content-Type as enmime reads it (lower case, no
	// parameters); "" when absent; "?" when it does not parse.
	mediaType string
	// encoding is the Content-Transfer-Encoding, lower case.
	encoding string
	// attachment: the Content-Disposition says so (enmime then never takes
	// the part as the body, whatever its type).
	attachment bool
	// start and end delimit the body in raw, without the line break that
	// belongs to the delimiter after it (RFC 2046), as enmime reads it.
	start, end int
	// blankEnd: the header block ended with a truly empty line; a line of
	// spaces is read as a header continuation by some parsers.
	blankEnd bool
}

// scanLayout reads the header blocks (the message's, and each part's after
// its delimiter line) for multipart Content-Types and their boundaries, and
// follows the delimiter lines that use them: a multipart header opens a
// level, "--b" returns to b's level for its next part, "--b--" closes it.
// Each other part's body runs from its header block to the next delimiter.
// It stops early once the nesting or the part count passes its limit.
func scanLayout(raw []byte) layout {
	var (
		l         layout
		open      [][]byte // declared boundaries, outermost first
		inHeaders = true
		field     []byte // the header field being read, unfolded
		part      leaf   // the header block being read
		multipart bool   // that block declared a multipart
		sawType   bool   // that block had a Content-Type (the first counts)
		sawCTE    bool
		sawDisp   bool
		body      = -1 // index in l.leaves of the body being read, or -1
		pos       int  // offset of the current line in raw
	)
	endField := func() {
		name, value, _ := bytes.Cut(field, []byte(":"))
		name = bytes.TrimSpace(name)
		switch {
		case bytes.EqualFold(name, []byte("content-type")) && !sawType:
			sawType = true
			if b := multipartBoundary(field); b != nil {
				open = append(open, b)
				l.boundaries = append(l.boundaries, b)
				l.depth = max(l.depth, len(open))
				multipart = true
			} else if mt, _, _, err := parseMediaType(string(value)); err == nil {
				part.mediaType = mt
			} else {
				part.mediaType = "?"
			}
		case bytes.EqualFold(name, []byte("content-transfer-encoding")) && !sawCTE:
			sawCTE = true
			part.encoding = strings.ToLower(string(bytes.TrimSpace(value)))
		case bytes.EqualFold(name, []byte("content-disposition")) && !sawDisp:
			sawDisp = true
			disp, _, _, _ := parseMediaType(string(value))
			part.attachment = disp == "attachment"
		}
		field = field[:0]
	}
	endBody := func(at int) {
		if body < 0 {
			return
		}
		b := &l.leaves[body]
		end := at
		if end > b.start && raw[end-1] == '\n' {
			end--
			if end > b.start && raw[end-1] == '\r' {
				end--
			}
		}
		b.end = max(end, b.start)
		body = -1
	}
	for pos < len(raw) && l.depth <= maxMultipartDepth && l.parts <= maxMIMEParts {
		if !inHeaders && len(open) == 0 {
			break // a single part, or the epilogue: no structure follows
		}
		if !inHeaders && !bytes.HasPrefix(raw[pos:], []byte("--")) {
			// Only a line starting "--" can be a delimiter: skip the body
			// lines between (megabytes of base64) in one search.
			i := bytes.Index(raw[pos:], []byte("\n--"))
			if i < 0 {
				break
			}
			pos += i + 1
		}
		line := raw[pos:]
		next := len(raw)
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line, next = line[:i], pos+i+1
		}
		at := pos
		pos = next
		trimmed := bytes.TrimRight(line, " \t\r")
		if inHeaders {
			switch {
			case len(trimmed) == 0:
				endField()
				inHeaders = false
				if !multipart {
					part.start = pos
					part.blankEnd = len(bytes.TrimSuffix(line, []byte("\r"))) == 0
					l.leaves = append(l.leaves, part)
					body = len(l.leaves) - 1
				}
			case trimmed[0] == ' ' || trimmed[0] == '\t':
				field = append(append(field, ' '), bytes.TrimSpace(trimmed)...)
			default:
				endField()
				field = append(field, trimmed...)
			}
			continue
		}
		rest, ok := bytes.CutPrefix(trimmed, []byte("--"))
		if !ok {
			continue
		}
		if b, ok := bytes.CutSuffix(rest, []byte("--")); ok {
			if i := indexBoundary(open, b); i >= 0 {
				endBody(at)
				open = open[:i]
				continue
			}
		}
		if i := indexBoundary(open, rest); i >= 0 {
			endBody(at)
			open = open[:i+1]
			l.parts++
			inHeaders, multipart, sawType, sawCTE, sawDisp, part = true, false, false, false, false, leaf{}
		}
	}
	if inHeaders {
		endField()
	}
	endBody(len(raw))
	return l
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
