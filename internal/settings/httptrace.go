package settings

import (
	"net/http"
	"time"

	"github.com/hashicorp/go-hclog"
)

// tracingTransport logs each outbound HTTP call at debug level: method,
// host and path, status, latency, OpenAI's request id and the SDK's retry
// count, so `host-sim -v` shows what the plugin asked of which server. It
// never logs headers other than those two, nor the query (signed download
// URLs carry their signature there), nor bodies; and every log line of the
// plugin also passes through the secret redactor.
type tracingTransport struct {
	next http.RoundTripper
	log  hclog.Logger
}

// retryHeader is the header openai-go sets to the attempt's retry number.
const retryHeader = "X-Stainless-Retry-Count"

func (t tracingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	res, err := t.next.RoundTrip(req)
	args := []any{"method", req.Method, "host", req.URL.Host, "path", req.URL.Path,
		"latency", time.Since(start).Round(100 * time.Microsecond).String()}
	if n := req.Header.Get(retryHeader); n != "" && n != "0" {
		args = append(args, "retry", n)
	}
	if err != nil {
		t.log.Debug("http call failed", append(args, "error", err.Error())...)
		return res, err
	}
	args = append(args, "status", res.StatusCode)
	if id := res.Header.Get("X-Request-Id"); id != "" {
		args = append(args, "request_id", id)
	}
	t.log.Debug("http", args...)
	return res, err
}
