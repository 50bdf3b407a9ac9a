// Package plugintest builds the real plugin binary for tests that launch
// it as a host would, as net/http/httptest serves real HTTP for tests.
package plugintest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Main builds the plugin once into a temporary directory, sets *path to the
// binary, runs the tests and exits with their status. Call it from
// TestMain.
func Main(m *testing.M, path *string) {
	dir, err := os.MkdirTemp("", "openai-gpt-plugin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	*path = filepath.Join(dir, "openai-gpt")
	build := exec.Command("go", "build", "-o", *path, "github.com/soarkit/openai-gpt/plugin")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build the plugin:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
