// Package gpt is a thin layer over openai-go: it builds clients from the
// instance settings (never from the process environment), applies the
// retry policy, and turns API answers and errors into what commands show.
package gpt

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"

	"github.com/soarkit/openai-gpt/internal/settings"
)

// maxRetries bounds retries of 429/5xx; the host's deadline bounds them too.
const maxRetries = 4

// Client holds the OpenAI services the commands use.
type Client struct {
	Completions  openai.ChatCompletionService
	ResponsesAPI responses.ResponseService
	Models       openai.ModelService
	Moderations  openai.ModerationService

	// pollInterval is the first wait between polls of a background response.
	pollInterval time.Duration
}

// New builds a client for the model API from s. Every option is explicit:
// openai.NewClient would also read OPENAI_BASE_URL, OPENAI_API_KEY and
// friends from the environment, letting a stray variable redirect calls or
// swap keys, so the services are built from these options alone.
func New(s settings.Settings) *Client {
	opts := append(Options(s, s.OpenAIBaseURL), option.WithAPIKey(s.APIKey))
	if s.IsAzure() {
		opts = append(opts, option.WithMiddleware(azureKeyHeader))
	}
	return &Client{
		Completions:  openai.NewChatCompletionService(opts...),
		ResponsesAPI: responses.NewResponseService(opts...),
		Models:       openai.NewModelService(opts...),
		Moderations:  openai.NewModerationService(opts...),
		pollInterval: 500 * time.Millisecond,
	}
}

// Options are the request options shared by every client of this
// integration: base URL, the instance's HTTP client (proxy, TLS) and the
// retry policy. Callers add the credential.
func Options(s settings.Settings, baseURL string) []option.RequestOption {
	return []option.RequestOption{
		option.WithBaseURL(baseURL),
		option.WithHTTPClient(s.HTTPClient()),
		option.WithMaxRetries(maxRetries),
		option.WithMaxRetryDelay(60 * time.Second),
		option.WithMiddleware(retryPolicy),
	}
}

// azureKeyHeader moves the key from the bearer token to Azure OpenAI's
// api-key header.
func azureKeyHeader(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
	if key, ok := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer "); ok {
		req.Header.Del("Authorization")
		req.Header.Set("api-key", key)
	}
	return next(req)
}

// retryPolicy narrows the SDK's retries to what this integration promises:
// 429, 500, 502, 503 and 504 (plus connection errors), never another 4xx
// such as 408 or 409, and never a wait that the host's deadline would cut
// short anyway: the user then sees OpenAI's own error instead of a timeout.
func retryPolicy(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
	res, err := next(req)
	if err != nil || res == nil {
		return res, err
	}
	if !retryable(res.StatusCode) {
		if res.StatusCode >= 400 {
			res.Header.Set("x-should-retry", "false")
		}
		return res, nil
	}
	if deadline, ok := req.Context().Deadline(); ok {
		if wait, ok := retryAfter(res.Header); ok && time.Until(deadline) < wait {
			res.Header.Set("x-should-retry", "false")
		}
	}
	return res, nil
}

func retryable(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryAfter reads Retry-After-Ms or Retry-After (seconds or an HTTP date).
func retryAfter(h http.Header) (time.Duration, bool) {
	if ms, err := strconv.ParseFloat(h.Get("Retry-After-Ms"), 64); err == nil {
		return time.Duration(ms * float64(time.Millisecond)), true
	}
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		return time.Duration(s * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return time.Until(t), true
	}
	return 0, false
}
