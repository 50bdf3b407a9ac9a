package settings

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// auditLabel is the audit stream's label (events.AuditLabel).
const auditLabel = "OpenAI Audit logs"

var labels = []string{auditLabel, "Conversation Messages", "Apps"}

func TestParseDefaults(t *testing.T) {
	s, err := Parse(map[string]any{"apikey": "sk-test"}, labels)
	require.NoError(t, err)
	assert.Equal(t, "https://api.openai.com/v1/", s.OpenAIBaseURL)
	assert.Equal(t, "https://api.chatgpt.com/v1/", s.ChatGPTBaseURL)
	assert.Equal(t, DefaultModel, s.Model)
	assert.Nil(t, s.Temperature, "unset values stay unset so they are not sent")
	assert.Equal(t, labels, s.EventTypes)
	assert.Equal(t, DefaultAuditMaxFetch, s.AuditMaxFetch)
	assert.Equal(t, DefaultFetchInterval, s.FetchInterval)
}

func TestParseValues(t *testing.T) {
	s, err := Parse(map[string]any{
		"model-select": "o3", "model-freetext": "gpt-5-2026-01-01",
		"temperature": "0.2", "top_p": 0.5, "max_tokens": "300",
		"isFetchEvents": "true", "event_types_to_fetch": "Apps, OpenAI Audit logs",
		"workspace_id": "5f2c6a10-8d1e-4f7b-9a55-0c3e2b7d9e41", "eventFetchInterval": "5",
	}, labels)
	require.NoError(t, err)
	assert.Equal(t, "gpt-5-2026-01-01", s.Model, "free text overrides the select")
	assert.Equal(t, 0.2, *s.Temperature)
	assert.Equal(t, 0.5, *s.TopP)
	assert.Equal(t, int64(300), *s.MaxTokens)
	assert.True(t, s.FetchEvents)
	assert.Equal(t, []string{"Apps", auditLabel}, s.EventTypes)
	assert.Equal(t, "5m0s", s.FetchInterval.String())
}

