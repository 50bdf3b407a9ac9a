package fakeopenai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var oaiNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// startOAI serves a fake on loopback for the test's lifetime.
func startOAI(t *testing.T) (*Server, string) {
	t.Helper()
	s := New(Config{Now: func() time.Time { return oaiNow }})
	base, err := s.Start("")
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s, base
}

// oaiClient is an SDK client on the fake with every setting explicit, so a
// stray OPENAI_* variable in the environment cannot redirect it.
func oaiClient(base string, opts ...option.RequestOption) openai.Client {
	return openai.NewClient(append([]option.RequestOption{
		option.WithBaseURL(base + "/v1/"),
		option.WithAPIKey(DefaultAPIKey),
		option.WithMaxRetries(2),
		option.WithRequestTimeout(10 * time.Second),
	}, opts...)...)
}

// apiErrorOf decodes an error answer.
type rawAnswer struct {
	status int
	header http.Header
	body   []byte
}

func (a rawAnswer) errBody(t *testing.T) APIErrorBody {
	t.Helper()
	var e APIError
	require.NoError(t, json.Unmarshal(a.body, &e), string(a.body))
	return e.Error
}

// postRaw sends body (a string or a value to marshal) with the default key.
func postRaw(t *testing.T, method, url string, body any) rawAnswer {
	t.Helper()
	return sendRaw(t, method, url, body, map[string]string{"Authorization": "Bearer " + DefaultAPIKey})
}

func sendRaw(t *testing.T, method, url string, body any, headers map[string]string) rawAnswer {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	default:
		j, err := json.Marshal(b)
		require.NoError(t, err)
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, url, rd)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return rawAnswer{status: res.StatusCode, header: res.Header, body: b}
}

func strp(s string) *string { return &s }

// wantErr is the expected error answer of a validation case.
type wantErr struct {
	status int
	param  *string // nil: param must be null
	code   *string // nil: code must be null
	msg    string  // substring of the message
}

func checkErr(t *testing.T, a rawAnswer, w wantErr) {
	t.Helper()
	assert.Equal(t, w.status, a.status, string(a.body))
	assert.Equal(t, "application/json", a.header.Get("Content-Type"))
	e := a.errBody(t)
	assert.Equal(t, "invalid_request_error", e.Type)
	assert.Equal(t, w.param, e.Param, "param")
	assert.Equal(t, w.code, e.Code, "code")
	assert.Contains(t, e.Message, w.msg)
}

func TestAuth(t *testing.T) {
	_, base := startOAI(t)
	cases := []struct {
		name    string
		headers map[string]string
		status  int
		code    *string
	}{
		{"missing key", nil, 401, nil},
		{"wrong key", map[string]string{"Authorization": "Bearer sk-wrong-key-123456"}, 401, strp("invalid_api_key")},
		{"azure api-key header", map[string]string{"api-key": DefaultAPIKey}, 200, nil},
		{"bearer", map[string]string{"Authorization": "Bearer " + DefaultAPIKey}, 200, nil},
	}
	for _, path := range []string{"/v1/models", "/v1/responses/resp_x"} {
		for _, c := range cases {
			t.Run(path+"/"+c.name, func(t *testing.T) {
				a := sendRaw(t, http.MethodGet, base+path, nil, c.headers)
				if c.status == 200 && path != "/v1/models" {
					assert.Equal(t, 404, a.status, "authorised, unknown response") // past the key check
					return
				}
				require.Equal(t, c.status, a.status, string(a.body))
				if c.status == 401 {
					e := a.errBody(t)
					assert.Equal(t, c.code, e.Code)
					assert.Equal(t, "invalid_request_error", e.Type)
				}
			})
		}
	}
	// The SDK surfaces a 401 as *openai.Error with OpenAI's code.
	client := oaiClient(base, option.WithAPIKey("sk-wrong-key-123456"))
	_, err := client.Models.List(context.Background())
	var apiErr *openai.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 401, apiErr.StatusCode)
	assert.Equal(t, "invalid_api_key", apiErr.Code)
}

