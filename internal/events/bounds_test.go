package events

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// junkConfig is a Config whose both servers answer h.
func junkConfig(t *testing.T, h http.HandlerFunc) Config {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return Config{
		OpenAIBaseURL: srv.URL + "/v1/", AdminAPIKey: "sk-admin-bounds-0123456789",
		ChatGPTBaseURL: srv.URL + "/v1/", ComplianceAPIKey: "sk-compliance-bounds-0123456789",
		WorkspaceID: "5f2c6a10-8d1e-4f7b-9a55-0c3e2b7d9e41", EventTypes: Labels(), Now: clock,
	}
}

func auditEntries(n int) string {
	entries := make([]string, n)
	for i := range entries {
		entries[i] = fmt.Sprintf(`{"id":"audit_%d","type":"api_key.created","effective_at":%d}`, i, 1700000000+i)
	}
	return `{"object":"list","data":[` + strings.Join(entries, ",") + `],"has_more":true}`
}

func jsonAnswer(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(body))
	}
}

// TestAuditPageBounds: a page with more entries than asked, or larger than
// the page cap, is refused, naming the numbers.
func TestAuditPageBounds(t *testing.T) {
	ask := func(cfg Config) error {
		_, err := listAudit(context.Background(), cfg, auditClient(cfg), openai.AdminOrganizationAuditLogListParams{Limit: openai.Int(100)})
		return err
	}
	err := ask(junkConfig(t, jsonAnswer(auditEntries(101))))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the audit log page holds 101 entries, 100 were asked for")

	huge := `{"object":"list","data":[{"id":"a","effective_at":1,"blob":"` + strings.Repeat("x", 9<<20) + `"}]}`
	err = ask(junkConfig(t, jsonAnswer(huge)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "over the 8 MiB cap for this answer")

	err = ask(junkConfig(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html>captive portal</html>"))
	}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "/v1/organization/audit_logs is not JSON (HTTP 200, Content-Type text/html")
	assert.Contains(t, err.Error(), "the url parameter probably points at something that is not the OpenAI API")
	assert.NotContains(t, err.Error(), "sk-admin")
}

// TestComplianceListingBounds: the same for the compliance log listing.
func TestComplianceListingBounds(t *testing.T) {
	files := make([]string, 5)
	for i := range files {
		files[i] = fmt.Sprintf(`{"id":"f%d","event_type":"AUTH_LOG","end_time":"2026-01-01T00:00:0%dZ"}`, i, i)
	}
	cfg := junkConfig(t, jsonAnswer(`{"object":"list","data":[`+strings.Join(files, ",")+`],"has_more":true}`))
	_, err := mustComplianceClient(t, cfg).list(context.Background(), "2026-01-01T00:00:00Z", 3)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the compliance log listing holds 5 files, 3 were asked for")

	cfg = junkConfig(t, jsonAnswer(`{"object":"list","data":[],"pad":"`+strings.Repeat("x", 5<<20)+`"}`))
	_, err = mustComplianceClient(t, cfg).list(context.Background(), "2026-01-01T00:00:00Z", 3)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "over the 4 MiB cap for this answer")

	cfg = junkConfig(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html>captive portal</html>"))
	})
	_, err = mustComplianceClient(t, cfg).list(context.Background(), "2026-01-01T00:00:00Z", 3)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is not JSON (HTTP 200, Content-Type text/html")
	assert.Contains(t, err.Error(), "chatgpt_api_url")
}

// TestGetResultIsBounded: openai-get-events holds its whole result, so a
// server sending large entries stops the stream at maxGetBytes, keeping
// what came before, rather than growing the result with limit.
func TestGetResultIsBounded(t *testing.T) {
	pad := strings.Repeat("x", 200<<10)
	cfg := junkConfig(t, func(w http.ResponseWriter, r *http.Request) {
		entries := make([]string, 20)
		for i := range entries {
			entries[i] = fmt.Sprintf(`{"id":"audit_%s_%d","type":"api_key.created","effective_at":%d,"pad":"%s"}`, r.URL.Query().Get("after"), i, testNow.Unix()-int64(i)-1, pad)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"object":"list","data":[` + strings.Join(entries, ",") + `],"has_more":true}`))
	})
	got, streams := Get(context.Background(), cfg, GetOptions{EventTypes: []string{AuditLabel}, Limit: 10000})
	require.Len(t, streams, 1)
	require.Error(t, streams[0].Err)
	assert.Contains(t, streams[0].Err.Error(), "the bound of one openai-get-events result")
	var size int
	for _, e := range got {
		size += len(e)
	}
	assert.NotEmpty(t, got)
	assert.LessOrEqual(t, size, maxGetBytes)
}

// mustComplianceClient is newComplianceClient for a config known to be good.
func mustComplianceClient(t *testing.T, cfg Config) *complianceClient {
	t.Helper()
	c, err := newComplianceClient(cfg)
	require.NoError(t, err)
	return c
}
