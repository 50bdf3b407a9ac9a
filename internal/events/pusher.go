package events

import (
	"context"
	"encoding/json"
	"fmt"
)

// pusher sends one stream's batches to the sink and remembers what the
// host acknowledged: the count and the cursor after the last stored batch.
type pusher struct {
	sink            Sink
	stream, dataset string
	count           int
	cursor          json.RawMessage
}

func (p *pusher) push(ctx context.Context, events []json.RawMessage, cursor json.RawMessage) error {
	// The slice is handed over: the sink may keep it.
	evs := append([]json.RawMessage(nil), events...)
	if err := p.sink.Push(ctx, Batch{Stream: p.stream, Dataset: p.dataset, Events: evs, Cursor: cursor}); err != nil {
		return fmt.Errorf("push %d %s events to %s: %w", len(evs), p.stream, p.dataset, err)
	}
	p.count += len(evs)
	p.cursor = cursor
	return nil
}