func TestScriptedFaults(t *testing.T) {
	ctx := context.Background()
	chat := openai.ChatCompletionNewParams{Model: "gpt-4o-mini",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hello")}}

	t.Run("429 with Retry-After is retried", func(t *testing.T) {
		s, base := startOAI(t)
		s.Script("chat", Fault{Status: 429, RetryAfter: "0"})
		client := oaiClient(base)
		c, err := client.Chat.Completions.New(ctx, chat)
		require.NoError(t, err)
		assert.Contains(t, c.Choices[0].Message.Content, "You said: hello")
		assert.Len(t, s.Requests("/v1/chat/completions"), 2)
	})
	t.Run("429 without retries", func(t *testing.T) {
		s, base := startOAI(t)
		s.Script("chat", Fault{Status: 429, RetryAfter: "0"})
		client := oaiClient(base, option.WithMaxRetries(0))
		_, err := client.Chat.Completions.New(ctx, chat)
		var apiErr *openai.Error
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 429, apiErr.StatusCode)
		assert.Equal(t, "rate_limit_exceeded", apiErr.Code)
		assert.Equal(t, "0", apiErr.Response.Header.Get("Retry-After"))
	})
	t.Run("500s beyond the retries", func(t *testing.T) {
		s, base := startOAI(t)
		s.Script("responses", Fault{Status: 500, RetryAfter: "0"}, Fault{Status: 500, RetryAfter: "0"}, Fault{Status: 500, RetryAfter: "0"})
		client := oaiClient(base)
		_, err := client.Responses.New(ctx, respParams("gpt-4o", "hi"))
		var apiErr *openai.Error
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 500, apiErr.StatusCode)
		assert.Len(t, s.Requests("/v1/responses"), 3)
	})
	t.Run("truncated answer", func(t *testing.T) {
		s, base := startOAI(t)
		s.Script("models", Fault{Truncate: true})
		client := oaiClient(base, option.WithMaxRetries(0))
		_, err := client.Models.List(ctx)
		require.Error(t, err)
		var apiErr *openai.Error
		assert.False(t, errors.As(err, &apiErr), "a cut body is a transport error, not an API error")
	})
	t.Run("slow answer hits the deadline", func(t *testing.T) {
		s, base := startOAI(t)
		s.Script("moderations", Fault{Delay: 2 * time.Second})
		ctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		client := oaiClient(base, option.WithMaxRetries(0))
		_, err := client.Moderations.New(ctx, openai.ModerationNewParams{
			Input: openai.ModerationNewParamsInputUnion{OfString: openai.String("hi")}})
		require.ErrorIs(t, err, context.DeadlineExceeded)
	})
	t.Run("faults are per route", func(t *testing.T) {
		s, base := startOAI(t)
		s.Script("responses.get", Fault{Status: 503, RetryAfter: "0"})
		client := oaiClient(base)
		r, err := client.Responses.New(ctx, respParams("gpt-4o", "hi"))
		require.NoError(t, err)
		got, err := client.Responses.Get(ctx, r.ID, responsesGetParams())
		require.NoError(t, err, "the 503 is retried")
		assert.Equal(t, r.ID, got.ID)
	})
}

func TestUnknownJSONBody(t *testing.T) {
	_, base := startOAI(t)
	for _, path := range []string{"/v1/chat/completions", "/v1/responses", "/v1/moderations"} {
		a := postRaw(t, http.MethodPost, base+path, `{"model": "gpt-4o",`)
		checkErr(t, a, wantErr{status: 400, msg: "We could not parse the JSON body of your request."})
	}
}

// TestRequestIDs: every answer, success or error, carries its own
// x-request-id shaped as the API's.
func TestRequestIDs(t *testing.T) {
	_, base := startOAI(t)
	auth := map[string]string{"Authorization": "Bearer " + DefaultAPIKey}
	ids := map[string]bool{}
	for _, a := range []rawAnswer{
		sendRaw(t, "GET", base+"/v1/models", nil, auth),
		sendRaw(t, "GET", base+"/v1/models", nil, auth),
		sendRaw(t, "GET", base+"/v1/models", nil, map[string]string{"Authorization": "Bearer sk-wrong-0123456789"}),
	} {
		id := a.header.Get("x-request-id")
		assert.Regexp(t, `^req_[0-9a-f]{32}$`, id)
		assert.False(t, ids[id], "x-request-id %s repeated", id)
		ids[id] = true
	}
}
