package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
	"github.com/soarkit/openai-gpt/internal/protocol"
)

// brokerTimeout is how long go-plugin's broker keeps a connection offer
// that nobody dialled (a constant inside go-plugin); idleGap is longer.
const (
	brokerTimeout = 5 * time.Second
	idleGap       = brokerTimeout + time.Second
)

// TestCallbacksAfterIdleGaps keeps one plugin process for over 20 s and,
// after each idle gap longer than the broker's timeout, uses every host
// callback: a context read (gpt-send-message reads the conversation), a
// file read (gpt-check-email-header) and an event push (fetch-events).
// A warm plugin in a long-lived host must keep its callbacks working.
func TestCallbacksAfterIdleGaps(t *testing.T) {
	if testing.Short() {
		t.Skip("waits over 20 s on purpose")
	}
	const rounds = 4 // 4 × 6 s of idle time: the process lives over 20 s
	s := newSession(t, fakeopenai.Config{AuditEvents: 200, Seed: 3})
	for k, v := range fetchParams(s.params["url"].(string), s.fake.Config()) {
		s.params[k] = v
	}
	s.params["audit_max_fetch"] = "20" // every round has events left to push
	s.addEML("3@1", "phish_realistic.eml")

	started := time.Now()
	pushed := 0
	for round := 1; round <= rounds; round++ {
		time.Sleep(idleGap)
		s.ok("gpt-send-message", map[string]any{"message": fmt.Sprintf("round %d", round)})
		s.ok("gpt-check-email-header", map[string]any{"entryId": "3@1"})

		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		res, err := s.plugin.FetchEvents(ctx, "fetch", protocol.FetchRequest{Params: s.params, LastRun: s.host.lastRun()})
		cancel()
		require.NoError(t, err, "round %d", round)
		for _, st := range res.Streams {
			require.Empty(t, st.Error, "round %d: stream %s", round, st.Stream)
		}
		now := len(storedIDs(t, s.host, "openai_chatgpt_audit_raw"))
		require.Greater(t, now, pushed, "round %d pushed no events", round)
		pushed = now
	}
	require.False(t, s.plugin.Exited(), "the same plugin process served every round")
	t.Logf("one plugin process, %d rounds after %s idle gaps, %s in all; %d audit events pushed",
		rounds, idleGap, time.Since(started).Round(time.Second), pushed)
}
