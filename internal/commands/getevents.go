package commands

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/soarkit/openai-gpt/internal/events"
	"github.com/soarkit/openai-gpt/internal/protocol"
	"github.com/soarkit/openai-gpt/internal/warroom"
)

// defaultGetLimit is openai-get-events' default per-stream limit.
const defaultGetLimit = 50

// getEvents is openai-get-events: the fetch pipeline on demand, for a look
// at what would be collected. It never moves the fetch cursor; with
// should_push_events it also stores the events in their datasets.
func getEvents(ctx context.Context, c *Call) (protocol.Result, error) {
	cfg := eventsConfig(c.Settings)
	if types := c.Strings("event_type"); len(types) > 0 {
		cfg.EventTypes = types
	}
	if err := events.CheckCredentials(cfg); err != nil {
		return protocol.Result{}, err
	}
	opt := events.GetOptions{EventTypes: cfg.EventTypes, Limit: defaultGetLimit}
	if v, ok := c.Number("limit"); ok {
		if v < 1 {
			return protocol.Result{}, fmt.Errorf("limit %g: give 1 or more events per stream", v)
		}
		opt.Limit = int(v)
	}
	if s := c.String("start_time"); s != "" {
		start, err := events.ParseStartTime(s, time.Now())
		if err != nil {
			return protocol.Result{}, err
		}
		opt.Start = start
	}
	got, streams := events.Get(ctx, cfg, opt)

	var failures []string
	for _, s := range streams {
		if s.Err != nil {
			failures = append(failures, fmt.Sprintf("%s: %v", s.Stream, s.Err))
		}
	}
	if len(got) == 0 && len(failures) > 0 {
		return protocol.Result{}, errors.New("no events fetched: " + strings.Join(failures, "; "))
	}

	table := warroom.NewTable("OpenAI GPT Events", "id", "_event_type", "source_log_type", "_time")
	value := make([]any, 0, len(got))
	byDataset := map[string][]json.RawMessage{}
	for _, raw := range got {
		var e struct {
			ID            string `json:"id"`
			EventType     string `json:"_event_type"`
			SourceLogType string `json:"source_log_type"`
			Time          string `json:"_time"`
		}
		if err := json.Unmarshal(raw, &e); err != nil {
			return protocol.Result{}, fmt.Errorf("decode an enriched event: %w", err)
		}
		table.Row(e.ID, e.EventType, e.SourceLogType, e.Time)
		value = append(value, map[string]any{"id": e.ID, "_event_type": e.EventType, "source_log_type": e.SourceLogType, "_time": e.Time})
		byDataset[events.DatasetFor(e.SourceLogType)] = append(byDataset[events.DatasetFor(e.SourceLogType)], raw)
	}
	md := table.Markdown()
	if c.Flag("should_push_events") {
		for dataset, evs := range byDataset {
			// No cursor: on-demand fetches never move the schedule's position.
			if err := c.Host.PushEvents(ctx, protocol.Batch{Stream: "manual", Dataset: dataset, Events: evs}); err != nil {
				return protocol.Result{}, err
			}
			md += fmt.Sprintf("\nPushed %d events to %s.\n", len(evs), dataset)
		}
	}
	for _, f := range failures {
		md += "\n> **Stream failed:** " + warroom.Escape(f) + "\n"
	}
	res := protocol.Result{Entries: []protocol.Entry{warroom.Note(value, md)}}
	if len(value) > 0 {
		res.Outputs = []protocol.Output{{Prefix: pathEvent, KeyField: "id", Value: value}}
	}
	return res, nil
}
