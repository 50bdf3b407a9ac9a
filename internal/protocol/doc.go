// Package protocol is the plugin boundary: the go-plugin handshake, the gRPC
// services in both directions and the JSON documents they carry. It is the
// only code the host and the plugin share besides the manifest and schemas.
//
// The host dispenses an Integration client (Client) and serves a HostService
// for callbacks; the plugin implements Integration and calls back through
// the Host it is handed with each call.
package protocol
