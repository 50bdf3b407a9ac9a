// Package integration holds the integration's manifest, integration.yml,
// embedded so that the plugin, the host simulator and the tests all read
// the same declaration of parameters, commands, arguments, context outputs
// and event streams. Package manifest parses and checks it.
package integration

import _ "embed"

// YAML is integration.yml, the manifest: a Cortex XSOAR integration YAML
// with the few extensions documented at its top (argument types and
// bounds, argument aliases, event streams). Treat it as read-only; use
// manifest.Default() for the parsed, checked form.
//
//go:embed integration.yml
var YAML []byte
