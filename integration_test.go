package integration_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	integration "github.com/soarkit/openai-gpt"
	"github.com/soarkit/openai-gpt/manifest"
)

// The embedded manifest is what manifest.Default() serves, and it loads:
// a broken integration.yml fails here rather than panicking in the plugin.
func TestEmbeddedManifestLoads(t *testing.T) {
	require.NotEmpty(t, integration.YAML())
	m, err := manifest.Load(integration.YAML())
	require.NoError(t, err)
	require.NotEmpty(t, m.Commands)
	require.NotPanics(t, func() { manifest.Default() })
}
