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
		"https://admin:1234/5678@host/":        "https://admin:MASK@host/", // parses: host admin, port 1234
		"https://api.example/v1/@team":         "https://api.example/v1/@team",
		"not a url":                            "not a url",
		"":                                     "",
	} {
		assert.Equal(t, want, URLPassword(in, "MASK"), in)
	}
}

func TestTypedURLPassword(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"https://user:pa/ss@host/", "pa/ss", true},
		{"https://user:pa?ss@host/v1", "pa?ss", true},
		{"https://user:pa#ss@host", "pa#ss", true},
		{"https://user:p%40ss@host/", "p%40ss", true},
		{"https://user:p@ss@host/", "p@ss", true},
		{"https://user:@host/", "", true},
		{"https://user@host/", "", false},
		{"https://api.openai.com/", "", false},
		{"user:pw@host", "", false}, // no "//": not a URL with user info
	} {
		got, ok := TypedURLPassword(tc.in)
		assert.Equal(t, tc.want, got, tc.in)
		assert.Equal(t, tc.ok, ok, tc.in)
	}
}
