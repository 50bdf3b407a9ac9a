package commands

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/go-hclog"

	"github.com/soarkit/openai-gpt/internal/gpt"
	"github.com/soarkit/openai-gpt/internal/protocol"
	"github.com/soarkit/openai-gpt/internal/settings"
	"github.com/soarkit/openai-gpt/manifest"
)

// Call is one command invocation as a handler sees it: typed arguments
// (already checked against the manifest), the instance settings, and the
// host for callbacks.
type Call struct {
	Name string
	// Args are keyed by canonical argument names (see manifest.Canonical).
	Args     map[string]any
	Settings settings.Settings
	Host     protocol.Host
	Log      hclog.Logger

	cmd    *manifest.Command // resolves aliases in the accessors; nil in some tests
	client *gpt.Client
}

// arg is the value of the argument called name, or whose alias name is.
func (c *Call) arg(name string) any {
	if c.cmd != nil {
		if a, ok := c.cmd.Argument(name); ok {
			name = a.Name
		}
	}
	return c.Args[name]
}

// GPT returns the model API client, or an error naming the missing key.
func (c *Call) GPT() (*gpt.Client, error) {
	if c.Settings.APIKey == "" {
		return nil, errors.New("the OpenAI API Key (apikey) is not set in the instance configuration; gpt-* commands need it")
	}
	if c.client == nil {
		c.client = gpt.New(gptConfig(c.Settings, c.Generation()))
	}
	return c.client, nil
}

// String returns a string argument, "" when absent. The accessors take an
// argument's name or any of its aliases.
func (c *Call) String(name string) string {
	switch v := c.arg(name).(type) {
	case string:
		return strings.TrimSpace(v)
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

// Strings returns a list argument: an array, or a comma-separated string.
func (c *Call) Strings(name string) []string {
	var raw []string
	switch v := c.arg(name).(type) {
	case []any:
		for _, x := range v {
			raw = append(raw, fmt.Sprint(x))
		}
	case []string:
		raw = v
	case string:
		raw = strings.Split(v, ",")
	}
	var out []string
	for _, s := range raw {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Number returns a number argument and whether it was given.
func (c *Call) Number(name string) (float64, bool) {
	switch v := c.arg(name).(type) {
	case float64:
		return v, true
	case int:
		return float64(v), true
	case int64:
		return float64(v), true
	}
	return 0, false
}

// Flag reports whether a yes/no or true/false argument is on.
func (c *Call) Flag(name string) bool {
	switch v := c.arg(name).(type) {
	case bool:
		return v
	case string:
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "yes", "true", "1":
			return true
		}
	}
	return false
}

// Generation is the instance's sampling settings overridden by this call's
// max_tokens, temperature and top_p.
func (c *Call) Generation() gpt.Generation {
	g := gpt.Generation{MaxTokens: c.Settings.MaxTokens, Temperature: c.Settings.Temperature, TopP: c.Settings.TopP}
	if v, ok := c.Number("max_tokens"); ok {
		n := int64(v)
		g.MaxTokens = &n
	}
	if v, ok := c.Number("temperature"); ok {
		g.Temperature = &v
	}
	if v, ok := c.Number("top_p"); ok {
		g.TopP = &v
	}
	return g
}

// minOutputTokens is the smallest max_output_tokens the Responses API
// accepts; Chat Completions takes max_completion_tokens from 1.
const minOutputTokens = 16

// checkResponsesTokens refuses a max_tokens the Responses API would. The
// manifest holds the argument to 16 or more, but the instance's max_tokens
// is shared with the Chat Completions commands and may be lower: that is
// an error before any call, naming both limits, rather than OpenAI's 400.
func (c *Call) checkResponsesTokens() error {
	g := c.Generation()
	if g.MaxTokens == nil || *g.MaxTokens >= minOutputTokens {
		return nil
	}
	from := "the instance parameter"
	if _, ok := c.Number("max_tokens"); ok {
		from = "the argument"
	}
	return fmt.Errorf("max_tokens %d (%s) is below %d, the smallest max_output_tokens the Responses API accepts "+
		"(the Chat Completions commands take 1 or more): set max_tokens to %d or more in the instance, or pass max_tokens=%d or more to %s",
		*g.MaxTokens, from, minOutputTokens, minOutputTokens, minOutputTokens, c.Name)
}

// describe turns a handler error into the error entry's text.
func describe(err error) string { return gpt.Describe(err) }
