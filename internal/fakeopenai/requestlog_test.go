package fakeopenai

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/plugintest"
)

// TestRequestLog: one JSON line per request with method, path, query,
// body, status and latency; no key appears, not even a wrong one sent by
// the client or one typed into a prompt, nor a signed URL's signature.
func TestRequestLog(t *testing.T) {
	var out plugintest.SyncBuffer
	s := New(Config{ComplianceEvents: 20, Seed: 1, OnExchange: NewRequestLog(&out, DefaultAPIKey, DefaultAdminKey, DefaultComplianceKey)})
	base, err := s.Start("")
	require.NoError(t, err)
	t.Cleanup(s.Close)

	chat := postRaw(t, "POST", base+"/v1/chat/completions?trace=1", map[string]any{
		"model": "gpt-4o", "messages": []map[string]any{{"role": "user", "content": "my key is " + DefaultAPIKey}},
	})
	require.Equal(t, http.StatusOK, chat.status, string(chat.body))
	wrong := sendRaw(t, "GET", base+"/v1/models", nil, map[string]string{"Authorization": "Bearer sk-wrong-key-abcdefgh"})
	require.Equal(t, http.StatusUnauthorized, wrong.status)
	// A compliance file: the listing, the redirect, the signed download.
	listURL := base + "/v1/compliance/workspaces/" + DefaultWorkspaceID + "/logs?after=2000-01-01T00:00:00Z&event_type=AUDIT_LOG"
	var l listing
	get(t, listURL, DefaultComplianceKey, &l)
	require.NotEmpty(t, l.Data)
	loc := get(t, base+"/v1/compliance/workspaces/"+DefaultWorkspaceID+"/logs/"+l.Data[0].ID, DefaultComplianceKey, nil).Header.Get("Location")
	require.Contains(t, loc, "sig=")
	get(t, loc, "", nil)

	// The download's answer has a Content-Length: the client can have it
	// all before the server's handler, and so the hook, returns.
	require.Eventually(t, func() bool { return strings.Count(out.String(), "\n") == 5 }, 10*time.Second, 10*time.Millisecond)
	text := out.String()
	for _, secret := range []string{DefaultAPIKey, "sk-wrong-key-abcdefgh", DefaultComplianceKey, loc[strings.Index(loc, "sig=")+4:]} {
		assert.NotContains(t, text, secret)
	}
	type line struct {
		Method    string          `json:"method"`
		Path      string          `json:"path"`
		Query     string          `json:"query"`
		Body      json.RawMessage `json:"body"`
		Status    int             `json:"status"`
		LatencyMS *float64        `json:"latency_ms"`
	}
	var lines []line
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		var l line
		require.NoError(t, json.Unmarshal(sc.Bytes(), &l), sc.Text())
		require.NotNil(t, l.LatencyMS, sc.Text())
		lines = append(lines, l)
	}
	require.Len(t, lines, 5, text)
	assert.Equal(t, "POST", lines[0].Method)
	assert.Equal(t, "/v1/chat/completions", lines[0].Path)
	assert.Equal(t, "trace=1", lines[0].Query)
	assert.Equal(t, 200, lines[0].Status)
	var body map[string]any
	require.NoError(t, json.Unmarshal(lines[0].Body, &body), "a JSON body is logged as JSON")
	assert.Equal(t, "gpt-4o", body["model"])
	assert.Contains(t, string(lines[0].Body), "my key is ********")
	assert.Equal(t, 401, lines[1].Status)
	assert.Equal(t, 307, lines[3].Status)
	assert.Equal(t, 200, lines[4].Status, "the signed download on the blob host is logged too")
	assert.Contains(t, lines[4].Query, "sig=********")
}

// TestShutdownWaitsForTheHook: a client can have its whole answer before
// the handler (and so the OnExchange hook) returns. Shutdown, what
// `host-sim fake-openai` does on Ctrl-C, waits for the hook, so the request
// log holds every request a client saw answered. Close does not wait.
func TestShutdownWaitsForTheHook(t *testing.T) {
	var base string
	var logged atomic.Bool
	entered := make(chan struct{})
	s := New(Config{OnExchange: func(Exchange) {
		close(entered)
		// Stay in the hook until the server refuses new connections: the
		// shutdown has begun, and would end here without waiting for us.
		for {
			c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
			if err != nil {
				break
			}
			c.Close()
			runtime.Gosched()
		}
		logged.Store(true)
	}})
	base, err := s.Start("")
	require.NoError(t, err)
	t.Cleanup(s.Close)

	go func() {
		req, _ := http.NewRequest(http.MethodGet, base+"/v1/models", nil)
		req.Header.Set("Authorization", "Bearer "+DefaultAPIKey)
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
		}
	}()
	<-entered
	require.NoError(t, s.Shutdown(context.Background()))
	assert.True(t, logged.Load(), "Shutdown returned while a request was still being reported")
}
