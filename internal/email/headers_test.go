package email

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestEncodedWordCharsets: encoded words in charsets other than UTF-8 and
// Latin-1 decode (through the WHATWG list), and an unknown one stays raw.
func TestEncodedWordCharsets(t *testing.T) {
	assert.Equal(t, "café – prix", decodeRFC2047("=?Windows-1252?Q?caf=E9_=96_prix?="))
	assert.Equal(t, "Привет", decodeRFC2047("=?koi8-r?B?8NLJ18XU?="))
	assert.Equal(t, "=?x-klingon?q?nuqneH?=", decodeRFC2047("=?x-klingon?q?nuqneH?="))
}
