// Package retry is this integration's retry policy for OpenAI calls,
// layered on openai-go's own retries: which answers are worth another try,
// how long the server asked us to wait, and never a wait the caller's
// deadline would cut short.
package retry

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/openai/openai-go/v3/option"
	"github.com/tidwall/gjson"
)

// MaxRetries bounds the retries of one call, after its first try; the
// caller's deadline bounds them too.
const MaxRetries = 4

// maxDelay bounds one wait between tries, whatever Retry-After says.
const maxDelay = 60 * time.Second

// Options are the retry settings every OpenAI client of this integration
// uses: at most MaxRetries retries, each wait bounded, Policy deciding
// which answers are worth one, and WholeBody making a cut-off answer one
// of them. For clients whose successful answers are small JSON documents.
func Options() []option.RequestOption {
	return []option.RequestOption{
		option.WithMaxRetries(MaxRetries),
		option.WithMaxRetryDelay(maxDelay),
		option.WithMiddleware(Policy, WholeBody),
	}
}

// StreamOptions are Options without WholeBody, for answers too large to
// hold in memory (a compliance log file the API serves itself): the
// caller reads the body bounded and checks it whole (size, checksum),
// retrying a cut-off one itself.
func StreamOptions() []option.RequestOption {
	return []option.RequestOption{
		option.WithMaxRetries(MaxRetries),
		option.WithMaxRetryDelay(maxDelay),
		option.WithMiddleware(Policy),
	}
}

// Retryable reports whether an answer with this status is worth another
// try: rate limited (429) or a transient server error (500, 502, 503, 504).
// Other 4xx (408 and 409 included, which the SDK would retry) are the
// request's fault and fail at once, as does 501 or 505.
func Retryable(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// Policy is an openai-go middleware that narrows the SDK's retries to
// Retryable statuses (plus connection errors), and stops retrying when the
// server's Retry-After would outlast the request's deadline: the user then
// sees the API's own error instead of a bare timeout.
func Policy(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
	res, err := next(req)
	if err != nil || res == nil {
		return res, err
	}
	if !Retryable(res.StatusCode) || outOfQuota(res) {
		if res.StatusCode >= 400 {
			res.Header.Set("x-should-retry", "false")
		}
		return res, nil
	}
	if deadline, ok := req.Context().Deadline(); ok {
		if wait, ok := After(res.Header); ok && time.Until(deadline) < wait {
			res.Header.Set("x-should-retry", "false")
		}
	}
	return res, nil
}

// outOfQuota reports whether a 429 is OpenAI's insufficient_quota: the
// organization is out of credit, which no wait cures, unlike a rate limit.
// The body is read (error bodies are small) and put back for the SDK.
func outOfQuota(res *http.Response) bool {
	if res.StatusCode != http.StatusTooManyRequests || res.Body == nil {
		return false
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	_ = res.Body.Close()
	res.Body = io.NopCloser(bytes.NewReader(body))
	return err == nil && gjson.GetBytes(body, "error.code").Str == "insufficient_quota"
}

// WholeBody is an openai-go middleware that reads a successful answer's
// body before handing it on, so an answer cut off mid-body becomes a
// connection error, which the SDK retries, instead of a read error it does
// not. For small JSON answers only: the body is held in memory.
func WholeBody(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
	res, err := next(req)
	if err != nil || res == nil || res.StatusCode >= 300 || res.Body == nil {
		return res, err
	}
	body, err := io.ReadAll(res.Body)
	_ = res.Body.Close()
	if err != nil {
		return nil, &CutOffError{Err: err}
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	return res, nil
}

// CutOffError is an answer whose body ended before its end: the connection
// dropped after the headers arrived.
type CutOffError struct{ Err error }

// Error says the answer was cut off, and by what.
func (e *CutOffError) Error() string {
	return fmt.Sprintf("the answer was cut off before its end (%v)", e.Err)
}

// Unwrap returns the read error.
func (e *CutOffError) Unwrap() error { return e.Err }

// NotAsked is Wait's ask when the server asked for no particular wait.
const NotAsked time.Duration = -1

// Asked is the wait h asks for (After), or NotAsked: Wait's ask.
func Asked(h http.Header) time.Duration {
	if d, ok := After(h); ok {
		return d
	}
	return NotAsked
}

// Wait is how long to wait before another try of a call this package's
// middleware does not cover: ask when the server asked for a wait (0 is
// "at once"; NotAsked when it asked none, see Asked), fallback otherwise, and never
// more than the SDK waits (60 s). ok is false when that wait would outlast
// ctx's deadline: the caller should stop and report the server's answer
// rather than sleep into a timeout.
func Wait(ctx context.Context, ask, fallback time.Duration) (wait time.Duration, ok bool) {
	wait = fallback
	if ask >= 0 {
		wait = ask
	}
	wait = min(wait, maxDelay)
	if deadline, has := ctx.Deadline(); has && time.Until(deadline) < wait {
		return wait, false
	}
	return wait, true
}

// After reads how long the server asked us to wait: Retry-After-Ms, or
// Retry-After in seconds or as an HTTP date.
func After(h http.Header) (time.Duration, bool) {
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
