package pluginrpc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/soarkit/openai-gpt/internal/pluginrpc/pluginpb"
	"github.com/soarkit/openai-gpt/internal/protocol"
)

type grpcCallOption = grpc.CallOption

// fileChunkSize keeps each streamed message well under gRPC's 4 MB default.
const fileChunkSize = 1 << 20

// hostServer adapts a HostService to the gRPC callback service.
type hostServer struct {
	pluginpb.UnimplementedHostServer
	impl protocol.HostService
}

func (h *hostServer) GetContext(ctx context.Context, req *pluginpb.GetContextRequest) (*pluginpb.Document, error) {
	scope, err := scopeFromPB(req.GetScope())
	if err != nil {
		return nil, err
	}
	doc, err := h.impl.GetContext(ctx, req.GetCallId(), scope)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	return &pluginpb.Document{Json: b}, nil
}

func (h *hostServer) SetContext(ctx context.Context, req *pluginpb.SetContextRequest) (*pluginpb.Empty, error) {
	scope, err := scopeFromPB(req.GetScope())
	if err != nil {
		return nil, err
	}
	doc := map[string]any{}
	if err := json.Unmarshal(req.GetJson(), &doc); err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "context document is not a JSON object: %v", err)
	}
	return &pluginpb.Empty{}, h.impl.SetContext(ctx, req.GetCallId(), scope, doc)
}

func (h *hostServer) ReadFile(req *pluginpb.ReadFileRequest, stream grpc.ServerStreamingServer[pluginpb.FileChunk]) error {
	f, err := h.impl.ReadFile(stream.Context(), req.GetCallId(), req.GetEntryId(), req.GetMaxBytes())
	if err != nil {
		return err
	}
	first := &pluginpb.FileChunk{Name: f.Name, Size: int64(len(f.Data))}
	data := f.Data
	for {
		n := min(len(data), fileChunkSize)
		chunk := first
		if chunk == nil {
			chunk = &pluginpb.FileChunk{}
		}
		chunk.Data = data[:n]
		if err := stream.Send(chunk); err != nil {
			return err
		}
		first, data = nil, data[n:]
		if len(data) == 0 {
			return nil
		}
	}
}

func (h *hostServer) PushEvents(ctx context.Context, req *pluginpb.PushEventsRequest) (*pluginpb.Empty, error) {
	b, err := protocol.DecodeBatch(req.GetBatch())
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "%v", err)
	}
	return &pluginpb.Empty{}, h.impl.PushEvents(ctx, req.GetCallId(), b)
}

// receiveFile reassembles a streamed file entry of at most maxBytes: the
// host is asked to refuse a larger one, and one that sends more anyway (or
// announces a size it cannot have) is refused here rather than trusted
// with the plugin's memory.
func receiveFile(stream grpc.ServerStreamingClient[pluginpb.FileChunk], entryID string, maxBytes int64) (protocol.File, error) {
	var f protocol.File
	first := true
	for {
		chunk, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return f, nil
		}
		if err != nil {
			if s, ok := status.FromError(err); ok {
				return protocol.File{}, errors.New(s.Message())
			}
			return protocol.File{}, fmt.Errorf("read file entry %s: %w", entryID, err)
		}
		if first {
			size := chunk.GetSize()
			if size < 0 || size > maxBytes {
				return protocol.File{}, fmt.Errorf("read file entry %s: the host announced %d bytes, over the %d asked for at most", entryID, size, maxBytes)
			}
			f.Name = chunk.GetName()
			f.Data = make([]byte, 0, size)
			first = false
		}
		if int64(len(f.Data))+int64(len(chunk.GetData())) > maxBytes {
			return protocol.File{}, fmt.Errorf("read file entry %s: the host sent more than the %d bytes asked for at most", entryID, maxBytes)
		}
		f.Data = append(f.Data, chunk.GetData()...)
	}
}

func scopeToPB(s protocol.Scope) pluginpb.ContextScope {
	switch s {
	case protocol.ScopeIncident:
		return pluginpb.ContextScope_CONTEXT_SCOPE_INCIDENT
	case protocol.ScopeIntegration:
		return pluginpb.ContextScope_CONTEXT_SCOPE_INTEGRATION
	}
	return pluginpb.ContextScope_CONTEXT_SCOPE_UNSPECIFIED
}

func scopeFromPB(s pluginpb.ContextScope) (protocol.Scope, error) {
	switch s {
	case pluginpb.ContextScope_CONTEXT_SCOPE_INCIDENT:
		return protocol.ScopeIncident, nil
	case pluginpb.ContextScope_CONTEXT_SCOPE_INTEGRATION:
		return protocol.ScopeIntegration, nil
	}
	return "", status.Errorf(codes.InvalidArgument, "unknown context scope %v", s)
}
