package host

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRunRefusesOutOfBoundsNumbers: a limit past the manifest's cap, a hex
// float and an overflowing number are refused before the plugin is called.
func TestRunRefusesOutOfBoundsNumbers(t *testing.T) {
	h, fp := newTestHost(t, nil)
	for line, want := range map[string]string{
		`!openai-get-events limit=200000`:                "argument limit: 200000 is out of range; allowed 1 to 10000",
		`!gpt-send-message message=hi temperature=0x1p1`: `argument temperature: "0x1p1" is not a decimal number`,
		`!gpt-send-message message=hi temperature=1e309`: "argument temperature: 1e309 is out of range; allowed 0 to 2",
	} {
		_, err := h.Run(context.Background(), line)
		require.ErrorContains(t, err, want, line)
	}
	require.Zero(t, fp.executed, "the plugin must never be called for a refused line")
}
