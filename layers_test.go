package integration_test

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const module = "github.com/soarkit/openai-gpt"

// deps lists every package pkg links (go list -deps, tests excluded).
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", pkg).Output()
	require.NoError(t, err, "go list -deps %s", pkg)
	return strings.Fields(string(out))
}

// linked returns the packages of list under any of the prefixes.
func linked(list []string, prefixes ...string) []string {
	var out []string
	for _, p := range list {
		for _, prefix := range prefixes {
			if p == prefix || strings.HasPrefix(p, prefix+"/") {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// transport is what only plugin/ and the host side may link.
var transport = []string{"google.golang.org/grpc", "github.com/hashicorp/go-plugin", module + "/internal/pluginrpc"}

// transportUsers are the packages that carry the contract over the wire:
// the plugin's main, the host side, and the transport itself.
var transportUsers = []string{module + "/plugin", module + "/host-sim", module + "/internal/host", module + "/internal/pluginrpc"}

// TestOnlyPluginAndHostLinkTransport: command handlers, war-room helpers,
// the manifest and every other package use the boundary's contract
// (internal/protocol), never the go-plugin/gRPC transport that carries it
// (internal/pluginrpc); only the plugin's main and the host side do.
func TestOnlyPluginAndHostLinkTransport(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Deps " "}}`, "./...").Output()
	require.NoError(t, err, "go list ./...")
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, deps, _ := strings.Cut(line, " ")
		links := len(linked(strings.Fields(deps), transport...)) > 0 || len(linked([]string{pkg}, module+"/internal/pluginrpc")) > 0
		seen[pkg] = links
		if links {
			assert.NotEmpty(t, linked([]string{pkg}, transportUsers...),
				"%s links the plugin transport (go-plugin, gRPC): import internal/protocol, not internal/pluginrpc", pkg)
		}
	}
	// The check sees the transport where it is, and the packages the
	// issue named are among those checked.
	require.True(t, seen[module+"/internal/pluginrpc"] && seen[module+"/plugin"], "the check must see the transport where it is")
	for _, pkg := range []string{"internal/commands", "internal/warroom", "internal/protocol", "manifest", "schemas"} {
		links, ok := seen[module+"/"+pkg]
		assert.True(t, ok && !links, "%s: listed %v, links the transport %v", pkg, ok, links)
	}
}

// TestManifestStandsAlone: manifest (and schemas, which it uses) import
// nothing under internal/, so they can be read, tested and reused alone.
func TestManifestStandsAlone(t *testing.T) {
	require.NotEmpty(t, linked(deps(t, "./internal/commands"), module+"/internal"), "the check must see internal/ where it is")
	for _, pkg := range []string{"./manifest", "./schemas"} {
		assert.Empty(t, linked(deps(t, pkg), module+"/internal"), "%s imports internal/ packages", pkg)
	}
}

// TestClientsKnowNoSettings: gpt and events are built from their own
// Config (commands/config.go makes both from the instance settings), so
// neither reads the settings itself.
func TestClientsKnowNoSettings(t *testing.T) {
	require.NotEmpty(t, linked(deps(t, "./internal/commands"), module+"/internal/settings"), "the check must see settings where it is")
	for _, pkg := range []string{"./internal/gpt", "./internal/events"} {
		assert.Empty(t, linked(deps(t, pkg), module+"/internal/settings"), "%s links internal/settings: take a Config instead", pkg)
	}
}

// TestHostNamesNoEnvironment: internal/host is a host for any integration;
// the environment variables that stand in for this integration's secrets
// are host-sim's to name.
func TestHostNamesNoEnvironment(t *testing.T) {
	err := filepath.WalkDir("internal/host", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.NotContains(t, string(b), `"OPENAI_`, "%s names an OPENAI_* variable: pass it in through host.Config.SecretEnv", path)
		return nil
	})
	require.NoError(t, err)
}
