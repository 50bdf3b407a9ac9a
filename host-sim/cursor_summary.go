package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// cursorSummary turns a stream's cursor (opaque JSON to a host) into a
// line a person reads: where the stream resumes and what is in progress.
// It knows the fields the plugin's cursors hold (from/to/after, file,
// offset, done); a cursor of another shape shows as its size.
func cursorSummary(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return "no cursor yet"
	}
	var c struct {
		From   *int64            `json:"from"`
		To     int64             `json:"to"`
		After  string            `json:"after"`
		File   string            `json:"file"`
		Offset int               `json:"offset"`
		Done   map[string]string `json:"done"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return fmt.Sprintf("cursor of %d bytes", len(raw))
	}
	var parts []string
	switch {
	case c.From != nil && c.To != 0: // audit: a window is open
		part := "window " + unixUTC(*c.From) + " → " + unixUTC(c.To)
		if c.After != "" {
			part += ", resumes after " + c.After
		}
		parts = append(parts, part)
	case c.From != nil:
		parts = append(parts, "caught up to "+unixUTC(*c.From))
	case c.After != "": // compliance
		when := c.After
		if t, err := time.Parse(time.RFC3339Nano, c.After); err == nil {
			when = t.UTC().Format("2006-01-02 15:04:05Z")
		}
		parts = append(parts, "files up to "+when+" settled")
		if len(c.Done) > 0 {
			parts = append(parts, fmt.Sprintf("%d newer %s done", len(c.Done), plural(len(c.Done), "file", "files")))
		}
		if c.File != "" {
			parts = append(parts, fmt.Sprintf("1 file pending (%s, %d records in)", shorten(c.File, 40), c.Offset))
		} else {
			parts = append(parts, "no file pending")
		}
	default:
		return fmt.Sprintf("cursor of %d bytes", len(raw))
	}
	return strings.Join(parts, ", ")
}

func unixUTC(sec int64) string {
	return time.Unix(sec, 0).UTC().Format("2006-01-02 15:04:05Z")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
