package pluginrpc

import (
	"context"
	"errors"

	"google.golang.org/grpc"
	"google.golang.org/grpc/connectivity"
)

// errHostGone says the host that started this plugin has exited.
var errHostGone = errors.New("the host that started this plugin has exited")

// HostPIDEnv carries the host's process id to the plugin, so that a plugin
// can tell whether its host died before it began to watch.
const HostPIDEnv = "SOAR_PLUGIN_HOST_PID"

// watchHost calls gone once the host's callback service cannot be reached
// any more: the host process has exited (the kernel closed its sockets).
// It keeps the connection up meanwhile, so a drop is seen at once rather
// than at the next callback. It returns when conn is closed by the plugin.
//
// A host that is alive always accepts on its callback socket, so a failed
// reconnect means the host is gone; this works on every system, where the
// parent-death signal is Linux only.
func watchHost(conn *grpc.ClientConn, gone func()) {
	for {
		st := conn.GetState()
		switch st {
		case connectivity.Shutdown:
			return
		case connectivity.TransientFailure:
			gone()
			return
		case connectivity.Idle:
			conn.Connect() // a dropped connection goes idle; try it again now
		}
		conn.WaitForStateChange(context.Background(), st)
	}
}
