package gpt

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/url"
	"strings"

	"github.com/openai/openai-go/v3"

	"github.com/soarkit/openai-gpt/internal/httpguard"
	"github.com/soarkit/openai-gpt/internal/retry"
)

// Describe turns an error from an OpenAI call into one line a SOC analyst
// can act on: the HTTP status with OpenAI's own message and code, a timeout,
// or a connection problem. It never includes a credential: openai.Error's
// own text holds the request URL and the error message only, and we build
// ours from its fields.
func Describe(err error) string {
	var apiErr *openai.Error
	var cut *retry.CutOffError
	var maybe *MaybeStartedError
	if errors.As(err, &maybe) {
		var reason string
		switch {
		case errors.As(maybe.Err, &cut):
			reason = "OpenAI's answer was cut off before its end"
		case errors.Is(maybe.Err, context.DeadlineExceeded):
			reason = "OpenAI did not answer the background request before the host's deadline for this command"
		case errors.Is(maybe.Err, context.Canceled):
			reason = "the command was cancelled while OpenAI had the background request"
		default:
			reason = Describe(maybe.Err)
		}
		return reason + "; the background request was not sent again, since OpenAI may have started it already: check the organization's recent responses before asking again"
	}
	switch {
	case errors.As(err, &apiErr):
		return describeAPIError(apiErr)
	case errors.As(err, &cut):
		return fmt.Sprintf("OpenAI's answer was cut off before its end, %d times in a row (%v); try again", retry.MaxRetries+1, cut.Err)
	case errors.Is(err, context.DeadlineExceeded):
		return "OpenAI did not answer before the host's deadline for this command; try again, or raise the command timeout"
	case errors.Is(err, context.Canceled):
		return "the command was cancelled before OpenAI answered"
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		var netErr net.Error
		if errors.As(urlErr.Err, &netErr) && netErr.Timeout() {
			return fmt.Sprintf("OpenAI at %s timed out: %v", hostOf(urlErr.URL), netErr)
		}
		return fmt.Sprintf("could not reach OpenAI at %s (check the Server URL, proxy and certificate settings): %v", hostOf(urlErr.URL), urlErr.Err)
	}
	return err.Error()
}

func describeAPIError(e *openai.Error) string {
	msg := strings.TrimSpace(e.Message)
	if msg == "" {
		msg = "no error message in the answer" + notAPIAnswer(e)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "OpenAI API error %d", e.StatusCode)
	if e.Code != "" {
		fmt.Fprintf(&b, " (%s)", e.Code)
	}
	b.WriteString(": " + msg)
	if e.Param != "" {
		fmt.Fprintf(&b, " [param: %s]", e.Param)
	}
	switch e.StatusCode {
	case 401:
		b.WriteString(" — check the API key in the instance settings")
	case 404:
		if e.Code == "model_not_found" {
			b.WriteString(" — pick another model; gpt-list-models shows what this key can use")
		}
	case 429:
		if e.Code == "insufficient_quota" {
			b.WriteString(" — the key's organization is out of credit: check its plan and billing (not retried: waiting does not help)")
		} else {
			fmt.Fprintf(&b, " — rate limited (retried up to %d times, never past the command's timeout): try again later, or ask OpenAI for a higher rate limit", retry.MaxRetries)
		}
	}
	return b.String()
}

// notAPIAnswer describes an error answer that is not the API's JSON (a
// web server's 404 page, a proxy's 502), which names no OpenAI error: the
// URL, content type and start of the body, and what to check. The body,
// already read and bounded by the SDK, is put back.
func notAPIAnswer(e *openai.Error) string {
	if e.Response == nil || e.Request == nil || e.Response.Body == nil {
		return ""
	}
	ctype := e.Response.Header.Get("Content-Type")
	if media, _, _ := mime.ParseMediaType(ctype); media == "application/json" || strings.HasSuffix(media, "+json") {
		return ""
	}
	body, _ := io.ReadAll(e.Response.Body)
	e.Response.Body = io.NopCloser(bytes.NewReader(body))
	start := strings.Join(strings.Fields(strings.ToValidUTF8(string(body[:min(len(body), 80)]), "?")), " ")
	if ctype == "" {
		ctype = "none"
	}
	return fmt.Sprintf(" (%s answered Content-Type %s, starting %q): %s", httpguard.Endpoint(e.Request), ctype, start, notOpenAI)
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "the configured server"
	}
	return u.Host
}
