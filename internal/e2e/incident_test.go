package e2e

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/events"
	"github.com/soarkit/openai-gpt/internal/fakeopenai"
	"github.com/soarkit/openai-gpt/internal/host"
	"github.com/soarkit/openai-gpt/internal/host/state"
)

// launchHosts starts n hosts, each with its own plugin process and its own
// handle on one state directory: n host-sim processes sharing an incident.
func launchHosts(t *testing.T, n int, params map[string]string) []*host.Host {
	t.Helper()
	dir := t.TempDir()
	hosts := make([]*host.Host, n)
	for i := range hosts {
		store, err := state.Open(dir)
		require.NoError(t, err)
		t.Cleanup(func() { store.Close() })
		if i == 0 {
			require.NoError(t, store.SetParams(context.Background(), params))
		}
		h, err := host.Launch(context.Background(), host.Config{PluginPath: pluginPath, Store: store})
		require.NoError(t, err)
		t.Cleanup(h.Close)
		hosts[i] = h
	}
	return hosts
}

// runParallel runs each line on the hosts in turn, all at once, and
// requires every command to succeed.
func runParallel(t *testing.T, hosts []*host.Host, lines []string) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, len(lines))
	for i, line := range lines {
		wg.Go(func() {
			out, err := hosts[i%len(hosts)].Run(context.Background(), line)
			if err == nil && out.Failed() {
				err = fmt.Errorf("%s: %v", line, out.Entries)
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
}

// TestParallelCommandsKeepEveryTurn runs 12 turns of one incident at once,
// from two hosts (two plugin processes) on one state directory, as a
// playbook running tasks in parallel does: the incident keeps all 12.
func TestParallelCommandsKeepEveryTurn(t *testing.T) {
	const n = 12
	_, url := startFake(t, fakeopenai.Config{})
	params := map[string]string{"url": url, "apikey": fakeopenai.DefaultAPIKey}
	for _, tt := range []struct{ command, path, field string }{
		{"gpt-send-message", "OpenAiChatGPTV3.Conversation", "user"},
		{"gpt-create-response", "OpenAiChatGPTV3.Response", "user"},
	} {
		t.Run(tt.command, func(t *testing.T) {
			hosts := launchHosts(t, 2, params)
			var lines []string
			want := map[string]bool{}
			for i := range n {
				msg := fmt.Sprintf("turn %d", i)
				lines = append(lines, fmt.Sprintf("!%s message=%q", tt.command, msg))
				want[msg] = true
			}
			runParallel(t, hosts, lines)

			doc, err := hosts[0].Store().Context(context.Background(), state.ScopeIncident)
			require.NoError(t, err)
			items := contextList(doc, tt.path)
			got := map[string]bool{}
			for _, it := range items {
				got[fmt.Sprint(it.(map[string]any)[tt.field])] = true
			}
			assert.Len(t, items, n, "every turn is kept, once")
			assert.Equal(t, want, got)
		})
	}
}

// TestOverlappingFetchesStoreEachEventOnce runs two fetch cycles of one
// instance at once, from two hosts (two plugin processes) on one state
// directory, both slowed at their first page so they overlap: each event
// is stored once, and a fetch that cannot run says why.
func TestOverlappingFetchesStoreEachEventOnce(t *testing.T) {
	const n = 300
	fake, url := startFake(t, fakeopenai.Config{AuditEvents: n, Seed: 5})
	cfg := fake.Config()
	hosts := launchHosts(t, 2, map[string]string{
		"url": url, "admin_api_key": cfg.AdminKey, "isFetchEvents": "true",
		"event_types_to_fetch": "OpenAI Audit logs", "audit_max_fetch": "1000",
	})
	fake.Script("audit_logs", fakeopenai.Fault{Delay: time.Second}, fakeopenai.Fault{Delay: time.Second})

	var wg sync.WaitGroup
	errs := make([]error, len(hosts))
	for i, h := range hosts {
		wg.Go(func() { _, errs[i] = h.Fetch(context.Background()) })
	}
	wg.Wait()
	// One cycle at a time: whichever came second was refused, or found
	// nothing left after waiting for the first.
	for _, err := range errs {
		if err != nil {
			require.ErrorIs(t, err, state.ErrFetchRunning)
			assert.Contains(t, err.Error(), "already running")
		}
	}
	events, err := hosts[0].Store().Events(context.Background(), "openai_chatgpt_audit_raw", 0)
	require.NoError(t, err)
	seen := map[string]int{}
	for _, e := range events {
		seen[e.ID]++
	}
	dups := 0
	for _, c := range seen {
		dups += c - 1
	}
	assert.Equal(t, 0, dups, "events stored twice")
	assert.Len(t, seen, n, "every event stored")
	t.Logf("%d rows for %d ids; fetch errors: %v", len(events), len(seen), errs)
}

// TestGetEventsPushesThroughTheHost: openai-get-events should_push_events
// pushes during its own command call, through a real host and plugin; the
// host admits the batches of a live call (it refused them when only fetch
// calls were admitted).
func TestGetEventsPushesThroughTheHost(t *testing.T) {
	fake, url := startFake(t, fakeopenai.Config{AuditEvents: 30, ComplianceEvents: 30})
	params := map[string]string{}
	for k, v := range fetchParams(url, fake.Config()) {
		params[k] = fmt.Sprint(v)
	}
	h := launchHosts(t, 1, params)[0]
	ctx := context.Background()
	out, err := h.Run(ctx, `!openai-get-events limit=5 should_push_events=true start_time="3 days ago"`)
	require.NoError(t, err)
	require.False(t, out.Failed(), "%v", out.Entries)
	for _, dataset := range []string{events.DatasetAudit, events.DatasetCompliance} {
		n, err := h.Store().CountEvents(ctx, dataset)
		require.NoError(t, err)
		assert.Equal(t, 5, n, dataset)
	}
}
