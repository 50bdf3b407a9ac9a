package settings

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHTTPTrace: at debug level every call is logged with method, host,
// path, status, latency, request id and retry count; never the query, the
// headers or the key. Above debug nothing is wrapped.
func TestHTTPTrace(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Request-Id", "req_123")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	var buf bytes.Buffer
	s := Settings{HTTPLog: hclog.New(&hclog.LoggerOptions{Level: hclog.Debug, Output: &buf})}
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/v1/models?sig=secret-signature", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer sk-test-secret")
	req.Header.Set(retryHeader, "2")
	res, err := s.HTTPClient().Do(req)
	require.NoError(t, err)
	res.Body.Close()
	line := buf.String()
	for _, want := range []string{"method=GET", "host=" + strings.TrimPrefix(srv.URL, "http://"), "path=/v1/models", "status=429", "request_id=req_123", "retry=2", "latency="} {
		assert.Contains(t, line, want)
	}
	assert.NotContains(t, line, "secret")

	s.HTTPLog = hclog.New(&hclog.LoggerOptions{Level: hclog.Info, Output: &buf})
	_, traced := s.HTTPClient().Transport.(tracingTransport)
	assert.False(t, traced, "no tracing cost without -v")
}
