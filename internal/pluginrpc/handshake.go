package pluginrpc

import (
	plugin "github.com/hashicorp/go-plugin"
)

// PluginName is the name the plugin is dispensed under.
const PluginName = "integration"

// Handshake is shared by host and plugin. A binary started without the
// magic cookie in its environment was not launched by a host: go-plugin
// prints an explanation and exits non-zero.
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  1,
	MagicCookieKey:   "SOAR_PLUGIN_MAGIC_COOKIE",
	MagicCookieValue: "openai-gpt.v1.b8f1c2d4e7a94f0e",
}
