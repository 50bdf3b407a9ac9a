package commands

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
	"github.com/soarkit/openai-gpt/internal/protocol"
)

// TestGetEventsCredentials: without event_type, openai-get-events reads
// the selected types whose credentials are configured and names the
// skipped ones; an explicit event_type without its credentials, or no
// stream at all, is an error naming what to configure.
func TestGetEventsCredentials(t *testing.T) {
	fake, all := startEventsFake(t, fakeopenai.Config{AuditEvents: 40, ComplianceEvents: 90, Seed: 2})
	url, fc := all["url"], fake.Config()
	admin := map[string]any{"admin_api_key": fc.AdminKey}
	compliance := map[string]any{"compliance_api_key": fc.ComplianceKey, "workspace_id": fc.WorkspaceID}
	both := map[string]any{"admin_api_key": fc.AdminKey, "compliance_api_key": fc.ComplianceKey, "workspace_id": fc.WorkspaceID}

	cases := []struct {
		name     string
		creds    map[string]any
		params   map[string]any // more instance params
		args     map[string]any
		wantErr  []string // substrings of the error; none means success
		streams  string   // which streams deliver: "audit", "compliance" or "both"
		wantNote []string // substrings of the entry's markdown
		notNote  []string
	}{
		{name: "admin key only, default types", creds: admin, args: map[string]any{"limit": 1.0},
			streams:  "audit",
			wantNote: []string{"Skipped, no credentials:** Conversation Messages, Apps", "compliance_api_key", "workspace_id"},
			notNote:  []string{"Stream failed"}},
		{name: "compliance only, default types", creds: compliance, args: map[string]any{"limit": 3.0},
			streams:  "compliance",
			wantNote: []string{"Skipped, no credentials:** OpenAI Audit logs: set admin_api_key"}},
		{name: "everything configured", creds: both, args: map[string]any{"limit": 2.0},
			streams: "both",
			notNote: []string{"Skipped"}},
		{name: "admin key only, audit asked", creds: admin, args: map[string]any{"event_type": []any{"OpenAI Audit logs"}},
			streams: "audit", notNote: []string{"Skipped"}},
		{name: "admin key only, compliance asked", creds: admin, args: map[string]any{"event_type": []any{"OpenAI Audit logs", "Apps"}},
			wantErr: []string{"event_type", "Apps: set compliance_api_key (Compliance API Key) and workspace_id (Workspace ID)"}},
		{name: "compliance only, audit asked", creds: compliance, args: map[string]any{"event_type": []any{"OpenAI Audit logs"}},
			wantErr: []string{"OpenAI Audit logs: set admin_api_key"}},
		{name: "no collector credentials", creds: map[string]any{"apikey": fc.APIKey}, args: map[string]any{},
			wantErr: []string{"no event stream is configured", "admin_api_key", "compliance_api_key", "workspace_id"}},
		{name: "selected types lack credentials, others ready", creds: compliance,
			params: map[string]any{"event_types_to_fetch": "OpenAI Audit logs"}, args: map[string]any{},
			wantErr: []string{"admin_api_key", "or read Conversation Messages", "with event_type"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			params := map[string]any{"url": url, "chatgpt_api_url": url, "isFetchEvents": false}
			for k, v := range tc.creds {
				params[k] = v
			}
			for k, v := range tc.params {
				params[k] = v
			}
			complianceCalls := len(fake.Requests("/v1/compliance/"))
			res := runGetEvents(t, tc.args, params)
			require.NotEmpty(t, res.Entries)
			if len(tc.wantErr) > 0 {
				require.True(t, res.Failed(), "%+v", res.Entries)
				for _, w := range tc.wantErr {
					assert.Contains(t, res.Entries[0].Contents, w)
				}
				return
			}
			require.False(t, res.Failed(), "%+v", res.Entries[0].Contents)
			md := res.Entries[0].HumanReadable
			for _, w := range tc.wantNote {
				assert.Contains(t, md, w)
			}
			for _, w := range tc.notNote {
				assert.NotContains(t, md, w)
			}
			assert.Contains(t, md, "the most recent OpenAI audit logs, the earliest compliance records after the start")
			audit, compliance := 0, 0
			for _, e := range eventValues(t, res) {
				if e["source_log_type"] == "openai_audit_logs" {
					audit++
				} else {
					compliance++
				}
			}
			assert.Equal(t, tc.streams != "compliance", audit > 0, "audit events: %d", audit)
			assert.Equal(t, tc.streams != "audit", compliance > 0, "compliance events: %d", compliance)
			if tc.streams == "audit" {
				assert.Len(t, fake.Requests("/v1/compliance/"), complianceCalls, "compliance called without its credentials")
			}
		})
	}
}

