// Package gpt is a thin layer over openai-go: it builds clients from a
// Config (never from the process environment), applies the
// retry policy, and turns API answers and errors into what commands show.
package gpt

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"

	"github.com/soarkit/openai-gpt/internal/httpguard"
	"github.com/soarkit/openai-gpt/internal/retry"
)

// Config is everything a model API client is built from. The plugin
// builds it in one place (commands/config.go) from the instance settings
// and the call's arguments.
type Config struct {
	BaseURL string // the API's base URL, such as https://api.openai.com/v1/
	APIKey  string
	// Azure sends the key in Azure OpenAI's api-key header instead of a
	// bearer token.
	Azure bool
	// HTTPClient carries the instance's proxy and TLS settings; nil is a
	// client without proxy. The client is copied, not changed.
	HTTPClient *http.Client
	// Model is the model of a request that names none.
	Model string
	// Gen is the sampling settings of a request that sets none.
	Gen Generation
}

// Client holds the OpenAI services the commands use.
type Client struct {
	Completions  openai.ChatCompletionService
	ResponsesAPI responses.ResponseService
	Models       openai.ModelService
	Moderations  openai.ModerationService

	// pollInterval is the first wait between polls of a background response.
	pollInterval time.Duration
	model        string     // Config.Model
	gen          Generation // Config.Gen
}

// New builds a client for the model API from cfg. Every option is
// explicit: openai.NewClient would also read OPENAI_BASE_URL,
// OPENAI_API_KEY and friends from the environment, letting a stray
// variable redirect calls or swap keys, so the services are built from
// these options alone.
func New(cfg Config) *Client {
	opts := options(cfg)
	// Each service gets its route's bounds; Clip so that no two appends
	// share opts' backing array.
	guarded := func(r httpguard.Route) []option.RequestOption {
		return append(slices.Clip(opts), r.Option())
	}
	return &Client{
		Completions:  openai.NewChatCompletionService(guarded(chatRoute)...),
		ResponsesAPI: responses.NewResponseService(guarded(responsesRoute)...),
		Models:       openai.NewModelService(guarded(modelsRoute)...),
		Moderations:  openai.NewModerationService(guarded(moderationsRoute)...),
		pollInterval: 500 * time.Millisecond,
		model:        cfg.Model,
		gen:          cfg.Gen,
	}
}

// defaults fills a request's model and sampling settings from the
// client's Config where the request leaves them out.
func (c *Client) defaults(model string, gen Generation) (string, Generation) {
	if model == "" {
		model = c.model
	}
	if gen == (Generation{}) {
		gen = c.gen
	}
	return model, gen
}

// notOpenAI is what to check when an answer is not the API's JSON.
const notOpenAI = "the url parameter probably points at something that is not the OpenAI API"

// The bounds of each route's answers. A model answer holds at most the
// model's output (128k tokens is about 512 KiB of text) plus metadata, so
// 4 MiB is several times any real one; a larger cap would let one answer
// cost the plugin past its memory bound (an accepted answer costs about 25
// times its size on its way to entries and context: 132 MiB peak RSS at
// 3.8 MiB). Model answers get no header timeout: their headers come once
// the answer is generated, which may take minutes; the host's deadline
// bounds that wait.
var (
	chatRoute = httpguard.Route{Name: "chat completion", MaxBytes: 4 << 20,
		IdleTimeout: time.Minute, Hint: notOpenAI}
	responsesRoute = httpguard.Route{Name: "Responses API answer", MaxBytes: 4 << 20,
		IdleTimeout: time.Minute, Hint: notOpenAI}
	modelsRoute = httpguard.Route{Name: "model list", MaxBytes: 4 << 20,
		HeaderTimeout: time.Minute, IdleTimeout: time.Minute, Hint: notOpenAI}
	moderationsRoute = httpguard.Route{Name: "moderation result", MaxBytes: 4 << 20,
		IdleTimeout: time.Minute, Hint: notOpenAI}
)

// options are the request options of the model API client: base URL, the
// instance's HTTP client (proxy, TLS), the key and the retry policy; a
// model answer cut off mid-body is retried like a dropped connection.
func options(cfg Config) []option.RequestOption {
	hc := http.Client{Transport: noProxy()}
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	}
	hc.CheckRedirect = sameHostRedirects
	opts := append(retry.Options(),
		option.WithBaseURL(cfg.BaseURL),
		option.WithHTTPClient(&hc),
		option.WithAPIKey(cfg.APIKey),
	)
	if cfg.Azure {
		opts = append(opts, option.WithMiddleware(azureKeyHeader))
	}
	return opts
}

// noProxy is the default transport without the environment's proxy: only
// the instance's proxy setting may send calls through one.
func noProxy() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil
	return t
}

// azureKeyHeader moves the key from the bearer token to Azure OpenAI's
// api-key header.
func azureKeyHeader(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
	if key, ok := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer "); ok {
		req.Header.Del("Authorization")
		req.Header.Set("api-key", key)
	}
	return next(req)
}

// sameHostRedirects refuses a redirect to another host: net/http drops the
// Authorization header there, but not Azure's api-key header, which would
// hand the key to whoever the redirect names.
func sameHostRedirects(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if req.URL.Host != via[0].URL.Host {
		return fmt.Errorf("refused a redirect from %s to another host, %s, which would receive the API key", via[0].URL.Host, req.URL.Host)
	}
	return nil
}
