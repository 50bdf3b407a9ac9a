package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/soarkit/openai-gpt/internal/host/render"
	"github.com/soarkit/openai-gpt/internal/host/state"
	"github.com/soarkit/openai-gpt/manifest"
)

func (a *app) events(g *globals, args []string) int {
	fs := g.flagSet("events", a.stderr)
	limit := fs.Int("limit", 20, "show the N most recent events by _time (0 for all)")
	asJSON := fs.Bool("json", false, "print the events as a JSON array only")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return exitRefused
	}
	if len(rest) != 1 {
		return a.fail(exitRefused, "usage: host-sim events DATASET [--limit N] [--json]")
	}
	s, code := a.openStore(g)
	if s == nil {
		return code
	}
	defer s.close()
	return a.showEvents(context.Background(), s.store, rest[0], *limit, *asJSON)
}

// showEvents prints the limit most recent events of dataset.
func (a *app) showEvents(ctx context.Context, st *state.Store, dataset string, limit int, asJSON bool) int {
	if known := manifest.Default().Datasets(); !slices.Contains(known, dataset) {
		return a.fail(exitRefused, "events: no dataset %q; this integration fills %s", dataset, strings.Join(known, " and "))
	}
	evs, err := st.Events(ctx, dataset, limit)
	if err != nil {
		return a.fail(exitRefused, "%v", err)
	}
	if asJSON {
		docs := make([]json.RawMessage, len(evs))
		for i, e := range evs {
			docs[i] = e.JSON
		}
		if err := writeJSON(a.stdout, docs); err != nil {
			return a.fail(exitRefused, "%v", err)
		}
		return exitOK
	}
	total, err := st.CountEvents(ctx, dataset)
	if err != nil {
		return a.fail(exitRefused, "%v", err)
	}
	if total == 0 {
		counts, _ := st.Datasets(ctx)
		names := make([]string, 0, len(counts))
		for k := range counts {
			names = append(names, k)
		}
		fmt.Fprintf(a.stdout, "dataset %s is empty", dataset)
		if len(names) > 0 {
			fmt.Fprintf(a.stdout, " (datasets with events: %s)", strings.Join(names, ", "))
		}
		fmt.Fprintln(a.stdout)
		return exitOK
	}
	var b strings.Builder
	fmt.Fprintf(&b, "### %s: newest %d of %d events\n| _time | id | event |\n| --- | --- | --- |\n", dataset, len(evs), total)
	for _, e := range evs {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", cell(e.Time), cell(e.ID), cell(summarise(e.JSON)))
	}
	var out strings.Builder
	render.Markdown(&out, b.String(), a.renderOptions())
	fmt.Fprint(a.stdout, out.String())
	return exitOK
}

// summarise shortens an event for a table cell: its log type and event
// type when it has them, else its compact JSON, cut short.
func summarise(doc json.RawMessage) string {
	var m map[string]any
	if json.Unmarshal(doc, &m) != nil {
		return shorten(string(doc), 160)
	}
	var parts []string
	if v, ok := m["source_log_type"].(string); ok && v != "" {
		parts = append(parts, v)
	}
	for _, k := range []string{"type", "event_type", "_event_type"} {
		if v, ok := m[k].(string); ok && v != "" {
			parts = append(parts, v)
			break
		}
	}
	if len(parts) == 0 {
		return shorten(string(doc), 160)
	}
	return strings.Join(parts, " / ")
}

// cell escapes text for a markdown table cell.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ").Replace(s)
}
