package e2e

import (
	"context"
	"encoding/json"
	neturl "net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
	"github.com/soarkit/openai-gpt/internal/protocol"
)

// TestSecretsNeverShown drives every kind of outcome (success, API errors,
// bad arguments, bad settings, a failed test-module, a fetch with a bad
// key) with recognisable keys, and looks for them in everything the plugin
// produced: entries, errors and log lines at debug level.
func TestSecretsNeverShown(t *testing.T) {
	const (
		apiKey        = "sk-canary-api-7f3a9c1e"
		adminKey      = "sk-admin-canary-44b2e0"
		complianceKey = "sk-compliance-canary-91d7"
		wrongKey      = "sk-canary-wrong-0d9e2b"
	)
	srv, url := startFake(t, fakeopenai.Config{APIKey: apiKey, AdminKey: adminKey, ComplianceKey: complianceKey, AuditEvents: 20, ComplianceEvents: 20})
	host := newMemHost()
	s, logs := launch(t, host)
	ctx := context.Background()

	params := map[string]any{
		"url": url, "apikey": apiKey, "admin_api_key": adminKey, "compliance_api_key": complianceKey,
		"workspace_id": fakeopenai.DefaultWorkspaceID, "chatgpt_api_url": url, "isFetchEvents": true,
	}
	withKey := func(k string) map[string]any {
		p := map[string]any{}
		for n, v := range params {
			p[n] = v
		}
		p["apikey"] = k
		return p
	}
	var seen []string
	record := func(v any, err error) {
		b, _ := json.Marshal(v)
		seen = append(seen, string(b))
		if err != nil {
			seen = append(seen, err.Error())
		}
	}

	record(s.Test(ctx, "t1", protocol.TestRequest{Params: params}))
	record(s.Test(ctx, "t2", protocol.TestRequest{Params: withKey(wrongKey)}))
	record(s.Execute(ctx, "c1", protocol.ExecuteRequest{Command: "gpt-send-message", Args: map[string]any{"message": "my key is " + apiKey}, Params: params}))
	record(s.Execute(ctx, "c2", protocol.ExecuteRequest{Command: "gpt-send-message", Args: map[string]any{"message": "hi"}, Params: withKey(wrongKey)}))
	srv.Script("chat", fakeopenai.Fault{Status: 400, Message: "bad request mentioning " + apiKey})
	record(s.Execute(ctx, "c3", protocol.ExecuteRequest{Command: "gpt-send-message", Args: map[string]any{"message": "hi"}, Params: params}))
	record(s.Execute(ctx, "c4", protocol.ExecuteRequest{Command: "gpt-list-models", Params: withKey(wrongKey)}))
	bad := withKey(apiKey)
	bad["temperature"] = "hot"
	record(s.Execute(ctx, "c5", protocol.ExecuteRequest{Command: "gpt-send-message", Args: map[string]any{"message": "hi"}, Params: bad}))
	fetchParams := withKey(apiKey)
	fetchParams["admin_api_key"] = wrongKey
	record(s.FetchEvents(ctx, "f1", protocol.FetchRequest{Params: fetchParams}))
	record(s.Execute(ctx, "e1", protocol.ExecuteRequest{Command: "openai-get-events", Args: map[string]any{"limit": 5.0}, Params: params}))

	// Passwords in server URLs: one with characters JSON and URLs escape,
	// one in a URL that does not even parse, one in a bad URL given to the
	// scheduled fetch.
	const urlPassword, unparsedPassword, fetchPassword = "Pw&<canary>77", "Pw<canary>&88%", "canary-fetch-pw-99"
	withURLs := withKey(apiKey)
	withURLs["chatgpt_api_url"] = strings.Replace(url, "http://", "http://user:"+neturl.PathEscape(urlPassword)+"@", 1)
	record(s.Execute(ctx, "e2", protocol.ExecuteRequest{Command: "openai-get-events", Args: map[string]any{"limit": 5.0}, Params: withURLs}))
	withURLs["chatgpt_api_url"] = "http://user:" + unparsedPassword + "@host/"
	record(s.Execute(ctx, "e3", protocol.ExecuteRequest{Command: "openai-get-events", Args: map[string]any{"limit": 5.0}, Params: withURLs}))
	withURLs["url"] = "htps://user:" + fetchPassword + "@host/"
	record(s.FetchEvents(ctx, "f2", protocol.FetchRequest{Params: withURLs}))

	time.Sleep(200 * time.Millisecond) // let the last forwarded log lines arrive
	all := strings.Join(seen, "\n") + "\n" + logs.String()
	require.NotEmpty(t, logs.String())
	for _, k := range []string{apiKey, adminKey, complianceKey, wrongKey} {
		assert.NotContains(t, all, k, "a key leaked")
	}
	assert.NotContains(t, all, "canary", "a URL password leaked")
	assert.Len(t, regexp.MustCompile(`user:\*+@`).FindAllString(all, -1), 3, "each URL was echoed, its password masked")
}
