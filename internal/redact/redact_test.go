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
