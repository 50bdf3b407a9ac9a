// Package protocol is the plugin boundary's contract, free of any
// transport: the JSON documents that cross it (requests, results, war-room
// entries, context outputs, event batches and their codec) and the
// interfaces each side implements (Integration, Host, HostService).
// Handlers, war-room helpers and the manifest's checks use it without
// linking go-plugin or gRPC; package pluginrpc carries it over the wire.
//
// The host dispenses an Integration client (pluginrpc.Client) and serves a
// HostService for callbacks; the plugin implements Integration and calls
// back through the Host it is handed with each call.
package protocol
