package commands

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/soarkit/openai-gpt/internal/events"
	"github.com/soarkit/openai-gpt/internal/protocol"
	"github.com/soarkit/openai-gpt/internal/warroom"
)

// getEvents is openai-get-events: the fetch pipeline on demand, for a look
// at what would be collected. It never moves the fetch cursor; with
// should_push_events it also stores the events in their datasets.
//
// Without event_type it reads the types selected in event_types_to_fetch
// whose credentials are configured, and names the skipped ones with the
// parameters that would enable them: an instance with only an admin key
// (or only compliance credentials) serves the command. An event_type the
// user names explicitly is a request for exactly those types, so one whose
// credentials are missing is an error naming the parameter, rather than a
// result that silently lacks it (a playbook would read "no events").
func getEvents(ctx context.Context, c *Call) (protocol.Result, error) {
	cfg, skipped, err := eventTypesFor(c)
	if err != nil {
		return protocol.Result{}, err
	}
	opt, err := getOptions(c, cfg.EventTypes)
	if err != nil {
		return protocol.Result{}, err
	}
	got, streams := events.Get(ctx, cfg, opt)

	var failures []string
	for _, s := range streams {
		if s.Err != nil {
			failures = append(failures, fmt.Sprintf("%s: %v", s.Stream, s.Err))
		}
	}
	if len(got) == 0 && len(failures) > 0 {
		msg := "no events fetched: " + strings.Join(failures, "; ")
		for _, m := range skipped {
			msg += "; skipped, no credentials: " + m.String()
		}
		return protocol.Result{}, errors.New(msg)
	}

	md, value, byDataset, err := eventsTable(got)
	if err != nil {
		return protocol.Result{}, err
	}
	if c.Flag("should_push_events") {
		pushed, err := pushByDataset(ctx, c, byDataset)
		if err != nil {
			return protocol.Result{}, err
		}
		md += pushed
	}
	for _, f := range failures {
		md += "\n> **Stream failed:** " + warroom.Escape(f) + "\n"
	}
	for _, m := range skipped {
		md += "\n> **Skipped, no credentials:** " + warroom.Escape(m.String()) + "\n"
	}
	if opt.Start.After(time.Now()) {
		md += fmt.Sprintf("\nstart_time %s is in the future: nothing has happened after it yet.\n", opt.Start.UTC().Format(time.RFC3339))
	}
	md += fmt.Sprintf("\nUp to %d events per stream since %s: the most recent OpenAI audit logs, the earliest compliance records after the start.\n",
		opt.Limit, startLabel(opt.Start))
	res := protocol.Result{Entries: []protocol.Entry{warroom.Note(value, md)}}
	if len(value) > 0 {
		res.Outputs = []protocol.Output{{Prefix: pathEvent, KeyField: "id", Value: value}}
	}
	return res, nil
}

// eventTypesFor is the collectors' configuration for this call, and the
// configured types skipped for want of credentials (see getEvents).
func eventTypesFor(c *Call) (events.Config, []events.MissingCredentials, error) {
	cfg := eventsConfig(c.Settings)
	if types := c.Strings("event_type"); len(types) > 0 {
		cfg.EventTypes = types
		return cfg, nil, checkAskedTypes(cfg)
	}
	ready, missing := events.ReadyEventTypes(cfg)
	if len(ready) == 0 {
		return cfg, nil, noStreamError(cfg, missing)
	}
	cfg.EventTypes = ready
	return cfg, missing, nil
}

// getOptions reads limit and start_time.
func getOptions(c *Call, types []string) (events.GetOptions, error) {
	opt := events.GetOptions{EventTypes: types, Limit: events.DefaultLimit}
	if v, ok := c.Number("limit"); ok {
		if v < 1 {
			return opt, fmt.Errorf("limit %g: give 1 or more events per stream", v)
		}
		opt.Limit = int(v)
	}
	if s := c.String("start_time"); s != "" {
		start, err := events.ParseStartTime(s, time.Now())
		if err != nil {
			return opt, err
		}
		opt.Start = start
	}
	return opt, nil
}

// eventsTable is the "OpenAI GPT Events" table of the enriched events, their
// OpenAI.Event context values (the events themselves, every field, as the
// reference integration gives them), and the events grouped by dataset.
func eventsTable(got []json.RawMessage) (string, []any, map[string][]json.RawMessage, error) {
	table := warroom.NewTable("OpenAI GPT Events", "id", "_event_type", "source_log_type", "_time")
	value := make([]any, 0, len(got))
	byDataset := map[string][]json.RawMessage{}
	for _, raw := range got {
		var e map[string]any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber() // ids and counts as the API wrote them, not rounded through float64
		if err := dec.Decode(&e); err != nil {
			return "", nil, nil, fmt.Errorf("decode an enriched event: %w", err)
		}
		slt := cell(e["source_log_type"])
		table.Row(cell(e["id"]), cell(e["_event_type"]), slt, cell(e["_time"]))
		value = append(value, e)
		dataset := events.DatasetFor(slt)
		byDataset[dataset] = append(byDataset[dataset], raw)
	}
	return table.Markdown(), value, byDataset, nil
}

// cell is a field for the table: a string as is, anything else as JSON
// (a record's own id may be a number).
func cell(v any) string {
	if s, ok := v.(string); ok || v == nil {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// pushByDataset stores the events in their datasets, in a stable order,
// without a cursor: on-demand fetches never move the schedule's position.
func pushByDataset(ctx context.Context, c *Call, byDataset map[string][]json.RawMessage) (string, error) {
	var md strings.Builder
	for _, dataset := range slices.Sorted(maps.Keys(byDataset)) {
		evs := byDataset[dataset]
		if err := c.Host.PushEvents(ctx, protocol.Batch{Stream: "manual", Dataset: dataset, Events: evs}); err != nil {
			return "", err
		}
		fmt.Fprintf(&md, "\nPushed %d events to %s.\n", len(evs), dataset)
	}
	return md.String(), nil
}

// checkAskedTypes checks the event types given in event_type: each must be
// known and have its credentials configured.
func checkAskedTypes(cfg events.Config) error {
	if err := events.CheckLabels("argument event_type", cfg.EventTypes); err != nil {
		return err
	}
	if _, missing := events.ReadyEventTypes(cfg); len(missing) > 0 {
		return fmt.Errorf("event_type asks for event types this instance has no credentials for: %s; "+
			"configure them, or leave event_type empty to read every configured type", events.JoinMissing(missing))
	}
	return nil
}

// noStreamError is the error when none of the selected event types has its
// credentials: it names what to configure, and the types that could be
// read if asked for with event_type.
func noStreamError(cfg events.Config, missing []events.MissingCredentials) error {
	if len(missing) == 0 {
		return errors.New("no event type to read: give event_type, or select event types in event_types_to_fetch")
	}
	msg := "no event stream is configured for the event types in event_types_to_fetch: " + events.JoinMissing(missing)
	all := cfg
	all.EventTypes = events.Labels()
	if others, _ := events.ReadyEventTypes(all); len(others) > 0 {
		msg += fmt.Sprintf("; or read %s with event_type", strings.Join(others, ", "))
	}
	return errors.New(msg)
}

// startLabel is how the entry names the start: the given start_time, or
// the default look-back.
func startLabel(start time.Time) string {
	if start.IsZero() {
		return "one day ago"
	}
	return start.UTC().Format(time.RFC3339)
}
