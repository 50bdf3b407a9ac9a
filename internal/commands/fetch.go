package commands

import (
	"context"
	"errors"
	"fmt"

	"github.com/soarkit/openai-gpt/internal/events"
	"github.com/soarkit/openai-gpt/internal/protocol"
)

// FetchEvents is fetch-events: one cycle over every selected stream,
// pushing each page to the host with the cursor that follows it.
func (p *Plugin) FetchEvents(ctx context.Context, host protocol.Host, req protocol.FetchRequest) (res protocol.FetchResult, err error) {
	defer p.guard(p.log, "fetch-events", func(r any) {
		res, err = protocol.FetchResult{}, fmt.Errorf("internal error in fetch-events: %v", r)
	}, func() {
		for i := range res.Streams {
			res.Streams[i].Error = p.redactor.String(res.Streams[i].Error)
		}
		if err != nil {
			err = errors.New(p.redactor.String(err.Error())) // a settings error can quote a URL
		}
	})
	s, err := p.settings(req.Params)
	if err != nil {
		return protocol.FetchResult{}, err
	}
	if !s.FetchEvents {
		return protocol.FetchResult{}, fmt.Errorf("fetching events is off for this instance: set isFetchEvents=true")
	}
	cfg := eventsConfig(s)
	if err := events.CheckCredentials(cfg); err != nil {
		return protocol.FetchResult{}, err
	}
	last := events.Cursors{}
	for k, v := range req.LastRun {
		last[k] = v
	}
	results := events.Fetch(ctx, cfg, last, hostSink{host})
	for _, r := range results {
		sum := protocol.StreamSummary{Stream: r.Stream, Count: r.Count, Cursor: r.Cursor}
		if r.Err != nil {
			sum.Error = r.Err.Error()
			p.log.Warn("stream failed", "stream", r.Stream, "error", p.redactor.String(sum.Error))
		}
		res.Streams = append(res.Streams, sum)
	}
	return res, nil
}

// hostSink pushes collector batches to the host.
type hostSink struct{ host protocol.Host }

func (h hostSink) Push(ctx context.Context, b events.Batch) error {
	return h.host.PushEvents(ctx, protocol.Batch{Stream: b.Stream, Dataset: b.Dataset, Events: b.Events, Cursor: b.Cursor})
}
