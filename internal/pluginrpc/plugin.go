package pluginrpc

import (
	"context"
	"fmt"
	"time"

	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"github.com/soarkit/openai-gpt/internal/pluginrpc/pluginpb"
	"github.com/soarkit/openai-gpt/internal/protocol"
)

// GRPCPlugin binds both sides to go-plugin. The plugin sets Impl; the host
// sets Host.
type GRPCPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	Impl protocol.Integration
	Host protocol.HostService
	// OnHostGone, if set on the plugin side, is called once the attached
	// host's callback service is unreachable: the host has exited. Serve
	// exits the process; in-process tests leave it nil.
	OnHostGone func()
}

// PluginMap returns the plugin set for a go-plugin ServeConfig or ClientConfig.
func PluginMap(p *GRPCPlugin) map[string]plugin.Plugin {
	return map[string]plugin.Plugin{PluginName: p}
}

// GRPCServer registers the plugin's Integration service.
func (p *GRPCPlugin) GRPCServer(broker *plugin.GRPCBroker, s *grpc.Server) error {
	pluginpb.RegisterIntegrationServer(s, &integrationServer{impl: p.Impl, broker: broker, onHostGone: p.OnHostGone})
	return nil
}

// MaxCallbackBytes is the largest message the host's callback service
// accepts (gRPC's default is 4 MiB): an event batch of large records, an
// integration context holding a long conversation.
const MaxCallbackBytes = 64 << 20

// attachTimeout bounds AttachHost: the plugin's dial waits at most the
// broker's own 5 s for the offer, so this is generous.
const attachTimeout = 30 * time.Second

// GRPCClient starts the host's callback service on the broker and has the
// plugin dial it at once (AttachHost), once per plugin session: warm calls
// pay nothing for it, and a plugin idle for hours still has its
// connection. (Vault's plugins do the same in their Setup call; a broker id
// per call would cost a listener and a dial per call, and the plugin would
// still have to dial within 5 s of the offer, before a slow API answer.)
// It returns a *Client.
func (p *GRPCPlugin) GRPCClient(ctx context.Context, broker *plugin.GRPCBroker, conn *grpc.ClientConn) (any, error) {
	id := broker.NextId()
	go broker.AcceptAndServe(id, func(opts []grpc.ServerOption) *grpc.Server {
		s := grpc.NewServer(append(opts, grpc.MaxRecvMsgSize(MaxCallbackBytes))...)
		pluginpb.RegisterHostServer(s, &hostServer{impl: p.Host})
		return s
	})
	rpc := pluginpb.NewIntegrationClient(conn)
	actx, cancel := context.WithTimeout(ctx, attachTimeout)
	defer cancel()
	if _, err := rpc.AttachHost(actx, &pluginpb.AttachHostRequest{HostService: id}); err != nil {
		return nil, fmt.Errorf("attach the host's callback service to the plugin: %w", callError(err))
	}
	return &Client{rpc: rpc, hostService: id}, nil
}
