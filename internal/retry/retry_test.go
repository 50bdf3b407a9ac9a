package retry

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAfter(t *testing.T) {
	for _, tc := range []struct {
		name   string
		header http.Header
		want   time.Duration
		ok     bool
	}{
		{"none", http.Header{}, 0, false},
		{"seconds", http.Header{"Retry-After": {"2"}}, 2 * time.Second, true},
		{"fractional seconds", http.Header{"Retry-After": {"0.5"}}, 500 * time.Millisecond, true},
		{"milliseconds win", http.Header{"Retry-After-Ms": {"250"}, "Retry-After": {"9"}}, 250 * time.Millisecond, true},
		{"garbage", http.Header{"Retry-After": {"soon"}}, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := After(tc.header)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.want, got)
		})
	}
	date := http.Header{"Retry-After": {time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)}}
	got, ok := After(date)
	assert.True(t, ok, "an HTTP date is a Retry-After too")
	assert.InDelta(t, time.Hour.Seconds(), got.Seconds(), 2)
}

// answer is a middleware "next" that answers status with these headers.
func answer(status int, header http.Header, body string) func(*http.Request) (*http.Response, error) {
	return func(*http.Request) (*http.Response, error) {
		if header == nil {
			header = http.Header{}
		}
		return &http.Response{StatusCode: status, Header: header.Clone(), Body: io.NopCloser(strings.NewReader(body))}, nil
	}
}

// TestPolicy: what the SDK is told about retrying each answer; "" leaves
// its own decision (it retries 429 and 5xx).
func TestPolicy(t *testing.T) {
	for _, tc := range []struct {
		status     int
		retryAfter string
		deadline   time.Duration // 0: none
		want       string
	}{
		{200, "", 0, ""},
		{400, "", 0, "false"},
		{401, "", 0, "false"},
		{408, "", 0, "false"},
		{409, "", 0, "false"},
		{429, "", 0, ""},
		{429, "1", time.Minute, ""},
		{429, "120", time.Minute, "false"},
		{429, "120", 0, ""},
		{500, "", 0, ""},
		{501, "", 0, "false"},
		{502, "", 0, ""},
		{503, "5", time.Second, "false"},
		{504, "", 0, ""},
		{505, "", 0, "false"},
	} {
		ctx := context.Background()
		if tc.deadline > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, tc.deadline)
			defer cancel()
		}
		req := httptest.NewRequestWithContext(ctx, http.MethodPost, "http://api.test/v1/x", nil)
		h := http.Header{}
		if tc.retryAfter != "" {
			h.Set("Retry-After", tc.retryAfter)
		}
		res, err := Policy(req, answer(tc.status, h, ""))
		require.NoError(t, err)
		assert.Equal(t, tc.want, res.Header.Get("x-should-retry"), "%d Retry-After=%q deadline=%s", tc.status, tc.retryAfter, tc.deadline)
	}
}

func TestPolicyOutOfQuota(t *testing.T) {
	req := httptest.NewRequest(http.MethodPost, "http://api.test/v1/x", nil)
	const quota = `{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}`
	res, err := Policy(req, answer(429, nil, quota))
	require.NoError(t, err)
	assert.Equal(t, "false", res.Header.Get("x-should-retry"), "no wait cures an empty account")
	body, _ := io.ReadAll(res.Body)
	assert.Equal(t, quota, string(body), "the body is still there for the SDK's error")

	res, err = Policy(req, answer(429, nil, `{"error":{"code":"rate_limit_exceeded"}}`))
	require.NoError(t, err)
	assert.Empty(t, res.Header.Get("x-should-retry"), "a rate limit is retried")
}

// cutReader gives some bytes, then fails as a dropped connection does.
type cutReader struct{ given bool }

func (c *cutReader) Read(p []byte) (int, error) {
	if c.given {
		return 0, io.ErrUnexpectedEOF
	}
	c.given = true
	return copy(p, `{"id":"chatcmpl-`), nil
}

func TestWholeBody(t *testing.T) {
	req := httptest.NewRequest(http.MethodPost, "http://api.test/v1/x", nil)

	res, err := WholeBody(req, answer(200, nil, `{"ok":true}`))
	require.NoError(t, err)
	b, _ := io.ReadAll(res.Body)
	assert.Equal(t, `{"ok":true}`, string(b), "a whole answer passes through")

	res, err = WholeBody(req, func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(&cutReader{})}, nil
	})
	assert.Nil(t, res, "no response: the SDK retries it as a connection error")
	var cut *CutOffError
	require.ErrorAs(t, err, &cut)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)

	res, err = WholeBody(req, answer(500, nil, `{"error":{}}`))
	require.NoError(t, err)
	assert.Equal(t, 500, res.StatusCode, "error answers are the SDK's to read")

	boom := errors.New("dial refused")
	_, err = WholeBody(req, func(*http.Request) (*http.Response, error) { return nil, boom })
	assert.ErrorIs(t, err, boom)
}

func TestWait(t *testing.T) {
	soon, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for _, tc := range []struct {
		name          string
		ctx           context.Context
		ask, fallback time.Duration
		want          time.Duration
		ok            bool
	}{
		{"no ask: the fallback", context.Background(), NotAsked, 400 * time.Millisecond, 400 * time.Millisecond, true},
		{"asked for no wait", context.Background(), 0, 400 * time.Millisecond, 0, true},
		{"the server's ask", context.Background(), 3 * time.Second, 400 * time.Millisecond, 3 * time.Second, true},
		{"an hour is capped", context.Background(), time.Hour, 0, maxDelay, true},
		{"a long fallback is capped", context.Background(), NotAsked, time.Hour, maxDelay, true},
		{"past the deadline", soon, 10 * time.Minute, 0, maxDelay, false},
		{"within the deadline", soon, 100 * time.Millisecond, 0, 100 * time.Millisecond, true},
	} {
		got, ok := Wait(tc.ctx, tc.ask, tc.fallback)
		assert.Equal(t, tc.want, got, tc.name)
		assert.Equal(t, tc.ok, ok, tc.name)
	}
}
