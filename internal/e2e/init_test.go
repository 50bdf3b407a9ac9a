package e2e

import (
	"testing"

	"github.com/soarkit/openai-gpt/internal/plugintest"
)

// TestPluginInitIsLazy checks the init of each of the plugin's own
// packages against plugintest.MaxInitBytes: a host may start the plugin
// for every command.
func TestPluginInitIsLazy(t *testing.T) {
	bytes, err := plugintest.InitBytes(pluginPath)
	if err != nil {
		t.Fatal(err)
	}
	for pkg, n := range bytes {
		if n > plugintest.MaxInitBytes {
			t.Errorf("package %s allocates %d bytes in its init (bound %d): make that work lazy (sync.OnceValue, lazyregexp)", pkg, n, plugintest.MaxInitBytes)
		}
	}
}
