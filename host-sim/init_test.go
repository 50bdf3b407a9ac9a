package main

import (
	"testing"

	"github.com/soarkit/openai-gpt/internal/plugintest"
)

// TestHostSimInitIsLazy checks the init of each of host-sim's own
// packages (and of the dependencies patched to be lazy) against
// plugintest.InitBound: `host-sim run` pays for them
// before it starts the plugin. It links the fake server (for fake-openai
// and demo), whose regexps `run` never uses.
func TestHostSimInitIsLazy(t *testing.T) {
	bin, err := hostSimBinary()
	if err != nil {
		t.Fatal(err)
	}
	plugintest.CheckInit(t, bin, "help")
}
