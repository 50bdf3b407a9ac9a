package events

import (
	"bufio"
	"errors"
	"io"
)

// maxRecordSize bounds one record so a file without structure cannot make
// the collector buffer it whole.
const maxRecordSize = 8 << 20

// recordScanner splits a compliance log file into records. The documented
// format is JSON Lines, but files have been seen holding objects back to
// back ("}{") or indented over several lines, so records are found by
// matching braces rather than by lines. A record cut short is recognised
// when a line starts with "{" while its object is still open (JSON Lines
// and indented files both start each record at column 0, and nested
// objects of indented files never are), or when a string runs past the end
// of a line; text outside any object is returned up to the end of its
// line. Such pieces come back with ok=false so the caller can report them
// instead of losing the rest of the file.
type recordScanner struct {
	r   *bufio.Reader
	buf []byte
}

func newRecordScanner(r io.Reader) *recordScanner {
	return &recordScanner{r: bufio.NewReaderSize(r, 64<<10)}
}

// next returns the next record and whether it is a complete object; io.EOF
// at the end of the file.
func (s *recordScanner) next() (rec []byte, ok bool, err error) {
	s.buf = s.buf[:0]
	// Skip the whitespace between records.
	var c byte
	for {
		c, err = s.r.ReadByte()
		if err != nil {
			return nil, false, err
		}
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			break
		}
	}
	if c != '{' {
		return s.junk(c)
	}
	s.buf = append(s.buf, c)
	depth, inStr, esc := 1, false, false
	for {
		c, err = s.r.ReadByte()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return s.buf, false, nil // cut short by the end of the file
			}
			return nil, false, err
		}
		if c == '\n' {
			if inStr {
				return s.buf, false, nil // JSON strings never hold a raw newline
			}
			if p, perr := s.r.Peek(1); perr == nil && p[0] == '{' {
				return s.buf, false, nil // a new record starts: this one was cut short
			}
		}
		s.buf = append(s.buf, c)
		if len(s.buf) > maxRecordSize {
			return s.junkRest()
		}
		switch {
		case esc:
			esc = false
		case inStr:
			if c == '\\' {
				esc = true
			} else if c == '"' {
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
			if depth == 0 {
				return s.buf, true, nil
			}
		}
	}
}

// junk collects text that is not an object, up to the end of its line.
func (s *recordScanner) junk(first byte) ([]byte, bool, error) {
	s.buf = append(s.buf, first)
	for {
		c, err := s.r.ReadByte()
		if err != nil || c == '\n' {
			return s.buf, false, nil
		}
		if len(s.buf) < 4096 {
			s.buf = append(s.buf, c)
		}
	}
}

// junkRest reports an oversized record, skipping to the end of its line.
func (s *recordScanner) junkRest() ([]byte, bool, error) {
	s.buf = s.buf[:256]
	for {
		c, err := s.r.ReadByte()
		if err != nil || c == '\n' {
			return s.buf, false, nil
		}
	}
}
