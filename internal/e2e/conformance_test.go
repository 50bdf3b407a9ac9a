package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/conformance"
	"github.com/soarkit/openai-gpt/internal/fakeopenai"
	"github.com/soarkit/openai-gpt/internal/protocol"
)

// openAISpec is OpenAI's description, beside the worktree.
const openAISpec = "../../../shared/openapi/openai-openapi.yaml"

// TestConformanceWithOpenAIDescription runs the plugin's commands through
// the host against the fake, then validates every request the plugin sent
// to the OpenAI API and every answer the fake gave against OpenAI's
// OpenAPI description (internal/conformance). The ChatGPT Compliance API
// and its signed downloads are not in that description.
func TestConformanceWithOpenAIDescription(t *testing.T) {
	var mu sync.Mutex
	var exchanges []fakeopenai.Exchange
	cfg := fakeopenai.Config{AuditEvents: 40, ComplianceEvents: 40, Seed: 9, OnExchange: func(x fakeopenai.Exchange) {
		mu.Lock()
		defer mu.Unlock()
		exchanges = append(exchanges, x)
	}}
	s := newSession(t, cfg)
	url := s.params["url"].(string)
	for k, v := range fetchParams(url, s.fake.Config()) {
		s.params[k] = v
	}
	ctx := context.Background()

	tr, err := s.plugin.Test(ctx, "t", protocol.TestRequest{Params: s.params})
	require.NoError(t, err)
	require.True(t, tr.OK, tr.Error)
	s.ok("gpt-send-message", map[string]any{"message": "hello", "temperature": 0.2})
	s.ok("gpt-send-message", map[string]any{"message": "and again"}) // the conversation replayed
	s.ok("gpt-create-response", map[string]any{"message": "first turn", "max_tokens": 200.0})
	s.ok("gpt-create-response", map[string]any{"message": "second turn"}) // previous_response_id
	s.ok("gpt-create-response", map[string]any{"message": "take your time", "background": true, "reset_conversation_history": "yes"})
	s.addEML("3@1", "phish_realistic.eml")
	s.ok("gpt-analyze-email-body", map[string]any{"entry_id": "3@1"})
	s.ok("gpt-list-models", map[string]any{})
	s.ok("gpt-create-moderation", map[string]any{"text": []any{"I will hurt you"}})
	s.ok("openai-get-events", map[string]any{"limit": 5.0, "start_time": "3 days ago"})
	_, err = s.plugin.FetchEvents(ctx, "fetch", protocol.FetchRequest{Params: s.params, LastRun: s.host.lastRun()})
	require.NoError(t, err)

	checker, err := conformance.Load(openAISpec)
	require.NoError(t, err)
	t.Logf("OpenAI's description read, patched and compiled in %v", checker.LoadTime)

	mu.Lock()
	defer mu.Unlock()
	seen := map[conformance.Route]int{}
	chained, polled := false, 0
	for _, x := range exchanges {
		if strings.HasPrefix(x.Path, "/v1/compliance/") || strings.HasPrefix(x.Path, "/compliance-files/") {
			continue // the ChatGPT Compliance API: not in OpenAI's description
		}
		problems, err := checker.Check(x)
		require.NoError(t, err, "the plugin called a route outside the description")
		assert.Empty(t, problems, "%s %s?%s\nrequest: %s\nanswer: %s", x.Method, x.Path, x.Query, x.Body, x.ResponseBody)
		r, _ := conformance.RouteOf(x.Method, x.Path)
		seen[r]++
		if r.Path == "/responses" {
			var body map[string]any
			require.NoError(t, json.Unmarshal(x.Body, &body))
			chained = chained || body["previous_response_id"] != nil
		}
		if r.Path == "/responses/{response_id}" && strings.Contains(string(x.ResponseBody), `"status":"in_progress"`) {
			polled++
		}
	}
	t.Logf("validated %d exchanges: %v", len(exchanges), seen)
	for _, r := range conformance.Routes {
		if r.Path == "/models/{model}" {
			continue // the plugin lists models; it never gets one
		}
		assert.NotZero(t, seen[r], "no exchange on %s %s", r.Method, r.Path)
	}
	assert.True(t, chained, "a response continued with previous_response_id")
	assert.NotZero(t, polled, "a background response polled while in progress")
}
