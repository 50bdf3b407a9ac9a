package email

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// nestedMultipart is an email whose multiparts nest depth levels deep.
func nestedMultipart(depth int) string {
	var b strings.Builder
	b.WriteString("From: a@example.com\r\nTo: b@example.net\r\nSubject: nested\r\nMIME-Version: 1.0\r\n")
	for i := range depth {
		fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n--b%d\r\n", i, i)
	}
	b.WriteString("Content-Type: text/plain\r\n\r\nhello\r\n")
	for i := depth - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "--b%d--\r\n", i)
	}
	return b.String()
}

// manyParts is an email with n sibling parts.
func manyParts(n int) string {
	var b strings.Builder
	b.WriteString("From: a@example.com\r\nTo: b@example.net\r\nSubject: parts\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=P\r\n\r\n")
	for i := range n {
		fmt.Fprintf(&b, "--P\r\nContent-Type: text/plain\r\n\r\npart %d\r\n", i)
	}
	b.WriteString("--P--\r\n")
	return b.String()
}

func TestMIMEShape(t *testing.T) {
	for _, tc := range []struct {
		name         string
		raw          string
		depth, parts int
	}{
		{"flat", "From: a@b\r\n\r\nhi\r\n", 0, 0},
		{"nested 5", nestedMultipart(5), 5, 5},
		{"siblings", manyParts(7), 1, 7},
		{"boundary unquoted, other params after", "Content-Type: multipart/alternative; boundary=ab12;charset=x\r\n\r\n--ab12\r\n\r\nx\r\n--ab12\r\n\r\ny\r\n--ab12--\r\n", 1, 2},
		{"sibling multiparts do not add up", "Content-Type: multipart/mixed; boundary=o\r\n\r\n--o\r\nContent-Type: multipart/alternative; boundary=i1\r\n\r\n--i1\r\n\r\na\r\n--i1--\r\n--o\r\nContent-Type: multipart/alternative; boundary=i2\r\n\r\n--i2\r\n\r\nb\r\n--i2--\r\n--o--\r\n", 2, 4},
		{"folded header, spaces around =", "Content-Type: multipart/mixed;\r\n\tboundary = \"f o\"\r\n\r\n--f o\r\nContent-Type: multipart/alternative;\r\n boundary=in\r\n\r\n--in\r\n\r\nx\r\n--in--\r\n--f o--\r\n", 2, 2},
		{"boundary= in a body is text", "Content-Type: multipart/mixed; boundary=o\r\n\r\n--o\r\nContent-Type: text/plain\r\n\r\nContent-Type: multipart/mixed; boundary=fake\r\n--o--\r\n", 1, 1},
		{"unparsable multipart still counts", "Content-Type: multipart/mixed; boundary*0=\"a\"; boundary*1=\"b\"; x=\r\n\r\nhi\r\n", 1, 0},
		{"inner part ends without its closing delimiter", "Content-Type: multipart/mixed; boundary=o\r\n\r\n--o\r\nContent-Type: multipart/related; boundary=i\r\n\r\n--i\r\n\r\nx\r\n--o\r\nContent-Type: multipart/related; boundary=j\r\n\r\n--j\r\n\r\ny\r\n--o--\r\n", 2, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, p := mimeShape([]byte(tc.raw))
			if d != tc.depth || p != tc.parts {
				t.Errorf("mimeShape = depth %d, parts %d; want %d, %d", d, p, tc.depth, tc.parts)
			}
		})
	}
}

// TestTooComplexIsRefusedAtOnce: structures built to stall the MIME parser
// are refused before it runs, and what stays under the limits parses.
func TestTooComplexIsRefusedAtOnce(t *testing.T) {
	for _, tc := range []struct {
		name string
		raw  string
		ok   bool
	}{
		{"nested at the limit", nestedMultipart(maxMultipartDepth), true},
		{"nested past the limit", nestedMultipart(40), false},
		{"parts at the limit", manyParts(maxMIMEParts), true},
		{"parts past the limit", manyParts(200_000), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			m, err := Parse([]byte(tc.raw))
			t.Logf("%s: %v", tc.name, time.Since(start))
			if tc.ok {
				if err != nil || m == nil {
					t.Fatalf("Parse: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrTooComplex) {
				t.Fatalf("Parse = %v, want ErrTooComplex", err)
			}
		})
	}
}
