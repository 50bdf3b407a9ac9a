// Package events collects OpenAI audit logs (Admin API) and ChatGPT
// compliance logs (Compliance Logs Platform) for fetch-events,
// openai-get-events and test-module.
//
// Each stream is pushed to the host page by page (or file chunk by file
// chunk), every batch carrying the cursor that resumes exactly after its
// last event, so a fetch that fails or crashes part-way loses nothing and
// repeats nothing.
package events

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// Stream names: the keys of Cursors and StreamResult.Stream.
const (
	StreamAudit      = "audit"
	StreamCompliance = "compliance"
)

// Datasets the streams are pushed to.
const (
	DatasetAudit      = "openai_chatgpt_audit_raw"
	DatasetCompliance = "openai_chatgpt_compliance_raw"
)

// AuditLabel is the event type label served by the Admin API.
const AuditLabel = "OpenAI Audit logs"

// auditSourceLogType is the source_log_type of every audit event.
const auditSourceLogType = "openai_audit_logs"

// Default per-fetch caps (SPEC: audit_max_fetch, compliance_max_fetch).
const (
	DefaultAuditMaxFetch      = 1000
	DefaultComplianceMaxFetch = 900
)

// complianceType maps a user-facing label to the Compliance API's
// event_type and the source_log_type its events get.
type complianceType struct {
	Label, APIType, SourceLogType string
}

// complianceTypes are the Compliance event types in SPEC order.
var complianceTypes = []complianceType{
	{"Conversation Messages", "CONVERSATION_MESSAGE", "conversation_message"},
	{"Apps", "APP_LOG", "app_log"},
	{"Apps Auth", "APP_AUTH_LOG", "app_auth_log"},
	{"Compliance Audit", "AUDIT_LOG", "compliance_audit_log"},
	{"Auth", "AUTH_LOG", "auth_log"},
	{"Codex", "CODEX_LOG", "codex_log"},
	{"ChatGPT", "CHATGPT_PLUGIN_SPREADSHEET", "chatgpt_plugin_spreadsheet"},
	{"Codex Security", "CODEX_SECURITY_LOG", "codex_security_log"},
	{"Workspace Agents", "CUSTOM_AGENTS_LOG", "custom_agent_log"},
}

// Labels returns the ten event type labels in SPEC order.
func Labels() []string {
	out := []string{AuditLabel}
	for _, t := range complianceTypes {
		out = append(out, t.Label)
	}
	return out
}

// SourceLogType is the source_log_type of a Compliance API event_type;
// an unknown type is kept under its lower-cased name.
func SourceLogType(apiType string) string {
	for _, t := range complianceTypes {
		if t.APIType == apiType {
			return t.SourceLogType
		}
	}
	return strings.ToLower(apiType)
}

// DatasetFor is the dataset events with this source_log_type belong to.
func DatasetFor(sourceLogType string) string {
	if sourceLogType == auditSourceLogType {
		return DatasetAudit
	}
	return DatasetCompliance
}

// Config is what the collectors need from the instance settings. Every
// setting is explicit: the process environment (OPENAI_*) is never read.
type Config struct {
	OpenAIBaseURL    string // e.g. "https://api.openai.com/v1/" (normalized, ends in /v1/)
	AdminAPIKey      string
	ChatGPTBaseURL   string // e.g. "https://api.chatgpt.com/v1/" (normalized, ends in /v1/)
	ComplianceAPIKey string
	WorkspaceID      string
	EventTypes       []string // labels from Labels()

	AuditMaxFetch, ComplianceMaxFetch int // per fetch cycle; <= 0 means the default

	HTTPClient *http.Client     // proxy and TLS already applied; nil means a default client
	Now        func() time.Time // nil means time.Now
}

func (c Config) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c Config) wantsAudit() bool {
	for _, l := range c.EventTypes {
		if l == AuditLabel {
			return true
		}
	}
	return false
}

// complianceAPITypes are the API event types of the selected compliance labels.
func (c Config) complianceAPITypes() []string {
	var out []string
	for _, l := range c.EventTypes {
		for _, t := range complianceTypes {
			if t.Label == l {
				out = append(out, t.APIType)
			}
		}
	}
	return out
}

// Batch is one push to the host: events of one stream and the cursor that
// resumes right after the last of them.
type Batch struct {
	Stream  string
	Dataset string
	Events  []json.RawMessage
	Cursor  json.RawMessage
}

// Sink receives batches. The host stores events and cursor atomically; an
// error means nothing of the batch was stored.
type Sink interface {
	Push(ctx context.Context, b Batch) error
}

// Cursors holds each stream's cursor as last acknowledged by the host.
type Cursors map[string]json.RawMessage

// StreamResult is how one stream's fetch went: events pushed, the cursor
// after the last acknowledged batch, and the error that stopped it (or a
// non-fatal warning, such as records kept raw because they did not parse).
type StreamResult struct {
	Stream string
	Count  int
	Cursor json.RawMessage
	Err    error
}
