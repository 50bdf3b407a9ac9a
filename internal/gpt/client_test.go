package gpt

import (
	"context"
	"crypto/tls"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
	"github.com/soarkit/openai-gpt/internal/retry"
)

// startClient is a Client on a fresh fake server, polling fast.
func startClient(t *testing.T) (*Client, *fakeopenai.Server) {
	t.Helper()
	fake := fakeopenai.New(fakeopenai.Config{})
	base, err := fake.Start("")
	require.NoError(t, err)
	t.Cleanup(fake.Close)
	c := New(Config{BaseURL: base + "/v1/", APIKey: fakeopenai.DefaultAPIKey})
	c.pollInterval = time.Millisecond
	return c, fake
}

func hello() ChatRequest {
	return ChatRequest{Model: "gpt-4o-mini", Messages: []Message{{Role: RoleUser, Content: "hello"}}}
}

// TestRetries: 429 and 5xx are retried, honouring Retry-After; other 4xx are
// not; a Retry-After longer than the deadline gives OpenAI's own error at
// once rather than a wait the deadline would cut short.
func TestRetries(t *testing.T) {
	ctx := context.Background()
	t.Run("429 then 500 then success", func(t *testing.T) {
		c, fake := startClient(t)
		fake.Script("chat", fakeopenai.Fault{Status: 429, RetryAfter: "1"}, fakeopenai.Fault{Status: 500, RetryAfter: "0"})
		start := time.Now()
		a, err := c.Chat(ctx, hello())
		require.NoError(t, err)
		assert.Contains(t, a.Text, "hello")
		assert.Len(t, fake.Requests("/v1/chat/completions"), 3)
		assert.GreaterOrEqual(t, time.Since(start), time.Second, "waited as Retry-After asked")
	})
	for _, status := range []int{400, 401, 403, 404, 408, 409, 422} {
		t.Run(http.StatusText(status)+" is not retried", func(t *testing.T) {
			c, fake := startClient(t)
			fake.Script("chat", fakeopenai.Fault{Status: status, Message: "nope"})
			_, err := c.Chat(ctx, hello())
			var apiErr *openai.Error
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, status, apiErr.StatusCode)
			assert.Len(t, fake.Requests("/v1/chat/completions"), 1)
		})
	}
	t.Run("Retry-After past the deadline", func(t *testing.T) {
		c, fake := startClient(t)
		fake.Script("chat", fakeopenai.Fault{Status: 429, RetryAfter: "30", Code: "rate_limit_exceeded", Message: "slow down"})
		short, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		_, err := c.Chat(short, hello())
		require.Error(t, err)
		assert.Equal(t, "OpenAI API error 429 (rate_limit_exceeded): slow down — rate limited (retried up to 4 times, never past the command's timeout): try again later, or ask OpenAI for a higher rate limit", Describe(err))
		assert.NoError(t, short.Err(), "gave up before the deadline")
		assert.Len(t, fake.Requests("/v1/chat/completions"), 1)
	})
	t.Run("out of quota is not retried", func(t *testing.T) {
		c, fake := startClient(t)
		fake.Script("chat", fakeopenai.Fault{Status: 429, Code: "insufficient_quota"})
		_, err := c.Chat(ctx, hello())
		assert.Contains(t, Describe(err), "OpenAI API error 429 (insufficient_quota): You exceeded your current quota")
		assert.Contains(t, Describe(err), "out of credit")
		assert.Len(t, fake.Requests("/v1/chat/completions"), 1)
	})
	t.Run("answer cut off mid-body", func(t *testing.T) {
		c, fake := startClient(t)
		fake.Script("chat", fakeopenai.Fault{Truncate: true}, fakeopenai.Fault{Truncate: true})
		a, err := c.Chat(ctx, hello())
		require.NoError(t, err, "retried like a dropped connection")
		assert.Contains(t, a.Text, "hello")
		assert.Len(t, fake.Requests("/v1/chat/completions"), 3)

		cut := make([]fakeopenai.Fault, retry.MaxRetries+1)
		for i := range cut {
			cut[i] = fakeopenai.Fault{Truncate: true}
		}
		fake.Script("responses", cut...)
		_, err = c.Respond(ctx, ResponseRequest{Model: "gpt-4o-mini", Input: "x"})
		assert.Equal(t, "OpenAI's answer was cut off before its end, 5 times in a row (unexpected EOF); try again", Describe(err))
	})
	t.Run("retries stop at retry.MaxRetries", func(t *testing.T) {
		c, fake := startClient(t)
		faults := make([]fakeopenai.Fault, retry.MaxRetries+2)
		for i := range faults {
			faults[i] = fakeopenai.Fault{Status: 503, RetryAfter: "0"}
		}
		fake.Script("chat", faults...)
		_, err := c.Chat(ctx, hello())
		assert.Contains(t, Describe(err), "OpenAI API error 503")
		assert.Len(t, fake.Requests("/v1/chat/completions"), retry.MaxRetries+1)
	})
}

