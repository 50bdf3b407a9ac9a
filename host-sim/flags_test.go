package main

import (
	"flag"
	"io"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseInterspersed(t *testing.T) {
	cases := []struct {
		args  []string
		pos   []string
		limit int
		json  bool
	}{
		{[]string{"ds", "--limit", "5"}, []string{"ds"}, 5, false},
		{[]string{"--json", "ds"}, []string{"ds"}, 20, true},
		{[]string{"a", "--json", "b", "--limit=2"}, []string{"a", "b"}, 2, true},
		{[]string{"--", "--json"}, []string{"--json"}, 20, false},
	}
	for _, c := range cases {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		limit := fs.Int("limit", 20, "")
		asJSON := fs.Bool("json", false, "")
		pos, err := parseInterspersed(fs, c.args)
		require.NoError(t, err, c.args)
		require.Equal(t, c.pos, pos, c.args)
		require.Equal(t, c.limit, *limit, c.args)
		require.Equal(t, c.json, *asJSON, c.args)
	}
}

func TestMaskURLPassword(t *testing.T) {
	for in, want := range map[string]string{
		"https://user:s3cretpw@proxy.example.com/v1": "https://user:" + mask + "@proxy.example.com/v1",
		"https://user@proxy.example.com/":            "https://user@proxy.example.com/",
		"https://api.openai.com":                     "https://api.openai.com",
		"not a url: at all":                          "not a url: at all",
	} {
		if got := maskURLPassword(in); got != want {
			t.Errorf("maskURLPassword(%q) = %q, want %q", in, got, want)
		}
	}
}
