package e2e

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/events"
	"github.com/soarkit/openai-gpt/internal/fakeopenai"
	"github.com/soarkit/openai-gpt/internal/protocol"
)

func fetchParams(url string, cfg fakeopenai.Config) map[string]any {
	return map[string]any{
		"url": url, "chatgpt_api_url": url,
		"admin_api_key": cfg.AdminKey, "compliance_api_key": cfg.ComplianceKey, "workspace_id": cfg.WorkspaceID,
		"isFetchEvents": true, "audit_max_fetch": "70", "compliance_max_fetch": "60",
	}
}

// storedIDs counts the ids stored in a dataset.
func storedIDs(t *testing.T, h *memHost, dataset string) map[string]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	ids := map[string]int{}
	for _, raw := range h.events[dataset] {
		var e struct {
			ID string `json:"id"`
		}
		require.NoError(t, json.Unmarshal(raw, &e))
		ids[e.ID]++
	}
	return ids
}

// TestFetchThroughPluginExactlyOnce seeds events of every type, injects
// each fault kind, kills the plugin between cycles and once in the middle
// of one, and runs fetch cycles until drained: the datasets hold exactly
// the seeded events, none missing, none twice.
func TestFetchThroughPluginExactlyOnce(t *testing.T) {
	const n = 400
	fake, url := startFake(t, fakeopenai.Config{AuditEvents: n, ComplianceEvents: n, Seed: 7})
	cfg := fake.Config()
	params := fetchParams(url, cfg)
	host := newMemHost()

	faults := []func(){
		func() { fake.Script("audit_logs", fakeopenai.Fault{Status: 429, RetryAfter: "0"}) },
		func() { fake.Script("compliance.logs", fakeopenai.Fault{Status: 500, RetryAfter: "0"}) },
		func() { fake.Script("audit_logs", fakeopenai.Fault{Truncate: true}) },
		func() { fake.Script("compliance.file", fakeopenai.Fault{Truncate: true}) },
		func() { fake.Script("audit_logs", repeat(fakeopenai.Fault{Status: 401}, 3)...) }, // one stream fails alone
		func() { fake.Script("blob", fakeopenai.Fault{Status: 503}) },
		func() { fake.Script("compliance.logs", fakeopenai.Fault{Delay: 3 * time.Second}) }, // slower than the cycle's deadline
	}

	cycles, kills := 0, 0
	for ; cycles < 100; cycles++ {
		if cycles < len(faults) {
			faults[cycles]()
		}
		s, _ := launch(t, host)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		if cycles == 3 {
			// Kill the plugin mid-cycle, right after the host stored a batch.
			host.mu.Lock()
			host.onPush = func() { go s.Close() }
			host.mu.Unlock()
			kills++
		}
		res, err := s.FetchEvents(ctx, "fetch", protocol.FetchRequest{Params: params, LastRun: host.lastRun()})
		cancel()
		host.mu.Lock()
		host.onPush = nil
		host.mu.Unlock()
		s.Close() // and between every cycle
		drained := err == nil
		for _, st := range res.Streams {
			if st.Error != "" || st.Count > 0 {
				drained = false
			}
		}
		if drained && cycles > len(faults) {
			break
		}
	}
	t.Logf("%d cycles, %d kills mid-cycle", cycles, kills)

	audit := storedIDs(t, host, events.DatasetAudit)
	compliance := storedIDs(t, host, events.DatasetCompliance)
	assertExactly(t, fake.AuditEventIDs(), audit)
	assertExactly(t, fake.ComplianceEventIDs(), compliance)
}

func assertExactly(t *testing.T, want []string, got map[string]int) {
	t.Helper()
	missing, twice := 0, 0
	for _, id := range want {
		switch got[id] {
		case 0:
			missing++
		case 1:
		default:
			twice++
		}
	}
	assert.Equal(t, len(want), len(got), "unique ids stored")
	assert.Zero(t, missing, "events missing")
	assert.Zero(t, twice, "events stored twice")
}

func TestGetEventsNeverMovesCursor(t *testing.T) {
	fake, url := startFake(t, fakeopenai.Config{AuditEvents: 30, ComplianceEvents: 30})
	host := newMemHost()
	s, _ := launch(t, host)
	params := fetchParams(url, fake.Config())
	res, err := s.Execute(context.Background(), "g", protocol.ExecuteRequest{Command: "openai-get-events",
		Args: map[string]any{"limit": 5.0, "should_push_events": true, "start_time": "3 days ago"}, Params: params})
	require.NoError(t, err)
	require.False(t, res.Failed(), "%v", res.Entries)
	assert.Contains(t, res.Entries[0].HumanReadable, "### OpenAI GPT Events")
	assert.Contains(t, res.Entries[0].HumanReadable, "| id | _event_type | source_log_type | _time |")
	require.Len(t, res.Outputs, 1)
	assert.Equal(t, "OpenAI.Event", res.Outputs[0].Prefix)
	assert.Len(t, res.Outputs[0].Value, 10, "limit is per stream")
	assert.Empty(t, host.lastRun(), "no cursor moved")
	assert.Len(t, storedIDs(t, host, events.DatasetAudit), 5)
	assert.Len(t, storedIDs(t, host, events.DatasetCompliance), 5)

	res, err = s.Execute(context.Background(), "g", protocol.ExecuteRequest{Command: "openai-get-events",
		Args: map[string]any{"start_time": "last tuesday-ish"}, Params: params})
	require.NoError(t, err)
	assert.Contains(t, res.Entries[0].Contents, "start_time")
}

func TestTestModuleEventCredentials(t *testing.T) {
	fake, url := startFake(t, fakeopenai.Config{AuditEvents: 5, ComplianceEvents: 5})
	s, _ := launch(t, newMemHost())
	params := fetchParams(url, fake.Config())
	tr, err := s.Test(context.Background(), "t", protocol.TestRequest{Params: params})
	require.NoError(t, err)
	assert.True(t, tr.OK, tr.Error)

	delete(params, "compliance_api_key")
	delete(params, "admin_api_key")
	tr, err = s.Test(context.Background(), "t", protocol.TestRequest{Params: params})
	require.NoError(t, err)
	assert.False(t, tr.OK)
	assert.Contains(t, tr.Error, "admin_api_key")
	assert.Contains(t, tr.Error, "compliance_api_key")

	// Only collector credentials, fetching off: serves openai-get-events.
	params = fetchParams(url, fake.Config())
	params["isFetchEvents"] = false
	tr, err = s.Test(context.Background(), "t", protocol.TestRequest{Params: params})
	require.NoError(t, err)
	assert.True(t, tr.OK, tr.Error)

	// Fetching off, audit not selected: the admin key is still probed, and
	// a wrong one is named.
	params["event_types_to_fetch"] = []any{"Conversation Messages"}
	params["admin_api_key"] = "sk-admin-wrong"
	tr, err = s.Test(context.Background(), "t", protocol.TestRequest{Params: params})
	require.NoError(t, err)
	assert.False(t, tr.OK)
	assert.Contains(t, tr.Error, "admin_api_key")

	// Half of the compliance pair: the missing half is named.
	params = fetchParams(url, fake.Config())
	params["isFetchEvents"] = false
	delete(params, "workspace_id")
	tr, err = s.Test(context.Background(), "t", protocol.TestRequest{Params: params})
	require.NoError(t, err)
	assert.False(t, tr.OK)
	assert.Contains(t, tr.Error, "set workspace_id")
}
