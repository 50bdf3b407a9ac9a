package e2e

import (
	"testing"

	"github.com/soarkit/openai-gpt/internal/plugintest"
)

// TestPluginInitIsLazy checks the init of each of the plugin's own
// packages (and of the dependencies patched to be lazy) against
// plugintest.InitBound: a host may start the plugin for every command.
func TestPluginInitIsLazy(t *testing.T) {
	plugintest.CheckInit(t, pluginPath)
}
