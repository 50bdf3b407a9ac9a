package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFakeOpenAIModeFlags: fake-openai offers the two answers the platform
// gives for a compliance file and the compatible-server mode, and refuses
// an unknown download mode by name.
func TestFakeOpenAIModeFlags(t *testing.T) {
	c := newCLI(t)
	code, _, errOut := c.run("", "fake-openai", "--compliance-download", "sideways")
	require.Equal(t, exitRefused, code)
	require.Contains(t, errOut, `--compliance-download "sideways": use redirect or direct`)

	code, out, errOut := c.run("", "help")
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out+errOut, "[--compliance-download redirect|direct] [--compatible-server]")
}

// TestInstanceSetModelOutsideTheList: a model-select value the manifest
// does not list is stored with a warning, never refused.
func TestInstanceSetModelOutsideTheList(t *testing.T) {
	c := newCLI(t)
	code, out, errOut := c.run("", "instance", "set", "model-select=gpt-4-0613")
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "model-select = gpt-4-0613")
	require.Contains(t, errOut, `warning: parameter model-select: "gpt-4-0613" is not one of`)

	code, _, errOut = c.run("", "instance", "set", "model-select=gpt-3.5-turbo")
	require.Equal(t, exitOK, code, errOut)
	require.NotContains(t, errOut, "warning")
}
