package gpt

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"

	"github.com/soarkit/openai-gpt/internal/retry"
)

// createBackground sends a background create, which must not be sent
// twice: the response runs on at OpenAI (and is billed) whether or not its
// answer reaches us, so a create sent again after a dropped connection or
// a cut-off answer would start a second one nobody polls. The SDK's
// retries are off for it; an answer refusing it (429, 5xx: nothing was
// started) is retried here, as the SDK would, never past ctx's deadline.
func (c *Client) createBackground(ctx context.Context, params responses.ResponseNewParams) (*responses.Response, error) {
	for attempt := 1; ; attempt++ {
		res, err := c.ResponsesAPI.New(ctx, params, option.WithMaxRetries(0))
		if err == nil || ctx.Err() != nil {
			return res, err
		}
		var apiErr *openai.Error
		if !errors.As(err, &apiErr) {
			return nil, &MaybeStartedError{Err: err}
		}
		// retry.Policy marks what it would not retry (out of quota, a wait
		// past the deadline) on the answer itself.
		final := apiErr.Response != nil && apiErr.Response.Header.Get("x-should-retry") == "false"
		if attempt > retry.MaxRetries || !retry.Retryable(apiErr.StatusCode) || final {
			return nil, err
		}
		ask := time.Duration(-1) // none asked
		if apiErr.Response != nil {
			if a, asked := retry.After(apiErr.Response.Header); asked {
				ask = a
			}
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

// MaybeStartedError is a background create whose answer did not arrive
// whole (a dropped connection, a cut-off or stalled answer): OpenAI may
// have started the response, so it was not sent again.
type MaybeStartedError struct{ Err error }

func (e *MaybeStartedError) Error() string {
	return fmt.Sprintf("%v: the background request was not sent again, since OpenAI may have started it already; check the organization's recent responses before asking again", e.Err)
}

func (e *MaybeStartedError) Unwrap() error { return e.Err }
