// Package settings turns an instance's parameters into checked, typed
// settings. Every error names the parameter and what it accepts, because
// the person reading it is configuring an instance, not reading code.
package settings

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/soarkit/openai-gpt/internal/redact"
)

// Defaults from the manifest's configuration, for a host that sends a
// parameter empty (internal/commands' facts test holds them to it).
const (
	DefaultOpenAIURL          = "https://api.openai.com/"
	DefaultChatGPTURL         = "https://api.chatgpt.com"
	DefaultModel              = "gpt-4o-mini"
	DefaultAuditMaxFetch      = 1000
	DefaultComplianceMaxFetch = 900
	DefaultFetchInterval      = time.Minute
)

// Settings are an instance's parameters, checked and typed.
type Settings struct {
	// HTTPLog, when set and at debug level, logs every outbound call the
	// clients built from HTTPClient make (see tracingTransport).
	HTTPLog hclog.Logger
	// Transports, when set, is the process's connection pools, which
	// HTTPClient's clients share; nil gives each client a pool of its own.
	Transports *Transports

	OpenAIBaseURL string // normalized, ends in "/v1/"
	APIKey        string
	Model         string // model-freetext, else model-select

	MaxTokens   *int64
	Temperature *float64
	TopP        *float64

	Insecure bool
	Proxy    bool

	AdminAPIKey      string
	ComplianceAPIKey string
	WorkspaceID      string
	ChatGPTBaseURL   string // normalized, ends in "/v1/"

	FetchEvents        bool
	EventTypes         []string // labels
	AuditMaxFetch      int
	ComplianceMaxFetch int
	FetchInterval      time.Duration
}

// Parse checks params and returns the settings, or an error listing every
// bad parameter. eventLabels are the event type labels the manifest offers.
func Parse(params map[string]any, eventLabels []string) (Settings, error) {
	p := reader{params: params}
	s := Settings{
		OpenAIBaseURL:    p.baseURL("url", DefaultOpenAIURL),
		APIKey:           p.str("apikey"),
		Model:            p.str("model-freetext"),
		MaxTokens:        p.optInt("max_tokens", 1, 1<<31),
		Temperature:      p.optFloat("temperature", 0, 2),
		TopP:             p.optFloat("top_p", 0, 1),
		Insecure:         p.boolean("insecure"),
		Proxy:            p.boolean("proxy"),
		AdminAPIKey:      p.str("admin_api_key"),
		ComplianceAPIKey: p.str("compliance_api_key"),
		WorkspaceID:      p.str("workspace_id"), // any form: only Compliance calls check it (internal/events)
		ChatGPTBaseURL:   p.baseURL("chatgpt_api_url", DefaultChatGPTURL),
		FetchEvents:      p.boolean("isFetchEvents"),
		EventTypes:       p.labels("event_types_to_fetch", eventLabels),
		AuditMaxFetch:    p.intDefault("audit_max_fetch", DefaultAuditMaxFetch, 1, 100000),
		ComplianceMaxFetch: p.intDefault("compliance_max_fetch", DefaultComplianceMaxFetch,
			1, 100000),
		FetchInterval: p.interval("eventFetchInterval"),
	}
	if s.Proxy {
		p.proxyEnv("proxy", os.Getenv)
	}
	if s.Model == "" {
		s.Model = p.str("model-select")
	}
	if s.Model == "" {
		s.Model = DefaultModel
	}
	return s, errors.Join(p.errs...)
}

