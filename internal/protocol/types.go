package protocol

import (
	"encoding/json"
)

// Scope selects one of the two context documents a host keeps.
type Scope string

// Context scopes.
const (
	// ScopeIncident is the incident (war room) context: what commands write
	// as outputs and playbooks read.
	ScopeIncident Scope = "incident"
	// ScopeIntegration is the instance's private state, shared by all calls.
	ScopeIntegration Scope = "integration"
)

// ExecuteRequest asks the plugin to run one command.
type ExecuteRequest struct {
	Command string         `json:"command"`
	Args    map[string]any `json:"args"`
	Params  map[string]any `json:"params"`
}

// TestRequest asks the plugin to run test-module.
type TestRequest struct {
	Params map[string]any `json:"params"`
}

// TestResult is test-module's answer: OK, or an error that names what to fix.
type TestResult struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

// FetchRequest asks the plugin to run one fetch-events cycle.
type FetchRequest struct {
	Params  map[string]any             `json:"params"`
	LastRun map[string]json.RawMessage `json:"lastRun,omitempty"` // cursor per stream, as last stored
}

// FetchResult summarises a fetch cycle. Events and cursors have already
// reached the host through PushEvents.
type FetchResult struct {
	Streams []StreamSummary `json:"streams"`
}

// StreamSummary is what one event stream did during a fetch cycle.
type StreamSummary struct {
	Stream string          `json:"stream"`
	Count  int             `json:"count"`
	Cursor json.RawMessage `json:"cursor,omitempty"`
	Error  string          `json:"error,omitempty"`
}

// Entry types and formats.
const (
	EntryNote  = "note"
	EntryError = "error"

	FormatMarkdown = "markdown"
	FormatText     = "text"
	FormatJSON     = "json"
)

// Entry is one war-room entry (schemas/entry.json).
type Entry struct {
	Type           string `json:"type"`
	ContentsFormat string `json:"contentsFormat"`
	Contents       any    `json:"contents"`
	HumanReadable  string `json:"humanReadable,omitempty"`
}

// Output is one context output (schemas/result.json): Value is merged into
// the incident context under Prefix, replacing items whose KeyField matches,
// or replacing the whole path when ReplaceExisting is set.
type Output struct {
	Prefix          string `json:"prefix"`
	KeyField        string `json:"keyField,omitempty"`
	Value           any    `json:"value"`
	ReplaceExisting bool   `json:"replaceExisting,omitempty"`
}

// Result is what a command returns (schemas/result.json).
type Result struct {
	Entries []Entry  `json:"entries"`
	Outputs []Output `json:"outputs,omitempty"`
}

// Failed reports whether any entry is an error entry.
func (r Result) Failed() bool {
	for _, e := range r.Entries {
		if e.Type == EntryError {
			return true
		}
	}
	return false
}

// ErrorResult is a result made of one error entry.
func ErrorResult(msg string) Result {
	return Result{Entries: []Entry{{Type: EntryError, ContentsFormat: FormatText, Contents: msg}}}
}

// Batch is a page of events for one dataset with the cursor that resumes
// right after its last event (schemas/batch.json).
type Batch struct {
	Stream  string            `json:"stream"`
	Dataset string            `json:"dataset"`
	Events  []json.RawMessage `json:"events"`
	Cursor  json.RawMessage   `json:"cursor"`
}

// File is a file entry read from the host.
type File struct {
	Name string
	Data []byte
}