func TestDescribe(t *testing.T) {
	c, fake := startClient(t)
	ctx := context.Background()

	fake.Script("chat", fakeopenai.Fault{Status: 401, Code: "invalid_api_key", Message: "Incorrect API key provided: sk-te***key."})
	_, err := c.Chat(ctx, hello())
	assert.Equal(t, "OpenAI API error 401 (invalid_api_key): Incorrect API key provided: sk-te***key. — check the API key in the instance settings", Describe(err))

	_, err = c.Chat(ctx, ChatRequest{Model: "gpt-nonexistent", Messages: hello().Messages})
	assert.Contains(t, Describe(err), "gpt-list-models shows what this key can use")

	fake.Script("chat", fakeopenai.Fault{Delay: time.Minute})
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	_, err = c.Chat(short, hello())
	assert.Contains(t, Describe(err), "before the host's deadline")

	closed := New(Config{BaseURL: "http://127.0.0.1:1/v1/", APIKey: "sk-secret-never-shown"})
	_, err = closed.Models.List(ctx, option.WithMaxRetries(0)) // connection errors are retried; one is enough here
	assert.Contains(t, Describe(err), "could not reach OpenAI at 127.0.0.1:1")
	assert.NotContains(t, Describe(err), "sk-secret-never-shown")

	assert.Equal(t, "plain", Describe(errors.New("plain")))
}

func TestIsReasoningModel(t *testing.T) {
	for model, want := range map[string]bool{
		"o1": true, "o1-mini": true, "o3-mini-2025-01-31": true, "o4-mini": true,
		"gpt-5": true, "gpt-5-nano": true, "gpt-5.1": true, "GPT-5": true, "openai/gpt-5": true,
		"gpt-4o": false, "gpt-4o-mini": false, "gpt-4.1": false, "o10": false, "gpt-50": false, "": false,
	} {
		assert.Equal(t, want, IsReasoningModel(model), model)
	}
}

func TestGenerationForModel(t *testing.T) {
	temp, topP, max := 0.2, 0.9, int64(100)
	g := Generation{MaxTokens: &max, Temperature: &temp, TopP: &topP}

	same, note := g.forModel("gpt-4o")
	assert.Equal(t, g, same)
	assert.Empty(t, note)

	kept, note := g.forModel("o3")
	assert.Equal(t, Generation{MaxTokens: &max}, kept, "max tokens stay; sampling goes")
	assert.Equal(t, "temperature=0.2, top_p=0.9 not sent: reasoning model o3 does not accept it", note)

	_, note = Generation{MaxTokens: &max}.forModel("o3")
	assert.Empty(t, note, "nothing dropped, nothing said")
}

func TestRefusals(t *testing.T) {
	c, fake := startClient(t)
	ctx := context.Background()
	fake.ScriptRefusal("not this one", "nor this")

	a, err := c.Chat(ctx, hello())
	require.NoError(t, err)
	assert.Equal(t, "not this one", a.Refusal)
	assert.Equal(t, "The model refused: not this one", a.Text)

	a, err = c.Respond(ctx, ResponseRequest{Model: "gpt-4o-mini", Input: "hello", Schema: &Schema{Name: "v", Doc: map[string]any{
		"type": "object", "properties": map[string]any{"x": map[string]any{"type": "string"}},
		"required": []any{"x"}, "additionalProperties": false,
	}}})
	require.NoError(t, err)
	assert.Equal(t, "nor this", a.Refusal)
	assert.False(t, a.Structured, "a refusal is not the document the schema asked for")
}

