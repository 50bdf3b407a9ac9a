package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	plugin "github.com/hashicorp/go-plugin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/pluginrpc"
	"github.com/soarkit/openai-gpt/internal/protocol"
)

// nullHost answers every callback with nothing.
type nullHost struct{}

func (nullHost) GetContext(context.Context, string, protocol.Scope) (map[string]any, error) {
	return map[string]any{}, nil
}
func (nullHost) SetContext(context.Context, string, protocol.Scope, map[string]any) error {
	return nil
}
func (nullHost) ReadFile(_ context.Context, _, id string, _ int64) (protocol.File, error) {
	return protocol.File{}, errors.New("file entry " + id + " not found")
}
func (nullHost) PushEvents(context.Context, string, protocol.Batch) error { return nil }

// connect serves p over a real in-process go-plugin gRPC connection.
func connect(t *testing.T, p *Plugin) *pluginrpc.Client {
	t.Helper()
	client, _ := plugin.TestPluginGRPCConn(t, false, pluginrpc.PluginMap(&pluginrpc.GRPCPlugin{Impl: p, Host: nullHost{}}))
	t.Cleanup(func() { client.Close() })
	raw, err := client.Dispense(pluginrpc.PluginName)
	require.NoError(t, err)
	return raw.(*pluginrpc.Client)
}

func TestPanicBecomesErrorEntryAndPluginStaysUp(t *testing.T) {
	p := New(nil, nil)
	p.handlers["gpt-list-models"] = func(context.Context, *Call) (protocol.Result, error) {
		var m map[string]int
		//lint:ignore SA5000 a real runtime panic is the point of the test
		m["boom"]++
		return protocol.Result{}, nil
	}
	c := connect(t, p)
	params := map[string]any{"apikey": "sk-test-123456"}

	res, err := c.Execute(context.Background(), "1", protocol.ExecuteRequest{Command: "gpt-list-models", Params: params})
	require.NoError(t, err)
	require.Len(t, res.Entries, 1)
	assert.Equal(t, protocol.EntryError, res.Entries[0].Type)
	assert.Contains(t, res.Entries[0].Contents, "internal error in gpt-list-models")

	// The next call is served by the same plugin.
	res, err = c.Execute(context.Background(), "2", protocol.ExecuteRequest{Command: "gpt-create-moderation", Args: map[string]any{}, Params: params})
	require.NoError(t, err)
	assert.Contains(t, res.Entries[0].Contents, "exactly one of text")
}

func TestCancellationReachesHandler(t *testing.T) {
	p := New(nil, nil)
	stopped := make(chan error, 1)
	p.handlers["gpt-list-models"] = func(ctx context.Context, _ *Call) (protocol.Result, error) {
		select {
		case <-ctx.Done():
			stopped <- ctx.Err()
			return protocol.Result{}, ctx.Err()
		case <-time.After(time.Minute):
			stopped <- nil
			return protocol.Result{}, nil
		}
	}
	c := connect(t, p)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, _ = c.Execute(ctx, "1", protocol.ExecuteRequest{Command: "gpt-list-models", Params: map[string]any{"apikey": "sk-test-123456"}})
	select {
	case err := <-stopped:
		assert.Error(t, err, "the handler saw its context end")
	case <-time.After(10 * time.Second):
		t.Fatal("the handler never saw the cancellation")
	}
}

func TestInvalidResultIsRejectedWithPath(t *testing.T) {
	p := New(nil, nil)
	p.handlers["gpt-list-models"] = func(context.Context, *Call) (protocol.Result, error) {
		return protocol.Result{
			Entries: []protocol.Entry{{Type: protocol.EntryNote, ContentsFormat: protocol.FormatText, Contents: "x"}},
			Outputs: []protocol.Output{{Prefix: pathModel, KeyField: "Id", Value: []any{map[string]any{"Id": 42}}}},
		}, nil
	}
	res, err := p.Execute(context.Background(), nullHostClient{}, protocol.ExecuteRequest{Command: "gpt-list-models", Params: map[string]any{"apikey": "sk-test-123456"}})
	require.NoError(t, err)
	require.True(t, res.Failed())
	assert.Contains(t, res.Entries[0].Contents, "invalid result")
	assert.Contains(t, res.Entries[0].Contents, "Id")
}

func TestUnknownCommandAndBadSettings(t *testing.T) {
	p := New(nil, nil)
	res, err := p.Execute(context.Background(), nullHostClient{}, protocol.ExecuteRequest{Command: "gpt-nope"})
	require.NoError(t, err)
	assert.Contains(t, res.Entries[0].Contents, `unknown command "gpt-nope"`)

	res, err = p.Execute(context.Background(), nullHostClient{}, protocol.ExecuteRequest{Command: "gpt-list-models", Params: map[string]any{"temperature": "3"}})
	require.NoError(t, err)
	assert.Contains(t, res.Entries[0].Contents, "parameter temperature: 3 is out of range (allowed: 0 to 2)")

	res, err = p.Execute(context.Background(), nullHostClient{}, protocol.ExecuteRequest{Command: "gpt-list-models", Params: map[string]any{}})
	require.NoError(t, err)
	assert.Contains(t, res.Entries[0].Contents, "apikey")
}

// nullHostClient is a protocol.Host for direct calls.
type nullHostClient struct{}

func (nullHostClient) Context(context.Context, protocol.Scope) (map[string]any, error) {
	return map[string]any{}, nil
}
func (nullHostClient) SetContext(context.Context, protocol.Scope, map[string]any) error { return nil }
func (nullHostClient) ReadFile(_ context.Context, id string, _ int64) (protocol.File, error) {
	return protocol.File{}, errors.New("file entry " + id + " not found")
}
func (nullHostClient) PushEvents(context.Context, protocol.Batch) error { return nil }

// TestGuardRecoversAndRedacts: the one guard behind Execute, Test and
// FetchEvents turns a panic into the caller's answer, then masks secrets
// in it.
func TestGuardRecoversAndRedacts(t *testing.T) {
	p := New(nil, nil)
	p.redactor.Add("sk-guard-secret-0123456789")
	var answer string
	func() {
		defer p.guard(p.log, "test", func(r any) { answer = fmt.Sprint("failed: ", r) }, func() { answer = p.redactor.String(answer) })
		panic("boom with sk-guard-secret-0123456789")
	}()
	assert.True(t, strings.HasPrefix(answer, "failed: boom with "), answer)
	assert.NotContains(t, answer, "sk-guard-secret-0123456789")
}
