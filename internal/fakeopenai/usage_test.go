package fakeopenai

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUsageCarriesCacheWriteTokens: since July 2026 OpenAI's description
// requires usage.input_tokens_details.cache_write_tokens on every response,
// and lists prompt_tokens_details.cache_write_tokens for chat; the fake
// sends both, as the API does, on the first turn and on a cached turn.
func TestUsageCarriesCacheWriteTokens(t *testing.T) {
	_, base := startOAI(t)

	details := func(a rawAnswer, path ...string) map[string]any {
		t.Helper()
		require.Equal(t, http.StatusOK, a.status, string(a.body))
		var node any
		require.NoError(t, json.Unmarshal(a.body, &node))
		for _, k := range path {
			m, ok := node.(map[string]any)
			require.True(t, ok, "%s is not an object in %s", k, a.body)
			node = m[k]
		}
		m, ok := node.(map[string]any)
		require.True(t, ok, "no %v in %s", path, a.body)
		return m
	}

	first := postRaw(t, "POST", base+"/v1/responses", map[string]any{"model": "gpt-4o", "input": "hello", "store": true})
	in := details(first, "usage", "input_tokens_details")
	assert.Contains(t, in, "cached_tokens")
	assert.Contains(t, in, "cache_write_tokens")

	var resp struct {
		ID string `json:"id"`
	}
	require.NoError(t, json.Unmarshal(first.body, &resp))
	long := make([]byte, 0, 8000)
	for range 800 {
		long = append(long, "lorem ips "...)
	}
	second := postRaw(t, "POST", base+"/v1/responses", map[string]any{"model": "gpt-4o", "input": string(long), "previous_response_id": resp.ID})
	third := postRaw(t, "POST", base+"/v1/responses", map[string]any{"model": "gpt-4o", "input": "and?", "previous_response_id": idOf(t, second.body)})
	in = details(third, "usage", "input_tokens_details")
	assert.NotZero(t, in["cached_tokens"], "a long shared prefix is cached")
	assert.Contains(t, in, "cache_write_tokens")

	chat := postRaw(t, "POST", base+"/v1/chat/completions", map[string]any{"model": "gpt-4o", "messages": []map[string]any{{"role": "user", "content": "hi"}}})
	prompt := details(chat, "usage", "prompt_tokens_details")
	assert.Contains(t, prompt, "cached_tokens")
	assert.Contains(t, prompt, "cache_write_tokens")
}

func idOf(t *testing.T, body []byte) string {
	t.Helper()
	var r struct {
		ID string `json:"id"`
	}
	require.NoError(t, json.Unmarshal(body, &r), string(body))
	require.NotEmpty(t, r.ID, string(body))
	return r.ID
}
