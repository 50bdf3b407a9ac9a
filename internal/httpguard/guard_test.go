package httpguard

import (
	"context"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/plugintest"
)

// get asks srv for a JSON document through an SDK client guarded by r,
// with the SDK's retries (fast), and counts the requests srv saw.
func get(t *testing.T, r Route, h http.HandlerFunc) (map[string]any, int64, error) {
	t.Helper()
	url, hits := plugintest.CountingServer(t, h)
	c := openai.Client{Options: []option.RequestOption{
		option.WithBaseURL(url + "/v1/"), option.WithAPIKey("sk-guard-test-key"),
		option.WithMaxRetries(2), option.WithMaxRetryDelay(time.Millisecond), r.Option(),
	}}
	var out map[string]any
	err := c.Get(context.Background(), "things", nil, &out, option.WithQuery("secret", "s3cr3t-query"))
	return out, hits.Load(), err
}

var route = Route{Name: "thing list", MaxBytes: 1 << 10, IdleTimeout: 200 * time.Millisecond,
	HeaderTimeout: 200 * time.Millisecond, Hint: "check the url parameter"}

func TestGuardPassesAGoodAnswer(t *testing.T) {
	out, hits, err := get(t, route, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"a":1}`))
	})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"a": 1.0}, out)
	assert.EqualValues(t, 1, hits)
}

func TestGuardForgivesAMislabelledObject(t *testing.T) {
	out, _, err := get(t, route, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte(`{"a":1}`))
	})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"a": 1.0}, out)
}

func TestGuardTooLarge(t *testing.T) {
	big := `{"a":"` + strings.Repeat("x", 2<<10) + `"}`
	for name, h := range map[string]http.HandlerFunc{
		"announced": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(big))
		},
		"chunked": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			for i := 0; i < len(big); i += 100 {
				w.Write([]byte(big[i:min(i+100, len(big))]))
				w.(http.Flusher).Flush()
			}
		},
		"error answer": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			for i := 0; i < len(big); i += 100 {
				w.Write([]byte(big[i:min(i+100, len(big))]))
				w.(http.Flusher).Flush()
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			_, hits, err := get(t, route, h)
			var tl *TooLargeError
			require.ErrorAs(t, err, &tl)
			assert.Regexp(t, `thing list\)? from GET http://127\.0\.0\.1:`, err.Error())
			assert.Contains(t, err.Error(), "over the 1 KiB cap for this answer")
			assert.NotContains(t, err.Error(), "s3cr3t")
			assert.EqualValues(t, 1, hits, "a refusal is not retried")
		})
	}
}

func TestGuardJunk(t *testing.T) {
	cases := map[string]struct {
		ctype, body, want string
	}{
		"html": {"text/html; charset=utf-8", "<!DOCTYPE html>\n<html><title>Sign in</title>",
			`is not JSON (HTTP 200, Content-Type text/html; charset=utf-8, starts "<!DOCTYPE html> <html><title>Sign in</title>"): check the url parameter`},
		"invalid json":  {"application/json", `{"a":`, `is not JSON (HTTP 200, Content-Type application/json, starts "{\"a\":")`},
		"not an object": {"application/json", `["a"]`, `is not JSON (HTTP 200, Content-Type application/json, starts "[\"a\"]")`},
		"empty":         {"", ``, `is not JSON (HTTP 200, Content-Type none, starts "")`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, hits, err := get(t, route, func(w http.ResponseWriter, _ *http.Request) {
				w.Header()["Content-Type"] = []string{c.ctype}
				w.Write([]byte(c.body))
			})
			var nj *NotJSONError
			require.ErrorAs(t, err, &nj)
			assert.Contains(t, err.Error(), "/v1/things ")
			assert.Contains(t, err.Error(), c.want)
			assert.NotContains(t, err.Error(), "s3cr3t")
			assert.EqualValues(t, 1, hits)
		})
	}
}

func TestGuardStalls(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	t.Run("headers", func(t *testing.T) {
		_, hits, err := get(t, route, func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		})
		var te *TimeoutError
		require.ErrorAs(t, err, &te)
		assert.Contains(t, err.Error(), "stalled: no answer headers within 200ms")
		assert.EqualValues(t, 3, hits, "a stall is retried like a dropped connection")
	})
	t.Run("body", func(t *testing.T) {
		_, hits, err := get(t, route, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"a":`))
			w.(http.Flusher).Flush()
			select {
			case <-release:
			case <-r.Context().Done():
			}
		})
		var te *TimeoutError
		require.ErrorAs(t, err, &te)
		assert.Contains(t, err.Error(), "stalled: no further data within 200ms")
		assert.EqualValues(t, 3, hits)
	})
}

// TestGuardTransport: outside the SDK, a stalled download ends at the idle
// timeout, and an announced length over the cap is refused.
func TestGuardTransport(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/big" {
			w.Header().Set("Content-Length", "4096")
			w.Write(make([]byte, 4096))
			return
		}
		w.Write([]byte("first part of a file\n"))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	c := &http.Client{Transport: route.Transport(http.DefaultTransport)}
	err := readVia(t, c, srv.URL+"/file?sig=s3cr3t")
	var te *TimeoutError
	require.ErrorAs(t, err, &te)
	assert.Contains(t, err.Error(), "/file stalled: no further data within 200ms")
	assert.NotContains(t, err.Error(), "s3cr3t")

	_, err = c.Get(srv.URL + "/big")
	var tl *TooLargeError
	require.ErrorAs(t, err, &tl)
	assert.Contains(t, err.Error(), "is 4096 bytes, over the 1 KiB cap")
}

// TestGuardBoundsErrorAnswers: a route whose answers may be huge (a log
// file) still bounds an error answer at MaxErrorBytes, announced or not,
// through the SDK (which reads an error body whole) and through the
// transport.
func TestGuardBoundsErrorAnswers(t *testing.T) {
	endless := func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		chunk := []byte(strings.Repeat("<p>not found</p>", 4096))
		for range 2 * MaxErrorBytes / len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}
	files := Route{Name: "log file", MaxBytes: math.MaxInt64}

	_, _, err := get(t, files, endless)
	var tl *TooLargeError
	require.ErrorAs(t, err, &tl)
	assert.Contains(t, err.Error(), "HTTP 404 error answer (in place of a log file)")
	assert.Contains(t, err.Error(), "1 MiB cap")

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/announced" {
			w.Header().Set("Content-Length", strconv.Itoa(2*MaxErrorBytes))
		}
		endless(w, r)
	}))
	t.Cleanup(srv.Close)
	c := &http.Client{Transport: files.Transport(http.DefaultTransport)}
	require.ErrorAs(t, readVia(t, c, srv.URL+"/streamed"), &tl)
	_, err = c.Get(srv.URL + "/announced")
	require.ErrorAs(t, err, &tl)
	assert.Contains(t, err.Error(), "is 2097152 bytes")
}

// readVia GETs url through c and reads the answer to its end: the read's
// error, where a guarded transport reports a stall or a cap.
func readVia(t *testing.T, c *http.Client, url string) error {
	t.Helper()
	res, err := c.Get(url)
	require.NoError(t, err)
	defer res.Body.Close()
	_, err = io.ReadAll(res.Body)
	return err
}