func TestParseErrorsNameTheParameter(t *testing.T) {
	tests := []struct {
		name  string
		param map[string]any
		want  string
	}{
		{"temperature range", map[string]any{"temperature": "3"}, "parameter temperature: 3 is out of range (allowed: 0 to 2)"},
		{"top_p range", map[string]any{"top_p": "-0.1"}, "parameter top_p: -0.1 is out of range (allowed: 0 to 1)"},
		{"non-numeric max", map[string]any{"max_tokens": "many"}, `parameter max_tokens: "many" is not a number`},
		{"fractional max", map[string]any{"audit_max_fetch": "1.5"}, "parameter audit_max_fetch: 1.5 is not a whole number"},
		{"malformed url", map[string]any{"url": "api.openai.com"}, `parameter url: "api.openai.com" is not an http(s) URL`},
		{"unknown event type", map[string]any{"event_types_to_fetch": "Apps,Nope"}, `parameter event_types_to_fetch: unknown event type "Nope"`},
		{"boolean", map[string]any{"insecure": "maybe"}, `parameter insecure: "maybe" is not a boolean`},
		{"interval", map[string]any{"eventFetchInterval": "soon"}, `parameter eventFetchInterval: "soon" is not an interval`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.param, labels)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestWorkspaceIDAnyForm: the instance takes any non-empty workspace id as
// given; only the Compliance calls judge its form (internal/events), so a
// bad one never breaks the gpt-* commands.
func TestWorkspaceIDAnyForm(t *testing.T) {
	for _, id := range []string{"5f2c6a10-8d1e-4f7b-9a55-0c3e2b7d9e41", "ws-1", "org_Abc.42", "not a valid id!"} {
		s, err := Parse(map[string]any{"apikey": "sk-x", "workspace_id": " " + id + " "}, labels)
		require.NoError(t, err, id)
		assert.Equal(t, id, s.WorkspaceID)
	}
}

func TestNormalizeBaseURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://api.openai.com":                  "https://api.openai.com/v1/",
		"https://api.openai.com/":                 "https://api.openai.com/v1/",
		"https://api.openai.com/v1":               "https://api.openai.com/v1/",
		"https://api.openai.com/v1/":              "https://api.openai.com/v1/",
		"http://127.0.0.1:8080":                   "http://127.0.0.1:8080/v1/",
		"https://res.openai.azure.com/openai/v1/": "https://res.openai.azure.com/openai/v1/",
		" https://llm.internal/proxy/openai/ ":    "https://llm.internal/proxy/openai/v1/",
	} {
		got, err := NormalizeBaseURL(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "ftp://x", "https://", "https://x/?a=b", "://"} {
		_, err := NormalizeBaseURL(bad)
		assert.Error(t, err, bad)
	}
}

func TestIsAzure(t *testing.T) {
	for url, want := range map[string]bool{
		"https://soc.openai.azure.com/openai/":              true,
		"https://SOC.OpenAI.Azure.com/openai/v1":            true,
		"https://soc.cognitiveservices.azure.com/openai/":   true,
		"https://soc-foundry.services.ai.azure.com/openai/": true,
		"https://api.openai.com/":                           false,
		"https://openai.azure.com.attacker.example/":        false,
		"https://proxy.example.com/openai.azure.com/":       false,
	} {
		s, err := Parse(map[string]any{"url": url}, labels)
		require.NoError(t, err, url)
		assert.Equal(t, want, s.IsAzure(), url)
	}
	s, _ := Parse(nil, labels)
	assert.False(t, s.IsAzure())
}

func TestParamSecrets(t *testing.T) {
	got := ParamSecrets(map[string]any{
		"apikey":          "sk-live-123456789",
		"admin_api_key":   "",
		"url":             "https://user:p%40ss%20w0rd@proxy.example.com/",
		"chatgpt_api_url": "https://api.chatgpt.com",
		"workspace_id":    "not-a-secret",
	})
	assert.Contains(t, got, "sk-live-123456789")
	assert.Contains(t, got, "p@ss w0rd")     // decoded
	assert.Contains(t, got, "p%40ss%20w0rd") // as typed and as url.URL prints it
	assert.NotContains(t, got, "not-a-secret")
	assert.NotContains(t, got, "")

	// A URL that does not parse still gives up its password as typed.
	got = ParamSecrets(map[string]any{"chatgpt_api_url": "http://user:Secr&t<99>@host/"})
	assert.Contains(t, got, "Secr&t<99>")

	// A password holding "/", "?" or "#" is not cut there, and the error
	// that refuses its URL does not quote it.
	for _, pw := range []string{"pa/ss99", "pa?ss99", "pa#ss99", "1234/5678"} {
		params := map[string]any{"url": "https://user:" + pw + "@host/"}
		assert.Contains(t, ParamSecrets(params), pw)
		_, err := Parse(params, labels)
		require.Error(t, err, pw)
		assert.NotContains(t, err.Error(), pw)
	}
}

// TestHTTPClientProxy: the system proxy is used only when `proxy` is set;
// otherwise a proxy variable in the plugin's environment changes nothing.
func TestHTTPClientProxy(t *testing.T) {
	t.Setenv("HTTPS_PROXY", "http://proxy.soc.example:3128")
	t.Setenv("NO_PROXY", "")
	req, _ := http.NewRequest(http.MethodGet, "https://api.openai.com/v1/models", nil)

	off := Settings{}.HTTPClient().Transport.(*http.Transport)
	assert.Nil(t, off.Proxy, "proxy off: direct, whatever the environment says")

	on := Settings{Proxy: true}.HTTPClient().Transport.(*http.Transport)
	require.NotNil(t, on.Proxy)
	u, err := on.Proxy(req)
	require.NoError(t, err)
	require.NotNil(t, u)
	assert.Equal(t, "proxy.soc.example:3128", u.Host)
}
