package host

import (
	"context"
	"encoding/json"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/protocol"
)

func auditBatch(id string) protocol.Batch {
	return protocol.Batch{Stream: "audit", Dataset: "openai_chatgpt_audit_raw", Cursor: json.RawMessage(`{"n":1}`),
		Events: []json.RawMessage{[]byte(`{"id":"` + id + `","_time":"2026-01-01T00:00:00Z"}`)}}
}

// TestPushAfterItsFetchEndedIsRefused: a batch that reaches the host after
// its fetch call ended (the host timed out while the plugin was sending it)
// is refused, so it cannot land after the next fetch read the cursors.
func TestPushAfterItsFetchEndedIsRefused(t *testing.T) {
	h, fp := newTestHost(t, nil)
	ctx := context.Background()
	var ended string
	fp.fetch = func(callID string, _ protocol.FetchRequest) (protocol.FetchResult, error) {
		ended = callID
		return protocol.FetchResult{}, nil
	}
	_, err := h.Fetch(ctx)
	require.NoError(t, err)
	err = h.Services().PushEvents(ctx, ended, auditBatch("late"))
	require.ErrorContains(t, err, "has ended")
	n, err := h.Store().CountEvents(ctx, "openai_chatgpt_audit_raw")
	require.NoError(t, err)
	assert.Zero(t, n)
}

// TestFetchHoldsItsLockUntilItsPushesLand: a push admitted during the call
// keeps the fetch (and its lock) until it is stored, even when the plugin's
// side of the call has already returned.
func TestFetchHoldsItsLockUntilItsPushesLand(t *testing.T) {
	h, fp := newTestHost(t, nil)
	ctx := context.Background()
	pushing, returned, fetched := make(chan struct{}), make(chan struct{}), make(chan struct{})
	var released atomic.Bool
	h.cfg.OnPush = func(protocol.Batch) {
		close(pushing)
		<-returned
		// The plugin's side is over; the host must still wait for us.
		select {
		case <-fetched:
		case <-time.After(time.Second):
			released.Store(true)
		}
	}
	fp.fetch = func(callID string, _ protocol.FetchRequest) (protocol.FetchResult, error) {
		go h.Services().PushEvents(ctx, callID, auditBatch("a1")) //nolint:errcheck // checked through the store
		<-pushing
		close(returned)
		return protocol.FetchResult{}, nil
	}
	_, err := h.Fetch(ctx)
	close(fetched)
	require.NoError(t, err)
	assert.True(t, released.Load(), "Fetch returned, and let go of its lock, while its push was in flight")
	n, err := h.Store().CountEvents(ctx, "openai_chatgpt_audit_raw")
	require.NoError(t, err)
	assert.EqualValues(t, 1, n)
}

// TestCommandPushesWhileItRuns: a command pushes events on demand
// (openai-get-events should_push_events=true) during its own call; the
// host admits them, as it does a fetch's.
func TestCommandPushesWhileItRuns(t *testing.T) {
	h, fp := newTestHost(t, nil)
	ctx := context.Background()
	fp.onExecute = func(callID string) error {
		b := auditBatch("on-demand")
		b.Cursor = nil // on demand: the fetch cursor does not move
		return h.Services().PushEvents(ctx, callID, b)
	}
	out, err := h.Run(ctx, "!openai-get-events should_push_events=true")
	require.NoError(t, err)
	require.False(t, out.Failed(), out.Entries)
	n, err := h.Store().CountEvents(ctx, "openai_chatgpt_audit_raw")
	require.NoError(t, err)
	assert.EqualValues(t, 1, n)
}