// TestGetEventsStartTime: start_time holds for each compliance record's
// own time, not only for its log file's end_time.
func TestGetEventsStartTime(t *testing.T) {
	_, params := startEventsFake(t, fakeopenai.Config{AuditEvents: 300, ComplianceEvents: 1800, Seed: 11})

	for _, tc := range []struct {
		start string
		ago   time.Duration
		types []any
	}{
		{"2 hours ago", 2 * time.Hour, []any{"Apps", "Auth"}},
		{"6 hours ago", 6 * time.Hour, nil},
		{"20 hours ago", 20 * time.Hour, []any{"OpenAI Audit logs", "Auth", "Codex"}},
	} {
		t.Run(tc.start, func(t *testing.T) {
			// The handler reads the clock after this: its start is no earlier.
			earliest := time.Now().Add(-tc.ago)
			args := map[string]any{"start_time": tc.start, "limit": 1000.0}
			if tc.types != nil {
				args["event_type"] = tc.types
			}
			res := runGetEvents(t, args, params)
			require.False(t, res.Failed(), "%+v", res.Entries[0].Contents)
			evs := eventValues(t, res)
			require.NotEmpty(t, evs)
			for _, e := range evs {
				ts, err := time.Parse(time.RFC3339Nano, e["_time"].(string))
				require.NoError(t, err)
				assert.False(t, ts.Before(earliest), "%s %s stamped %s, before start_time %s",
					e["source_log_type"], e["id"], e["_time"], earliest.UTC().Format(time.RFC3339))
			}
		})
	}
}

// startEventsFake serves the fake's event APIs for one test; params set
// both collectors' URLs and credentials.
func startEventsFake(t *testing.T, cfg fakeopenai.Config) (fake *fakeopenai.Server, params map[string]any) {
	t.Helper()
	fake = fakeopenai.New(cfg)
	url, err := fake.Start("")
	require.NoError(t, err)
	t.Cleanup(fake.Close)
	fc := fake.Config()
	return fake, map[string]any{"url": url, "chatgpt_api_url": url,
		"admin_api_key": fc.AdminKey, "compliance_api_key": fc.ComplianceKey, "workspace_id": fc.WorkspaceID}
}

// runGetEvents runs openai-get-events.
func runGetEvents(t *testing.T, args, params map[string]any) protocol.Result {
	t.Helper()
	res, err := New(nil, nil).Execute(context.Background(), nullHostClient{},
		protocol.ExecuteRequest{Command: "openai-get-events", Args: args, Params: params})
	require.NoError(t, err)
	return res
}

// eventValues is the OpenAI.Event context of a result.
func eventValues(t *testing.T, res protocol.Result) []map[string]any {
	t.Helper()
	if len(res.Outputs) == 0 {
		return nil
	}
	raw, err := json.Marshal(res.Outputs[0].Value)
	require.NoError(t, err)
	var out []map[string]any
	require.NoError(t, json.Unmarshal(raw, &out))
	for _, e := range out {
		ts, _ := e["_time"].(string)
		require.True(t, strings.HasPrefix(ts, "20"), "_time %q", e["_time"])
	}
	return out
}

// TestGetEventsContextHasEveryField: OpenAI.Event holds the events
// themselves, every field the API wrote plus the enrichment (as the
// reference integration gives them), not a summary of four fields.
func TestGetEventsContextHasEveryField(t *testing.T) {
	_, params := startEventsFake(t, fakeopenai.Config{AuditEvents: 30, ComplianceEvents: 90, Seed: 3})
	res := runGetEvents(t, map[string]any{"limit": 200.0}, params)
	require.False(t, res.Failed(), "%+v", res.Entries[0].Contents)
	audit, compliance := 0, 0
	for _, e := range eventValues(t, res) {
		for _, k := range []string{"id", "_time", "_event_type", "source_log_type"} {
			require.Contains(t, e, k)
		}
		if e["source_log_type"] == "openai_audit_logs" {
			audit++
			for _, k := range []string{"type", "effective_at", "actor"} {
				assert.Contains(t, e, k, "audit event %v", e)
			}
			continue
		}
		compliance++
		for _, k := range []string{"event_id", "type", "timestamp", "actor", "workspace_id", "end_time"} {
			assert.Contains(t, e, k, "compliance record %v", e)
		}
		assert.IsType(t, map[string]any{}, e["actor"], "nested objects stay objects")
	}
	assert.Positive(t, audit)
	assert.Positive(t, compliance)
}
