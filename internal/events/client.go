package events

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/soarkit/openai-gpt/internal/retry"
)

// maxRetries bounds the SDK's retries of 429/5xx and connection errors; the
// caller's context bounds them too.
const maxRetries = 4

// sdkClient builds an openai-go client from explicit options only.
// openai.NewClient would read OPENAI_BASE_URL, OPENAI_API_KEY,
// OPENAI_ADMIN_KEY, OPENAI_ORG_ID... from the environment, so a stray
// variable could redirect calls or swap keys: the struct is built directly
// and the services from these options alone.
func sdkClient(baseURL string, hc *http.Client, auth ...option.RequestOption) openai.Client {
	opts := append([]option.RequestOption{
		option.WithBaseURL(baseURL),
		option.WithHTTPClient(hc),
		option.WithMaxRetries(maxRetries),
		option.WithMaxRetryDelay(60 * time.Second),
		option.WithMiddleware(retry.Policy),
	}, auth...)
	return openai.Client{
		Options: opts,
		Admin:   openai.NewAdminService(opts...),
	}
}

func httpClient(cfg Config) *http.Client {
	if cfg.HTTPClient != nil {
		return cfg.HTTPClient
	}
	return &http.Client{}
}

// noRedirect is hc that returns a redirect instead of following it: the
// compliance file download answers 307 to another host, which must be
// fetched without the Authorization header.
func noRedirect(hc *http.Client) *http.Client {
	c := *hc
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// transient reports whether a call that already went through the SDK's own
// retries is worth one more try: the SDK does not retry a body cut short
// after the headers arrived (io.ErrUnexpectedEOF), nor a reset connection
// while reading it.
func transient(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var apiErr *openai.Error
	if errors.As(err, &apiErr) {
		return false // the SDK has already retried the statuses worth retrying
	}
	var netErr net.Error
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.As(err, &netErr) ||
		strings.Contains(err.Error(), "connection reset")
}

// withRetry runs call up to attempts times while it fails transiently,
// waiting a little longer each time, bounded by ctx.
func withRetry(ctx context.Context, attempts int, call func() error) error {
	var err error
	for i := range attempts {
		if err = call(); !transient(err) {
			return err
		}
		if i == attempts-1 {
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (after: %w)", ctx.Err(), err)
		case <-time.After(time.Duration(100<<i) * time.Millisecond):
		}
	}
	return err
}

// describe turns an API error into a sentence naming the status and
// OpenAI's message; the request's Authorization header is never part of it.
func describe(err error) string {
	var apiErr *openai.Error
	if errors.As(err, &apiErr) {
		msg := fmt.Sprintf("HTTP %d", apiErr.StatusCode)
		if apiErr.Message != "" {
			msg += ": " + apiErr.Message
		}
		if apiErr.Code != "" {
			msg += " (" + apiErr.Code + ")"
		}
		if apiErr.Message == "" && apiErr.Response != nil && apiErr.Response.Body != nil {
			// Not OpenAI's envelope (the Compliance API answers FastAPI
			// bodies): show the start of the body.
			b, _ := io.ReadAll(io.LimitReader(apiErr.Response.Body, 300))
			if s := strings.TrimSpace(string(b)); s != "" {
				msg += ": " + s
			}
		}
		return msg
	}
	return err.Error()
}

// statusOf returns the HTTP status of an API error, or 0.
func statusOf(err error) int {
	var apiErr *openai.Error
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode
	}
	return 0
}
