package gpt

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
)

// TestCompatibleServerMaxTokens: an OpenAI-compatible server (vLLM, Ollama,
// LiteLLM, older Azure) that refuses max_completion_tokens with a 400
// naming it gets one retry with max_tokens, the same limit; the answer says
// so. Without a limit nothing is retried; OpenAI itself gets
// max_completion_tokens only.
func TestCompatibleServerMaxTokens(t *testing.T) {
	limit := int64(50)
	req := hello()
	req.Gen.MaxTokens = &limit
	sentLimits := func(fake *fakeopenai.Server) []map[string]any {
		var out []map[string]any
		for _, r := range fake.Requests("/v1/chat/completions") {
			var body map[string]any
			require.NoError(t, json.Unmarshal(r.Body, &body))
			out = append(out, map[string]any{"max_tokens": body["max_tokens"], "max_completion_tokens": body["max_completion_tokens"]})
		}
		return out
	}

	t.Run("compatible server", func(t *testing.T) {
		fake := fakeopenai.New(fakeopenai.Config{CompatibleServer: true})
		base, err := fake.Start("")
		require.NoError(t, err)
		t.Cleanup(fake.Close)
		c := New(Config{BaseURL: base + "/v1/", APIKey: fakeopenai.DefaultAPIKey})

		a, err := c.Chat(context.Background(), req)
		require.NoError(t, err)
		assert.Contains(t, a.Text, "hello")
		assert.Equal(t, []map[string]any{
			{"max_tokens": nil, "max_completion_tokens": 50.0},
			{"max_tokens": 50.0, "max_completion_tokens": nil},
		}, sentLimits(fake))
		assert.Contains(t, a.Notes, "the server does not take max_completion_tokens (an OpenAI-compatible server): sent max_tokens=50 instead")

		// With Structured Outputs as well: the fallback keeps max_tokens.
		schemaReq := req
		schemaReq.Schema = &Schema{Name: "s", Doc: map[string]any{"type": "object", "additionalProperties": false,
			"required": []any{"a"}, "properties": map[string]any{"a": map[string]any{"type": "string"}}}}
		_, err = c.Chat(context.Background(), schemaReq)
		require.NoError(t, err)

		// No limit: nothing to refuse, one call.
		before := len(fake.Requests("/v1/chat/completions"))
		_, err = c.Chat(context.Background(), hello())
		require.NoError(t, err)
		assert.Len(t, fake.Requests("/v1/chat/completions"), before+1)
	})

	t.Run("OpenAI", func(t *testing.T) {
		c, fake := startClient(t)
		a, err := c.Chat(context.Background(), req)
		require.NoError(t, err)
		assert.Equal(t, []map[string]any{{"max_tokens": nil, "max_completion_tokens": 50.0}}, sentLimits(fake))
		assert.Empty(t, a.Notes)
	})
}