// TestBackground: a background response is polled to its end; a failed one
// and one still running at the deadline each give their own error.
func TestBackground(t *testing.T) {
	ctx := context.Background()
	req := ResponseRequest{Model: "gpt-4o-mini", Input: "in the background", Background: true}

	t.Run("completed", func(t *testing.T) {
		c, fake := startClient(t)
		fake.ScriptBackground(fakeopenai.BackgroundOutcome{Polls: 3})
		a, err := c.Respond(ctx, req)
		require.NoError(t, err)
		assert.Equal(t, "completed", a.Status)
		assert.Contains(t, a.Text, "in the background")
		assert.Len(t, fake.Requests("/v1/responses/"+a.ID), 4)
	})
	t.Run("failed", func(t *testing.T) {
		c, fake := startClient(t)
		fake.ScriptBackground(fakeopenai.BackgroundOutcome{Status: "failed", ErrorCode: "server_error", ErrorMessage: "boom"})
		_, err := c.Respond(ctx, req)
		var failed *ResponseFailedError
		require.ErrorAs(t, err, &failed)
		assert.Equal(t, "failed", failed.Status)
		assert.Contains(t, err.Error(), "(server_error): boom")
	})
	t.Run("incomplete", func(t *testing.T) {
		c, fake := startClient(t)
		fake.ScriptBackground(fakeopenai.BackgroundOutcome{Status: "incomplete", IncompleteReason: "content_filter"})
		a, err := c.Respond(ctx, req)
		require.NoError(t, err)
		assert.Equal(t, "incomplete", a.Status)
		assert.Equal(t, "content_filter", a.IncompleteReason)
	})
	t.Run("create cut off is not sent again", func(t *testing.T) {
		c, fake := startClient(t)
		fake.Script("responses", fakeopenai.Fault{Truncate: true})
		_, err := c.Respond(ctx, req)
		var maybe *MaybeStartedError
		require.ErrorAs(t, err, &maybe)
		assert.Contains(t, Describe(err), "not sent again")
		assert.Len(t, posts(fake), 1, "a second background response was started")
	})
	t.Run("create refused is retried", func(t *testing.T) {
		c, fake := startClient(t)
		fake.Script("responses", fakeopenai.Fault{Status: 429, RetryAfter: "0"}, fakeopenai.Fault{Status: 503, RetryAfter: "0"})
		a, err := c.Respond(ctx, req)
		require.NoError(t, err)
		assert.Equal(t, "completed", a.Status)
		assert.Len(t, posts(fake), 3)
	})
	t.Run("create past the deadline may have started", func(t *testing.T) {
		c, fake := startClient(t)
		fake.Script("responses", fakeopenai.Fault{Delay: time.Minute})
		short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		_, err := c.Respond(short, req)
		var maybe *MaybeStartedError
		require.ErrorAs(t, err, &maybe)
		assert.Contains(t, Describe(err), "did not answer the background request before the host's deadline")
		assert.Contains(t, Describe(err), "not sent again")
		assert.Len(t, posts(fake), 1)
	})
	t.Run("create never connected is not 'maybe started'", func(t *testing.T) {
		closed := New(Config{BaseURL: "http://127.0.0.1:1/v1/", APIKey: "sk-closed-port-0123456789"})
		short, cancel := context.WithTimeout(ctx, 1500*time.Millisecond)
		defer cancel()
		_, err := closed.Respond(short, req)
		require.Error(t, err)
		var maybe *MaybeStartedError
		assert.False(t, errors.As(err, &maybe), "a refused connection sent nothing: %v", err)
		assert.Contains(t, Describe(err), "could not reach OpenAI")
	})
	t.Run("create out of quota is not retried", func(t *testing.T) {
		c, fake := startClient(t)
		fake.Script("responses", fakeopenai.Fault{Status: 429, Code: "insufficient_quota", Message: "You exceeded your current quota"})
		_, err := c.Respond(ctx, req)
		require.Error(t, err)
		assert.Contains(t, Describe(err), "out of credit")
		assert.Len(t, posts(fake), 1)
	})
	t.Run("deadline", func(t *testing.T) {
		c, fake := startClient(t)
		c.pollInterval = 20 * time.Millisecond
		fake.ScriptBackground(fakeopenai.BackgroundOutcome{Polls: 1 << 20})
		short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		defer cancel()
		_, err := c.Respond(short, req)
		var running *StillRunningError
		require.ErrorAs(t, err, &running)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Contains(t, err.Error(), "keeps running at OpenAI")
	})
}

