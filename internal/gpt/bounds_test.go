package gpt

import (
	"context"
	"net/http"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/plugintest"
)

// memoryCap is what one refused answer may cost the plugin, whatever its
// size: bytes allocated during the call (an upper bound of the heap's
// growth).
const memoryCap = 256 << 20

// junkServer answers every request with h, counting them.
func junkServer(t *testing.T, h http.HandlerFunc) (*Client, *atomic.Int64) {
	t.Helper()
	url, hits := plugintest.CountingServer(t, h)
	return New(Config{BaseURL: url + "/v1/", APIKey: "sk-bounds-test-0123456789"}), hits
}

// TestHugeAnswerRefused: a 60 MB chat answer, streamed without a length,
// is refused at the chat cap without being retried, and the plugin's
// memory stays under memoryCap.
func TestHugeAnswerRefused(t *testing.T) {
	const size = 60 << 20
	c, hits := junkServer(t, func(w http.ResponseWriter, r *http.Request) {
		plugintest.WriteHugeChatAnswer(w, size)
	})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err := c.Chat(context.Background(), hello())
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("60 MiB answer: refused after %v, %.1f MiB allocated during the call, heap %.1f MiB after",
		elapsed, float64(allocated)/(1<<20), float64(after.HeapAlloc)/(1<<20))
	require.Error(t, err)
	assert.Contains(t, Describe(err), "the chat completion from POST http://127.0.0.1:")
	assert.Contains(t, Describe(err), "over the 4 MiB cap for this answer")
	assert.EqualValues(t, 1, hits.Load(), "not retried")
	assert.Less(t, allocated, uint64(memoryCap))
}

// TestJunkAnswers: an HTML page or a body that is not JSON gets an error
// naming the URL, status, content type and the parameter to check.
func TestJunkAnswers(t *testing.T) {
	for name, c := range map[string]struct{ ctype, body, want string }{
		"html":         {"text/html", "<html><body>Welcome to nginx!</body></html>", `is not JSON (HTTP 200, Content-Type text/html, starts "<html><body>Welcome to nginx!</body></html>")`},
		"invalid json": {"application/json", `{"id": "c1", "choices": [`, `is not JSON (HTTP 200, Content-Type application/json`},
	} {
		t.Run(name, func(t *testing.T) {
			client, _ := junkServer(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", c.ctype)
				w.Write([]byte(c.body))
			})
			_, err := client.Chat(context.Background(), hello())
			require.Error(t, err)
			msg := Describe(err)
			assert.Contains(t, msg, "the chat completion from POST http://127.0.0.1:")
			assert.Contains(t, msg, "/v1/chat/completions "+c.want)
			assert.Contains(t, msg, "the url parameter probably points at something that is not the OpenAI API")
			assert.NotContains(t, msg, "sk-bounds-test")
		})
	}
}

// TestEmptyResponseRefused: `{}` from the Responses API is not an answer.
func TestEmptyResponseRefused(t *testing.T) {
	c, _ := junkServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{}`))
	})
	_, err := c.Respond(context.Background(), ResponseRequest{Model: "gpt-4o-mini", Input: "hi"})
	require.Error(t, err)
	assert.Contains(t, Describe(err), "the Responses API answered without a response id, status or output")
	assert.Contains(t, Describe(err), "url parameter")
}

// TestJunkErrorAnswers: an error status with a web page instead of the
// API's JSON names the URL, content type and the parameter to check.
func TestJunkErrorAnswers(t *testing.T) {
	c, _ := junkServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte("<html><body>Not Found</body></html>"))
	})
	_, err := c.Chat(context.Background(), hello())
	require.Error(t, err)
	msg := Describe(err)
	assert.Contains(t, msg, "OpenAI API error 404: no error message in the answer (POST http://127.0.0.1:")
	assert.Contains(t, msg, `/v1/chat/completions answered Content-Type text/html, starting "<html><body>Not Found</body></html>"): the url parameter probably points at something that is not the OpenAI API`)
	assert.Equal(t, msg, Describe(err), "the same twice")
}
