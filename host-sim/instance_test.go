package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestInstanceMasksPasswordOfUnparsableURL: set and show never print a URL
// password, even when the URL does not parse.
func TestInstanceMasksPasswordOfUnparsableURL(t *testing.T) {
	c := newCLI(t)
	for _, u := range []string{"https://admin:hunter2secret@proxy host/", "https://admin:hunter2/secret@host:port/"} {
		code, out, errOut := c.run("", "instance", "set", "url="+u)
		require.NotContains(t, out+errOut, "hunter2", "set, %s", u)
		if code == 0 {
			require.Contains(t, out, "admin:"+mask+"@")
		}
		_, out, errOut = c.run("", "instance", "show")
		require.NotContains(t, out+errOut, "hunter2", "show, %s", u)
	}
}
