package commands

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/manifest"
)

// TestHandlersMatchManifest: every command of integration.yml has a line in
// handlers() and every line a command, and the README's "Adding a command"
// names each place the steps touch, so the section stays true.
func TestHandlersMatchManifest(t *testing.T) {
	var declared []string
	for _, c := range manifest.Default().Commands {
		declared = append(declared, c.Name)
	}
	slices.Sort(declared)
	assert.Equal(t, declared, slices.Sorted(maps.Keys(handlers())),
		"integration.yml's commands and handlers() in internal/commands/handlers.go differ (README: Adding a command)")

	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(readme), "\n## Adding a command\n")
	require.True(t, ok, "README.md has no \"## Adding a command\" section")
	section, _, _ = strings.Cut(section, "\n## ")
	for _, place := range []string{"integration.yml", "internal/commands/handlers.go", "internal/commands/config.go",
		"internal/commands/handlers_test.go", "internal/fakeopenai", "internal/e2e"} {
		assert.Contains(t, section, "`"+place+"`", "the section should name %s", place)
		_, err := os.Stat(filepath.Join("..", "..", place))
		assert.NoError(t, err, "the section names %s, which does not exist", place)
	}
	for _, name := range []string{"handlers()", "TestHandlersMatchManifest", "c.GPT()", "c.Host", "warroom.Note", "script.commands"} {
		assert.Contains(t, section, "`"+name+"`")
	}
}
