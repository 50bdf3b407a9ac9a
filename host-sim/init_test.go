package main

import (
	"testing"

	"github.com/soarkit/openai-gpt/internal/plugintest"
)

// TestHostSimInitIsLazy checks the init of each of host-sim's own
// packages against plugintest.MaxInitBytes: `host-sim run` pays for them
// before it starts the plugin. It links the fake server (for fake-openai
// and demo), whose regexps `run` never uses.
func TestHostSimInitIsLazy(t *testing.T) {
	bin, err := hostSimBinary()
	if err != nil {
		t.Fatal(err)
	}
	bytes, err := plugintest.InitBytes(bin, "help")
	if err != nil {
		t.Fatal(err)
	}
	for pkg, n := range bytes {
		if n > plugintest.MaxInitBytes {
			t.Errorf("package %s allocates %d bytes in its init (bound %d): make that work lazy (sync.OnceValue, lazyregexp)", pkg, n, plugintest.MaxInitBytes)
		}
	}
}
