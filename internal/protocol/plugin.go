package protocol

import (
	"context"

	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"github.com/soarkit/openai-gpt/internal/protocol/pluginpb"
)

// Integration is what the plugin implements. Each call gets a Host bound to
// that call for callbacks, and the host's context, cancelled when the host
// gives up.
type Integration interface {
	Manifest(ctx context.Context) ([]byte, error)
	Test(ctx context.Context, host Host, req TestRequest) (TestResult, error)
	Execute(ctx context.Context, host Host, req ExecuteRequest) (Result, error)
	FetchEvents(ctx context.Context, host Host, req FetchRequest) (FetchResult, error)
}

// Host is the plugin's view of the host during one call.
type Host interface {
	// Context returns the context document of scope (an empty map when none).
	Context(ctx context.Context, scope Scope) (map[string]any, error)
	// SetContext replaces the context document of scope.
	SetContext(ctx context.Context, scope Scope, doc map[string]any) error
	// ReadFile reads a file entry; the host refuses one larger than maxBytes.
	ReadFile(ctx context.Context, entryID string, maxBytes int64) (File, error)
	// PushEvents stores a batch and its cursor atomically.
	PushEvents(ctx context.Context, b Batch) error
}

// HostService is what the host implements to serve callbacks. callID names
// the call a callback belongs to.
type HostService interface {
	GetContext(ctx context.Context, callID string, scope Scope) (map[string]any, error)
	SetContext(ctx context.Context, callID string, scope Scope, doc map[string]any) error
	ReadFile(ctx context.Context, callID, entryID string, maxBytes int64) (File, error)
	PushEvents(ctx context.Context, callID string, b Batch) error
}

// GRPCPlugin binds both sides to go-plugin. The plugin sets Impl; the host
// sets Host.
type GRPCPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	Impl Integration
	Host HostService
}

// PluginMap returns the plugin set for a go-plugin ServeConfig or ClientConfig.
func PluginMap(p *GRPCPlugin) map[string]plugin.Plugin {
	return map[string]plugin.Plugin{PluginName: p}
}

// GRPCServer registers the plugin's Integration service.
func (p *GRPCPlugin) GRPCServer(broker *plugin.GRPCBroker, s *grpc.Server) error {
	pluginpb.RegisterIntegrationServer(s, &integrationServer{impl: p.Impl, broker: broker})
	return nil
}

// MaxCallbackBytes is the largest message the host's callback service
// accepts (gRPC's default is 4 MiB): an event batch of large records, an
// integration context holding a long conversation.
const MaxCallbackBytes = 64 << 20

// GRPCClient starts the host's callback service on the broker (once per
// plugin session, so warm calls pay nothing for it) and returns a *Client.
func (p *GRPCPlugin) GRPCClient(_ context.Context, broker *plugin.GRPCBroker, conn *grpc.ClientConn) (any, error) {
	id := broker.NextId()
	go broker.AcceptAndServe(id, func(opts []grpc.ServerOption) *grpc.Server {
		s := grpc.NewServer(append(opts, grpc.MaxRecvMsgSize(MaxCallbackBytes))...)
		pluginpb.RegisterHostServer(s, &hostServer{impl: p.Host})
		return s
	})
	return &Client{rpc: pluginpb.NewIntegrationClient(conn), hostService: id}, nil
}
