package redact

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRedactor(t *testing.T) {
	var r Redactor
	assert.Equal(t, "key sk-abcdef", r.String("key sk-abcdef"), "zero value masks nothing")
	r.Add("sk-abcdef", "abc", "")
	assert.Equal(t, "key "+Mask+" and abc", r.String("key sk-abcdef and abc"))

	var buf bytes.Buffer
	w := r.Writer(&buf)
	n, err := w.Write([]byte(`{"msg":"calling with sk-abcdef"}` + "\n"))
	assert.NoError(t, err)
	assert.Equal(t, 33, n)
	assert.NotContains(t, buf.String(), "sk-abcdef")
}

// TestEncodedSpellings: a secret is masked in the forms encoders give it,
// so that it cannot pass through a JSON-encoded result or an escaped URL.
func TestEncodedSpellings(t *testing.T) {
	var r Redactor
	r.Add("Secr&t<99>pw")
	for _, leak := range []string{
		`"Secr&t<99>pw"`,
		`"Secr\u0026t\u003c99\u003epw"`,
		"https://u:Secr%26t%3C99%3Epw@host/",
		"q=Secr%26t%3C99%3Epw",
	} {
		assert.NotContains(t, r.String(leak), "99", "leaked in %q", leak)
	}
}
