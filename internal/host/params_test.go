package host

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/manifest"
)

// TestModelSelectOutsideTheList: the reference integration's older models
// are choices; a stored value outside the list (an instance carried over)
// is accepted with a warning, never refused. Other parameters keep their
// checks.
func TestModelSelectOutsideTheList(t *testing.T) {
	m := manifest.Default()
	for _, model := range []string{"gpt-4-turbo", "gpt-4", "gpt-3.5-turbo", "gpt-4o-mini"} {
		require.NoError(t, CheckParam(m, "model-select", model))
		assert.Empty(t, ParamWarning(m, "model-select", model), model)
	}
	require.NoError(t, CheckParam(m, "model-select", "gpt-4-0613"))
	w := ParamWarning(m, "model-select", "gpt-4-0613")
	assert.Contains(t, w, `parameter model-select: "gpt-4-0613" is not one of`)
	assert.Contains(t, w, "used as given")

	assert.Error(t, CheckParam(m, "insecure", "maybe"))
	assert.Error(t, CheckParam(m, "event_types_to_fetch", "Apps,Nope"))
	assert.Empty(t, ParamWarning(m, "event_types_to_fetch", "Apps"))
}
