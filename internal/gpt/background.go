package gpt

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"

	"github.com/soarkit/openai-gpt/internal/retry"
)

// createBackground sends a background create, which must not be sent
// twice: the response runs on at OpenAI (and is billed) whether or not its
// answer reaches us, so a create sent again after a dropped connection, a
// cut-off answer or a deadline would start a second one nobody polls. The
// SDK's retries are off for it; an answer refusing it (429, 5xx: nothing
// was started) and a connection that never opened (nothing was sent) are
// retried here, as the SDK would, never past ctx's deadline.
func (c *Client) createBackground(ctx context.Context, params responses.ResponseNewParams) (*responses.Response, error) {
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, err // nothing sent this time
		}
		res, err := c.ResponsesAPI.New(ctx, params, option.WithMaxRetries(0))
		if err == nil {
			return res, nil
		}
		var apiErr *openai.Error
		var retryable bool
		ask := retry.NotAsked
		switch {
		case errors.As(err, &apiErr):
			// retry.Policy marks what it would not retry (out of quota,
			// a wait past the deadline) on the answer itself.
			final := apiErr.Response != nil && apiErr.Response.Header.Get("x-should-retry") == "false"
			retryable = retry.Retryable(apiErr.StatusCode) && !final
			if apiErr.Response != nil {
				ask = retry.Asked(apiErr.Response.Header)
			}
		case notSent(err) && ctx.Err() == nil:
			retryable = true
		default:
			return nil, &MaybeStartedError{Err: err}
		}
		if !retryable || attempt > retry.MaxRetries {
			return nil, err
		}
		wait, ok := retry.Wait(ctx, ask, time.Duration(500<<attempt)*time.Millisecond)
		if !ok {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(wait):
		}
	}
}

// notSent reports whether err is a connection that never opened (refused,
// unresolvable host): the request cannot have reached OpenAI.
func notSent(err error) bool {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return true
	}
	var opErr *net.OpError
	return errors.As(err, &opErr) && opErr.Op == "dial"
}

// MaybeStartedError is a background create whose answer did not arrive
// whole (a dropped connection, a cut-off or stalled answer, the deadline
// or a cancel while waiting for it): OpenAI may have started the response,
// so it was not sent again.
type MaybeStartedError struct{ Err error }

func (e *MaybeStartedError) Error() string {
	return fmt.Sprintf("%v: the background request was not sent again, since OpenAI may have started it already; check the organization's recent responses before asking again", e.Err)
}

func (e *MaybeStartedError) Unwrap() error { return e.Err }