// Secrets returns every credential, so callers can keep them out of what
// they show.
func (s Settings) Secrets() []string {
	var out []string
	for _, v := range []string{s.APIKey, s.AdminAPIKey, s.ComplianceAPIKey} {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// ParamSecrets returns every secret in raw instance params, before they
// are parsed (so even a parse error cannot echo one): the three keys, and
// the password of a server URL written as https://user:password@host.
func ParamSecrets(params map[string]any) []string {
	var out []string
	for _, name := range []string{"apikey", "admin_api_key", "compliance_api_key"} {
		if v, ok := params[name].(string); ok && v != "" {
			out = append(out, v)
		}
	}
	for _, name := range []string{"url", "chatgpt_api_url"} {
		raw, _ := params[name].(string)
		raw = strings.TrimSpace(raw)
		// As typed, even when the URL does not parse (its error would
		// quote it), and decoded.
		if typed, ok := redact.TypedURLPassword(raw); ok && typed != "" {
			out = append(out, typed)
			if pw, err := url.PathUnescape(typed); err == nil {
				out = append(out, pw)
			}
		}
		// As a url.URL prints it again.
		if u, err := url.Parse(raw); err == nil && u.User != nil {
			if pw, ok := u.User.Password(); ok && pw != "" {
				_, escaped, _ := strings.Cut(u.User.String(), ":")
				out = append(out, pw, escaped)
			}
		}
	}
	return out
}

// IsAzure reports whether the OpenAI URL is an Azure OpenAI resource, which
// authenticates with an api-key header instead of a bearer token: a classic
// Azure OpenAI resource, or an Azure AI Services / AI Foundry one serving
// the same API.
func (s Settings) IsAzure() bool {
	u, err := url.Parse(s.OpenAIBaseURL)
	if err != nil {
		return false
	}
	host := strings.ToLower(u.Hostname())
	for _, suffix := range []string{".openai.azure.com", ".cognitiveservices.azure.com", ".services.ai.azure.com"} {
		if strings.HasSuffix(host, suffix) {
			return true
		}
	}
	return false
}

// HTTPClient returns the client every outbound call uses: the system proxy
// only when `proxy` is set, certificate checks off only when `insecure` is,
// over the connection pool of s.Transports (a pool of its own when nil).
func (s Settings) HTTPClient() *http.Client {
	var t http.RoundTripper = s.Transports.transport(s.Proxy, s.Insecure)
	if s.HTTPLog != nil && s.HTTPLog.IsDebug() {
		t = tracingTransport{next: t, log: s.HTTPLog}
	}
	return &http.Client{Transport: t}
}

// proxyVars are the variables http.ProxyFromEnvironment reads.
var proxyVars = []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"}

// proxyEnv checks the proxy variables the way net/http will read them. Go
// uses a value that does not parse only as an error on each request, and
// never for a loopback server, so a bad one would pass a test against a
// local server and fail later; it is named here instead.
func (r *reader) proxyEnv(name string, getenv func(string) string) {
	for _, v := range proxyVars {
		val := getenv(v)
		if val == "" {
			continue
		}
		if reason := checkProxyURL(val); reason != "" {
			r.fail(name, "%s %q is not a proxy URL such as http://proxy.example:3128 (%s); fix or unset %s, or turn %s off",
				v, redact.URLPassword(val, redact.Mask), reason, v, name)
		}
	}
}

// checkProxyURL says what is wrong with a proxy URL, or "". As net/http
// does, a value without a scheme ("proxy:3128") is read as http.
func checkProxyURL(val string) string {
	u, err := url.Parse(val)
	if err != nil || u.Scheme == "" || u.Host == "" {
		// Only a value without a scheme: net/http would also prefix
		// "http://" to a broken "http://..." and find a host named "http".
		if strings.Contains(val, "://") {
			return "it does not parse as a URL" // url's error would quote a password
		}
		if u, err = url.Parse("http://" + val); err != nil {
			return "it does not parse as a URL"
		}
	}
	switch u.Scheme {
	case "http", "https", "socks5", "socks5h":
	default:
		return fmt.Sprintf("scheme %q; use http, https or socks5", u.Scheme)
	}
	if u.Hostname() == "" {
		return "no host"
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return fmt.Sprintf("port %q is not 1 to 65535", port)
		}
	}
	return ""
}

// NormalizeBaseURL accepts a server root with or without a trailing "/" or
// "/v1" and returns it ending in "/v1/".
func NormalizeBaseURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%q is not an http(s) URL such as https://api.openai.com/", redact.URLPassword(raw, redact.Mask))
	}
	if strings.Contains(u.Path, "@") {
		// https://user:12/34@host parses as host "user", port 12: a
		// password holding "/" read as a path.
		return "", fmt.Errorf("%q has an @ in its path: write a password's / as %%2F (https://user:pa%%2Fss@host)", redact.URLPassword(raw, redact.Mask))
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%q has a query or fragment; give the server root only", redact.URLPassword(raw, redact.Mask))
	}
	path := strings.TrimRight(u.Path, "/")
	path = strings.TrimSuffix(path, "/v1")
	u.Path = path + "/v1/"
	return u.String(), nil
}
