package host

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/host/state"
	"github.com/soarkit/openai-gpt/internal/protocol"
)

// stallingPlugin never answers a call before its deadline, and then fails
// the way a gRPC call past its deadline does.
type stallingPlugin struct {
	fakePlugin
	// until is when a stalled call gives up; zero: at its context's end.
	// Set, the plugin's side ends the call a moment before the host's own
	// timer fires, as gRPC does under load (the deadline travels with the
	// call and the plugin's side may act on it first).
	until time.Duration
}

func (p *stallingPlugin) stall(ctx context.Context) error {
	if p.until > 0 {
		time.Sleep(p.until)
		return fmt.Errorf("%w: stream terminated by RST_STREAM with error code: CANCEL", context.DeadlineExceeded)
	}
	<-ctx.Done()
	return fmt.Errorf("%w: %s", context.DeadlineExceeded, ctx.Err())
}

func (p *stallingPlugin) Test(ctx context.Context, _ string, _ protocol.TestRequest) (protocol.TestResult, error) {
	return protocol.TestResult{}, p.stall(ctx)
}
func (p *stallingPlugin) Execute(ctx context.Context, _ string, _ protocol.ExecuteRequest) (protocol.Result, error) {
	return protocol.Result{}, p.stall(ctx)
}
func (p *stallingPlugin) FetchEvents(ctx context.Context, _ string, _ protocol.FetchRequest) (protocol.FetchResult, error) {
	return protocol.FetchResult{}, p.stall(ctx)
}

// TestTimeoutIsACommandError: a call past the host's timeout is the
// command's failure (an error entry, a failed test), said once, naming the
// timeout and what to change; never "context deadline exceeded" twice.
func TestTimeoutIsACommandError(t *testing.T) {
	t.Run("host's timer first", func(t *testing.T) { testTimeoutIsACommandError(t, 0) })
	t.Run("plugin's side first", func(t *testing.T) { testTimeoutIsACommandError(t, 40*time.Millisecond) })
}

func testTimeoutIsACommandError(t *testing.T, pluginEndsAfter time.Duration) {
	st, err := state.Open(t.TempDir())
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	h, err := New(context.Background(), Config{Store: st}, &stallingPlugin{until: pluginEndsAfter})
	require.NoError(t, err)
	h.cfg.Timeout = 50 * time.Millisecond
	ctx := context.Background()
	want := "did not finish within the host's 50ms timeout for a plugin call; raise it (host-sim --timeout) or try again"

	out, err := h.Run(ctx, `!gpt-send-message message=hi`)
	require.NoError(t, err, "not a refusal by the host")
	require.True(t, out.Failed())
	require.Len(t, out.Entries, 1)
	msg := out.Entries[0].Contents.(string)
	assert.Equal(t, "gpt-send-message "+want, msg)
	wr, err := h.Store().WarRoom(ctx, 0)
	require.NoError(t, err)
	require.Len(t, wr, 1, "stored like any error entry")

	tr, err := h.Test(ctx)
	require.NoError(t, err)
	assert.False(t, tr.OK)
	assert.Equal(t, "test-module "+want, tr.Error)

	_, err = h.Fetch(ctx)
	var te *TimeoutError
	require.True(t, errors.As(err, &te), "%v", err)
	assert.Equal(t, "fetch-events "+want, err.Error())
	assert.Equal(t, 1, strings.Count(err.Error(), "did not finish"))
}
