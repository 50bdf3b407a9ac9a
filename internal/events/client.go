package events

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/soarkit/openai-gpt/internal/retry"
)

// sdkClient builds an openai-go client from explicit options only.
// openai.NewClient would read OPENAI_BASE_URL, OPENAI_API_KEY,
// OPENAI_ADMIN_KEY, OPENAI_ORG_ID... from the environment, so a stray
// variable could redirect calls or swap keys: the struct is built directly
// and the services from these options alone.
func sdkClient(baseURL string, hc *http.Client, auth ...option.RequestOption) openai.Client {
	// Pages are small JSON documents, and the file endpoint answers a
	// redirect: retry.Options fits both.
	opts := append(append(retry.Options(), option.WithBaseURL(baseURL), option.WithHTTPClient(hc)), auth...)
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

// withRedirectCheck is hc with check deciding which redirects to follow.
func withRedirectCheck(hc *http.Client, check func(*http.Request, []*http.Request) error) *http.Client {
	c := *hc
	c.CheckRedirect = check
	return &c
}

// noRedirect is hc that returns a redirect instead of following it: the
// compliance file download answers 307 to another host, which must be
// fetched without the Authorization header.
func noRedirect(hc *http.Client) *http.Client {
	c := *hc
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// apiError is a failed API call described for the user (the call, the
// status and OpenAI's message, the parameter to check) that still answers
// errors.Is and errors.As for the error underneath.
type apiError struct {
	msg string
	err error
}

func (e *apiError) Error() string { return e.msg }
func (e *apiError) Unwrap() error { return e.err }

// describeCall wraps err from the call named by what, adding the hint.
func describeCall(what string, err error, hint string) error {
	return &apiError{msg: what + ": " + describe(err) + hint, err: err}
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
