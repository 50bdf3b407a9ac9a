package manifest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNumbersAreDecimal: hex floats, underscores and the like are refused
// as not decimal; a number past float64's range is out of range, not "not
// a number".
func TestNumbersAreDecimal(t *testing.T) {
	c := command(t, "gpt-send-message")
	for raw, want := range map[string]string{
		"0x1p1": `argument temperature: "0x1p1" is not a decimal number (such as 0.7)`,
		"1_0":   `argument temperature: "1_0" is not a decimal number (such as 0.7)`,
		"Inf":   `argument temperature: "Inf" is not a number`,
		"1e309": "argument temperature: 1e309 is out of range; allowed 0 to 2",
	} {
		_, err := c.Coerce(map[string]string{"message": "hi", "temperature": raw})
		require.Error(t, err, raw)
		assert.Contains(t, err.Error(), want, raw)
	}
	_, err := c.Coerce(map[string]string{"message": "hi", "max_tokens": "1e309"})
	require.ErrorContains(t, err, "argument max_tokens: 1e309 is out of range")
	_, err = c.Coerce(map[string]string{"message": "hi", "temperature": "1.5e-1"})
	require.NoError(t, err)
}

// TestGetEventsLimitIsCapped: limit has a maximum, checked by Coerce and
// by the argument schema (for a host that sends typed arguments).
func TestGetEventsLimitIsCapped(t *testing.T) {
	c := command(t, "openai-get-events")
	_, err := c.Coerce(map[string]string{"limit": "200000"})
	require.ErrorContains(t, err, "argument limit: 200000 is out of range; allowed 1 to 10000")
	_, err = c.Coerce(map[string]string{"limit": "10000"})
	require.NoError(t, err)
	require.ErrorContains(t, c.ValidateArgs(map[string]any{"limit": 200000}), "limit")
	require.NoError(t, c.ValidateArgs(map[string]any{"limit": 10000}))
}