// posts are the Responses API creates the fake received.
func posts(fake *fakeopenai.Server) []fakeopenai.RecordedRequest {
	var out []fakeopenai.RecordedRequest
	for _, r := range fake.Requests("/v1/responses") {
		if r.Method == http.MethodPost {
			out = append(out, r)
		}
	}
	return out
}

// TestReasoningEffortOnlyForReasoningModels: sent to o3, silently dropped
// for gpt-4o.
func TestReasoningEffortOnlyForReasoningModels(t *testing.T) {
	c, fake := startClient(t)
	ctx := context.Background()

	a, err := c.Respond(ctx, ResponseRequest{Model: "o3", Input: "x", Effort: "high"})
	require.NoError(t, err)
	assert.Empty(t, a.Notes)
	assert.Contains(t, string(lastBody(t, fake)), `"reasoning":{"effort":"high"}`)

	a, err = c.Respond(ctx, ResponseRequest{Model: "gpt-4o", Input: "x", Effort: "high"})
	require.NoError(t, err)
	assert.Empty(t, a.Notes, "dropped silently, as the integration documents")
	assert.NotContains(t, string(lastBody(t, fake)), "reasoning")
}

func lastBody(t *testing.T, fake *fakeopenai.Server) []byte {
	t.Helper()
	reqs := fake.Requests("/v1/responses")
	require.NotEmpty(t, reqs)
	return reqs[len(reqs)-1].Body
}

func TestAzureKeyHeader(t *testing.T) {
	req, _ := http.NewRequest(http.MethodGet, "https://soc.openai.azure.com/openai/v1/models", nil)
	req.Header.Set("Authorization", "Bearer sk-azure-key")
	var sent http.Header
	_, err := azureKeyHeader(req, func(r *http.Request) (*http.Response, error) {
		sent = r.Header.Clone()
		return &http.Response{StatusCode: 200, Header: http.Header{}}, nil
	})
	require.NoError(t, err)
	assert.Equal(t, "sk-azure-key", sent.Get("api-key"))
	assert.Empty(t, sent.Get("Authorization"), "the key goes in api-key only")
}

// TestInsecure: a server with a certificate no CA vouches for is refused
// unless `insecure` is set, and the error says where to look.
func TestInsecure(t *testing.T) {
	fake := fakeopenai.New(fakeopenai.Config{})
	srv := httptest.NewTLSServer(fake)
	defer srv.Close()
	ctx := context.Background()

	strict := New(Config{BaseURL: srv.URL + "/v1/", APIKey: fakeopenai.DefaultAPIKey})
	_, err := strict.Models.List(ctx, option.WithMaxRetries(0))
	require.Error(t, err)
	assert.Contains(t, Describe(err), "certificate")
	assert.Contains(t, Describe(err), "check the Server URL, proxy and certificate settings")

	trusting := New(Config{BaseURL: srv.URL + "/v1/", APIKey: fakeopenai.DefaultAPIKey, HTTPClient: insecureClient()})
	models, err := trusting.ListModels(ctx)
	require.NoError(t, err)
	assert.NotEmpty(t, models)
}

// TestRedirectToAnotherHostRefused: the key never follows a redirect to
// another host (net/http would drop Authorization there, not api-key).
func TestRedirectToAnotherHostRefused(t *testing.T) {
	var leaked atomic.Bool
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked.Store(r.Header.Get("api-key") != "" || r.Header.Get("Authorization") != "")
	}))
	defer other.Close()
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/v1/models", http.StatusTemporaryRedirect)
	}))
	defer redirector.Close()

	c := New(Config{BaseURL: redirector.URL + "/v1/", APIKey: "sk-never-elsewhere"})
	_, err := c.Models.List(context.Background(), option.WithMaxRetries(0))
	require.Error(t, err)
	assert.Contains(t, Describe(err), "refused a redirect")
	assert.False(t, leaked.Load(), "the other host saw a credential")
}

// insecureClient trusts any certificate, as the instance's insecure
// setting does.
func insecureClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // the test's own server
	return &http.Client{Transport: t}
}
