// Package integration holds the integration's manifest, integration.yml,
// embedded so that the plugin, the host simulator and the tests all read
// the same declaration of parameters, commands, arguments, context outputs
// and event streams. Package manifest parses and checks it.
package integration

import (
	"bytes"
	_ "embed"
)

//go:embed integration.yml
var manifestYAML []byte

// YAML returns integration.yml, the manifest: a Cortex XSOAR integration
// YAML with the few extensions documented at its top (argument types and
// bounds, argument aliases, event streams). Each call returns its own copy;
// manifest.Default() gives the parsed, checked form.
func YAML() []byte { return bytes.Clone(manifestYAML) }
