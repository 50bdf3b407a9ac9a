package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/events"
	"github.com/soarkit/openai-gpt/internal/fakeopenai"
	"github.com/soarkit/openai-gpt/internal/protocol"
)

// TestCompatibleServerThroughPlugin: through the plugin binary, a chat
// command against an OpenAI-compatible server that refuses
// max_completion_tokens gets its answer with the limit sent as max_tokens,
// and says so.
func TestCompatibleServerThroughPlugin(t *testing.T) {
	s := newSession(t, fakeopenai.Config{CompatibleServer: true})
	res := s.ok("gpt-send-message", map[string]any{"message": "hi", "max_tokens": 30.0})
	assert.Contains(t, res.Entries[0].HumanReadable, "sent max_tokens=30 instead")
	body := s.lastBody("/v1/chat/completions")
	assert.Equal(t, 30.0, body["max_tokens"])
	assert.NotContains(t, body, "max_completion_tokens")
}

// TestDirectDownloadsThroughPlugin: through the plugin binary, compliance
// log files answered 200 with the JSON Lines land exactly once, with
// every record's fields and the file's end_time.
func TestDirectDownloadsThroughPlugin(t *testing.T) {
	fake, url := startFake(t, fakeopenai.Config{ComplianceEvents: 50, Seed: 3, DirectDownloads: true})
	params := fetchParams(url, fake.Config())
	var types []any
	for _, l := range events.Labels()[1:] { // the Compliance types
		types = append(types, l)
	}
	params["event_types_to_fetch"] = types
	host := newMemHost()
	p, _ := launch(t, host)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := p.FetchEvents(ctx, "fetch", protocol.FetchRequest{Params: params, LastRun: host.lastRun()})
	require.NoError(t, err)
	for _, st := range res.Streams {
		require.Empty(t, st.Error, st.Stream)
	}
	assertExactly(t, fake.ComplianceEventIDs(), storedIDs(t, host, events.DatasetCompliance))
	assert.Empty(t, fake.Requests("/compliance-files/"), "no redirect was followed")
}
