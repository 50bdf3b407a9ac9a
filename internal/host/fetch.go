package host

import (
	"context"
	"fmt"

	"github.com/soarkit/openai-gpt/internal/protocol"
)

// Test runs test-module with the instance's parameters. An error means the
// plugin could not be asked; a failed test is TestResult.OK false.
func (h *Host) Test(ctx context.Context) (protocol.TestResult, error) {
	params, err := h.Params(ctx)
	if err != nil {
		return protocol.TestResult{}, err
	}
	cctx, cancel := h.callContext(ctx)
	defer cancel()
	res, err := h.plugin.Test(cctx, h.callID("test"), protocol.TestRequest{Params: params})
	if te := h.timedOut("test-module", ctx, cctx, err); te != nil {
		return protocol.TestResult{OK: false, Error: te.Error()}, nil
	}
	if err != nil {
		return protocol.TestResult{}, fmt.Errorf("test-module: the plugin call failed: %w", err)
	}
	if !res.OK && res.Error == "" {
		res.Error = "test-module failed without saying why"
	}
	return res, nil
}

// Fetch runs one fetch-events cycle from the stored cursors. Batches are
// stored as they arrive (see Services); the summary says what each stream
// did. Cancelling ctx stops the cycle after the batch in flight.
//
// One fetch per instance runs at a time, as on a SOAR platform: while
// another holds the instance's fetch lock (any process on the same state),
// Fetch fails at once with an error wrapping state.ErrFetchRunning.
func (h *Host) Fetch(ctx context.Context) (protocol.FetchResult, error) {
	lock, err := h.cfg.Store.LockFetch(ctx)
	if err != nil {
		return protocol.FetchResult{}, fmt.Errorf("fetch-events: %w", err)
	}
	defer lock.Release()
	params, err := h.Params(ctx)
	if err != nil {
		return protocol.FetchResult{}, err
	}
	last, err := h.cfg.Store.Cursors(ctx)
	if err != nil {
		return protocol.FetchResult{}, err
	}
	cctx, cancel := h.callContext(ctx)
	defer cancel()
	id := h.callID("fetch")
	h.live.open(id)
	// Before the lock goes (deferred above, so after this): no push of
	// this call lands once the next fetch may have read the cursors.
	defer h.live.close(id)
	res, err := h.plugin.FetchEvents(cctx, id, protocol.FetchRequest{Params: params, LastRun: last})
	if te := h.timedOut("fetch-events", ctx, cctx, err); te != nil {
		return protocol.FetchResult{}, te
	}
	if err != nil {
		return protocol.FetchResult{}, fmt.Errorf("fetch-events: the plugin call failed: %w", err)
	}
	return res, nil
}
