package pluginrpc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/soarkit/openai-gpt/internal/pluginrpc/pluginpb"
	"github.com/soarkit/openai-gpt/internal/protocol"
)

// Client is the host's handle on a running plugin, dispensed by go-plugin.
type Client struct {
	rpc         pluginpb.IntegrationClient
	hostService uint32
}

// Manifest returns the plugin's integration.yml.
func (c *Client) Manifest(ctx context.Context) ([]byte, error) {
	res, err := c.rpc.Manifest(ctx, &pluginpb.ManifestRequest{})
	if err != nil {
		return nil, err
	}
	return res.GetYaml(), nil
}

// Test runs test-module.
func (c *Client) Test(ctx context.Context, callID string, req protocol.TestRequest) (protocol.TestResult, error) {
	var out protocol.TestResult
	return out, c.invoke(ctx, c.rpc.Test, callID, req, &out)
}

// Execute runs one command.
func (c *Client) Execute(ctx context.Context, callID string, req protocol.ExecuteRequest) (protocol.Result, error) {
	var out protocol.Result
	return out, c.invoke(ctx, c.rpc.Execute, callID, req, &out)
}

// FetchEvents runs one fetch cycle; batches arrive through HostService.PushEvents.
func (c *Client) FetchEvents(ctx context.Context, callID string, req protocol.FetchRequest) (protocol.FetchResult, error) {
	var out protocol.FetchResult
	return out, c.invoke(ctx, c.rpc.FetchEvents, callID, req, &out)
}

type rpcMethod func(context.Context, *pluginpb.CallRequest, ...grpcCallOption) (*pluginpb.CallResponse, error)

func (c *Client) invoke(ctx context.Context, method rpcMethod, callID string, req, out any) error {
	payload, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("encode request: %w", err)
	}
	res, err := method(ctx, &pluginpb.CallRequest{HostService: c.hostService, CallId: callID, Payload: payload})
	if err != nil {
		return callError(err)
	}
	if err := json.Unmarshal(res.GetPayload(), out); err != nil {
		return fmt.Errorf("decode the plugin's answer: %w", err)
	}
	return nil
}

// callError turns a failed call's gRPC status into an error in the
// plugin's own words ("rpc error: code = Unknown desc = …" helps nobody),
// keeping cancellation and deadlines recognisable with errors.Is.
func callError(err error) error {
	s, ok := status.FromError(err)
	if !ok {
		return err
	}
	switch s.Code() {
	case codes.Unknown:
		return errors.New(s.Message())
	case codes.Canceled:
		return withCause(context.Canceled, s.Message())
	case codes.DeadlineExceeded:
		return withCause(context.DeadlineExceeded, s.Message())
	case codes.Unavailable:
		return fmt.Errorf("the plugin is unreachable (has it exited?): %s", s.Message())
	}
	return err
}

// withCause is sentinel with the status message after it, unless the
// message only repeats the sentinel ("context canceled: context canceled"
// read badly in the war room).
func withCause(sentinel error, msg string) error {
	if msg == "" || msg == sentinel.Error() {
		return sentinel
	}
	return fmt.Errorf("%w: %s", sentinel, msg)
}
