// Package pluginrpc carries package protocol's contract over go-plugin and
// gRPC: the handshake, the plugin's Serve and the host's Launch, the gRPC
// services in both directions (pluginpb, generated from
// pluginpb/plugin.proto by `make proto`), and the checks that end a plugin
// whose host died. Only the plugin's main and the host side import it, so
// command handlers do not link gRPC.
package pluginrpc
