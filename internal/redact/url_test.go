package redact

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestURLPassword(t *testing.T) {
	for in, want := range map[string]string{
		"https://api.openai.com/":              "https://api.openai.com/",
		"https://user@host/":                   "https://user@host/",
		"https://user:hunter2pw@host:8443/v1":  "https://user:MASK@host:8443/v1",
		"https://user:p%40ss@host/":            "https://user:MASK@host/",
		"https://user:hunter2pw@proxy host/":   "https://user:MASK@proxy host/",
		"https://user:pa/ss#x?y@host:badport/": "https://user:MASK@host:badport/",
		"http://user:hunter2pw@[::1/":          "http://user:MASK@[::1/",
		"not a url":                            "not a url",
		"":                                     "",
	} {
		assert.Equal(t, want, URLPassword(in, "MASK"), in)
	}
}
