package pluginrpc

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"github.com/soarkit/openai-gpt/internal/pluginrpc/pluginpb"
	"github.com/soarkit/openai-gpt/internal/protocol"
)

// integrationServer adapts an Integration to the gRPC service.
type integrationServer struct {
	pluginpb.UnimplementedIntegrationServer
	impl   protocol.Integration
	broker *plugin.GRPCBroker

	// hostConn is the connection to the host's callback service, dialled
	// by AttachHost and kept for the session: gRPC redials the host's
	// socket by itself if the connection drops, and the host serves that
	// socket until it closes the session.
	mu       sync.Mutex
	hostConn *grpc.ClientConn

	onHostGone func() // see GRPCPlugin.OnHostGone
}

func (s *integrationServer) Manifest(ctx context.Context, _ *pluginpb.ManifestRequest) (*pluginpb.ManifestResponse, error) {
	y, err := s.impl.Manifest(ctx)
	if err != nil {
		return nil, err
	}
	return &pluginpb.ManifestResponse{Yaml: y}, nil
}

func (s *integrationServer) Test(ctx context.Context, req *pluginpb.CallRequest) (*pluginpb.CallResponse, error) {
	return call(ctx, s, req, s.impl.Test)
}

func (s *integrationServer) Execute(ctx context.Context, req *pluginpb.CallRequest) (*pluginpb.CallResponse, error) {
	return call(ctx, s, req, s.impl.Execute)
}

func (s *integrationServer) FetchEvents(ctx context.Context, req *pluginpb.CallRequest) (*pluginpb.CallResponse, error) {
	return call(ctx, s, req, s.impl.FetchEvents)
}

// call decodes the request document, runs fn with a Host bound to the call,
// and encodes the answer.
func call[Req, Res any](ctx context.Context, s *integrationServer, req *pluginpb.CallRequest,
	fn func(context.Context, protocol.Host, Req) (Res, error)) (*pluginpb.CallResponse, error) {
	var in Req
	if err := json.Unmarshal(req.GetPayload(), &in); err != nil {
		return nil, fmt.Errorf("decode request: %w", err)
	}
	host := &hostClient{server: s, brokerID: req.GetHostService(), callID: req.GetCallId()}
	out, err := fn(ctx, host, in)
	if err != nil {
		return nil, err
	}
	payload, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("encode result: %w", err)
	}
	return &pluginpb.CallResponse{Payload: payload}, nil
}

// AttachHost dials the host's callback service while the broker still
// holds its offer (go-plugin drops an offer nobody dialled within 5 s) and
// keeps the connection for every later call, however long the plugin
// idles in between.
func (s *integrationServer) AttachHost(_ context.Context, req *pluginpb.AttachHostRequest) (*pluginpb.Empty, error) {
	conn, err := s.broker.Dial(req.GetHostService())
	if err != nil {
		return nil, fmt.Errorf("connect to the host's callback service (broker id %d): %w", req.GetHostService(), err)
	}
	conn.Connect() // now, not at the first callback
	s.mu.Lock()
	old := s.hostConn
	s.hostConn = conn
	s.mu.Unlock()
	if old != nil {
		old.Close()
	}
	if s.onHostGone != nil {
		go watchHost(conn, s.onHostGone)
	}
	return &pluginpb.Empty{}, nil
}

// hostRPC is the host's callback service. A host that never called
// AttachHost gets a dial of the call's own offer; only a connection that
// worked is kept, so one failure does not fail every later call.
func (s *integrationServer) hostRPC(brokerID uint32) (pluginpb.HostClient, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hostConn == nil {
		conn, err := s.broker.Dial(brokerID)
		if err != nil {
			return nil, fmt.Errorf("connect to the host's callback service (the host must call AttachHost after launch): %w", err)
		}
		s.hostConn = conn
	}
	return pluginpb.NewHostClient(s.hostConn), nil
}

// hostClient is the plugin's Host for one call, speaking to the host's
// callback service over the session's connection.
type hostClient struct {
	server   *integrationServer
	brokerID uint32
	callID   string
}

func (h *hostClient) Context(ctx context.Context, scope protocol.Scope) (map[string]any, error) {
	rpc, err := h.server.hostRPC(h.brokerID)
	if err != nil {
		return nil, err
	}
	doc, err := rpc.GetContext(ctx, &pluginpb.GetContextRequest{CallId: h.callID, Scope: scopeToPB(scope)})
	if err != nil {
		return nil, fmt.Errorf("read the %s context: %w", scope, err)
	}
	out := map[string]any{}
	if len(doc.GetJson()) > 0 {
		if err := json.Unmarshal(doc.GetJson(), &out); err != nil {
			return nil, fmt.Errorf("decode the %s context: %w", scope, err)
		}
	}
	return out, nil
}

func (h *hostClient) SetContext(ctx context.Context, scope protocol.Scope, doc map[string]any) error {
	rpc, err := h.server.hostRPC(h.brokerID)
	if err != nil {
		return err
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("encode the %s context: %w", scope, err)
	}
	if _, err := rpc.SetContext(ctx, &pluginpb.SetContextRequest{CallId: h.callID, Scope: scopeToPB(scope), Json: b}); err != nil {
		return fmt.Errorf("write the %s context: %w", scope, err)
	}
	return nil
}

func (h *hostClient) ReadFile(ctx context.Context, entryID string, maxBytes int64) (protocol.File, error) {
	if maxBytes <= 0 {
		// The host reads 0 as "no limit"; the plugin reads nothing unbounded.
		return protocol.File{}, fmt.Errorf("read file entry %s: a positive byte limit is required, got %d", entryID, maxBytes)
	}
	rpc, err := h.server.hostRPC(h.brokerID)
	if err != nil {
		return protocol.File{}, err
	}
	stream, err := rpc.ReadFile(ctx, &pluginpb.ReadFileRequest{CallId: h.callID, EntryId: entryID, MaxBytes: maxBytes})
	if err != nil {
		return protocol.File{}, fmt.Errorf("read file entry %s: %w", entryID, err)
	}
	return receiveFile(stream, entryID, maxBytes)
}

func (h *hostClient) PushEvents(ctx context.Context, b protocol.Batch) error {
	rpc, err := h.server.hostRPC(h.brokerID)
	if err != nil {
		return err
	}
	payload, err := protocol.EncodeBatch(b)
	if err != nil {
		return fmt.Errorf("encode event batch: %w", err)
	}
	if _, err := rpc.PushEvents(ctx, &pluginpb.PushEventsRequest{CallId: h.callID, Batch: payload}); err != nil {
		return pushError(err) // the events pusher names the batch
	}
	return nil
}
