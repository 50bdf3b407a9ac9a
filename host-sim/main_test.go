package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
	"github.com/soarkit/openai-gpt/internal/host"
	"github.com/soarkit/openai-gpt/internal/plugintest"
	"github.com/soarkit/openai-gpt/internal/protocol"
)

// pluginPath is the plugin binary, built once for this test binary.
var pluginPath string

func TestMain(m *testing.M) { plugintest.Main(m, &pluginPath) }

// countingPlugin counts Execute calls reaching the plugin.
type countingPlugin struct {
	host.Plugin
	executes *atomic.Int64
}

func (c countingPlugin) Execute(ctx context.Context, id string, req protocol.ExecuteRequest) (protocol.Result, error) {
	c.executes.Add(1)
	return c.Plugin.Execute(ctx, id, req)
}

// cli runs host-sim verbs in-process against one state directory, with
// an empty environment (so a developer's OPENAI_API_KEY never leaks in).
type cli struct {
	t        *testing.T
	state    string
	env      map[string]string
	executes atomic.Int64
	// setup, if set, adjusts each app before it runs (seams such as sleep).
	setup func(*app)
}

func newCLI(t *testing.T) *cli {
	return &cli{t: t, state: t.TempDir(), env: map[string]string{}}
}

// run returns the exit status, stdout and stderr of one invocation.
func (c *cli) run(stdin string, args ...string) (int, string, string) {
	c.t.Helper()
	// Synchronised: the REPL's line editor may still echo from its own
	// goroutine while the test reads what was written.
	var out, errb plugintest.SyncBuffer
	a := newApp(strings.NewReader(stdin), &out, &errb)
	a.getenv = func(k string) string { return c.env[k] }
	a.color, a.width = false, 100
	a.intercept = func(p host.Plugin) host.Plugin { return countingPlugin{p, &c.executes} }
	if c.setup != nil {
		c.setup(a)
	}
	code := a.main(append([]string{"--state", c.state, "--plugin", pluginPath}, args...))
	return code, out.String(), errb.String()
}

func startFake(t *testing.T, cfg fakeopenai.Config) (string, fakeopenai.Config) {
	t.Helper()
	srv := fakeopenai.New(cfg)
	url, err := srv.Start("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	return url, srv.Config()
}

func TestEndToEnd(t *testing.T) {
	url, cfg := startFake(t, fakeopenai.Config{AuditEvents: 50, ComplianceEvents: 50, Seed: 7})
	c := newCLI(t)

	code, out, errOut := c.run("", append([]string{"instance", "set"}, fakeInstance(url, cfg)...)...)
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "apikey = "+mask)
	require.NotContains(t, out, cfg.APIKey)

	code, out, errOut = c.run("", "instance", "show")
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "workspace_id")
	for _, secret := range []string{cfg.APIKey, cfg.AdminKey, cfg.ComplianceKey} {
		require.NotContains(t, out, secret)
	}

	code, out, errOut = c.run("", "test")
	require.Equal(t, 0, code, errOut)
	require.Equal(t, "ok\n", out)

	t.Run("wrong key", func(t *testing.T) {
		code, _, _ := c.run("", "instance", "set", "apikey=sk-wrong")
		require.Equal(t, 0, code)
		defer c.run("", "instance", "set", "apikey="+cfg.APIKey)

		code, out, errOut := c.run("", "test")
		require.Equal(t, 1, code)
		require.Empty(t, out)
		require.Contains(t, errOut, "401")
		require.Contains(t, errOut, "API key")

		code, out, _ = c.run("", "run", "!gpt-list-models")
		require.Equal(t, 1, code)
		require.Contains(t, out, "ERROR:")
		require.Contains(t, out, "401")
		require.NotContains(t, out, "sk-wrong")
	})

	t.Run("list models", func(t *testing.T) {
		code, out, errOut := c.run("", "run", "!gpt-list-models")
		require.Equal(t, 0, code, errOut)
		require.Contains(t, out, "gpt-4o-mini")
		require.Contains(t, out, "-+-") // an aligned table

		code, out, errOut = c.run("", "run", "--json", "!gpt-list-models")
		require.Equal(t, 0, code, errOut)
		var doc struct {
			Entries []protocol.Entry `json:"entries"`
			Context struct {
				V3 struct {
					Model []map[string]any
				} `json:"OpenAiChatGPTV3"`
			} `json:"context"`
		}
		require.NoError(t, json.Unmarshal([]byte(out), &doc), out)
		require.NotEmpty(t, doc.Entries)
		require.NotEmpty(t, doc.Context.V3.Model)

		// Listing twice merges by Id: the context holds each model once.
		code, out, _ = c.run("", "context", "--json")
		require.Equal(t, 0, code)
		var all map[string]map[string][]map[string]any
		require.NoError(t, json.Unmarshal([]byte(out), &all))
		require.Len(t, all["OpenAiChatGPTV3"]["Model"], len(doc.Context.V3.Model))
	})

	t.Run("refused before the plugin", func(t *testing.T) {
		before := c.executes.Load()
		cases := []struct{ line, want string }{
			{`!gpt-no-such-command`, `unknown command "gpt-no-such-command"`},
			{`!gpt-send-message`, "missing required argument message"},
			{`!gpt-send-message message=hi reset_conversation_history=maybe`, `"maybe" is not one of yes, no`},
			{`!gpt-send-message message=hi temperature=warm`, `argument temperature: "warm" is not a number`},
			{`!gpt-send-message message="unterminated`, "never closed"},
		}
		for _, tc := range cases {
			code, out, errOut := c.run("", "run", tc.line)
			require.Equal(t, 2, code, tc.line)
			require.Empty(t, out, tc.line)
			require.Contains(t, errOut, tc.want, tc.line)

			code, out, _ = c.run("", "run", "--json", tc.line)
			require.Equal(t, 2, code, tc.line)
			require.Empty(t, out, "--json output stays machine-readable: nothing on a refusal")
		}
		require.Equal(t, before, c.executes.Load(), "a refused call must never reach the plugin")
	})

	t.Run("file entry", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "mail.eml")
		require.NoError(t, os.WriteFile(path, demoEmail, 0o600))
		code, out, errOut := c.run("", "file", "add", path)
		require.Equal(t, 0, code, errOut)
		require.Regexp(t, `^\d+@1\n$`, out)
	})

	t.Run("fetch and events", func(t *testing.T) {
		code, out, errOut := c.run("", "fetch", "--once")
		require.Equal(t, 0, code, errOut)
		require.Contains(t, out, "audit: 50 events")
		require.Contains(t, out, "compliance: 50 events")
		// A cursor summary a person reads, not the cursor's JSON.
		require.Contains(t, out, "no file pending")
		require.Contains(t, out, "stored in all: openai_chatgpt_audit_raw 50")
		require.NotContains(t, out, `{"v"`)

		code, out, errOut = c.run("", "events", "openai_chatgpt_audit_raw", "--limit", "3", "--json")
		require.Equal(t, 0, code, errOut)
		var evs []map[string]any
		require.NoError(t, json.Unmarshal([]byte(out), &evs))
		require.Len(t, evs, 3)

		// The cursors were stored: a second cycle finds nothing new.
		code, out, _ = c.run("", "fetch")
		require.Equal(t, 0, code)
		require.Contains(t, out, "audit: 0 events")
	})

	t.Run("repl", func(t *testing.T) {
		code, out, errOut := c.run("!gpt-list-models\nnonsense\nexit\n", "repl")
		require.Equal(t, 0, code, errOut)
		require.Contains(t, out, "gpt-4o-mini")
		require.Contains(t, errOut, `"nonsense" is neither a war-room command`)
	})
}

func TestRunEntryPoint(t *testing.T) {
	var out, errb bytes.Buffer
	require.Equal(t, 0, run([]string{"help"}, &out, &errb))
	require.Contains(t, out.String(), "run [--json]")
	require.Equal(t, 2, run([]string{"frobnicate"}, &out, &errb))
	require.Contains(t, errb.String(), `unknown verb "frobnicate"`)
}

func TestPluginMissingIsExit2(t *testing.T) {
	var out, errb bytes.Buffer
	a := newApp(strings.NewReader(""), &out, &errb)
	a.getenv = func(string) string { return "" }
	code := a.main([]string{"--state", t.TempDir(), "--plugin", filepath.Join(t.TempDir(), "nope"), "run", "!gpt-list-models"})
	require.Equal(t, 2, code)
	require.Contains(t, errb.String(), "could not run the plugin")
}

func TestInstanceSetRejectsUnknownParam(t *testing.T) {
	c := newCLI(t)
	code, _, errOut := c.run("", "instance", "set", "api_key=x")
	require.Equal(t, 2, code)
	require.Contains(t, errOut, `unknown instance parameter "api_key"; valid parameters:`)
	require.Contains(t, errOut, "apikey")
}

func TestSecretsFromEnvironment(t *testing.T) {
	url, cfg := startFake(t, fakeopenai.Config{})
	c := newCLI(t)
	c.env["OPENAI_API_KEY"] = cfg.APIKey
	code, _, errOut := c.run("", "instance", "set", "url="+url)
	require.Equal(t, 0, code, errOut)
	code, out, _ := c.run("", "instance", "show")
	require.Equal(t, 0, code)
	require.Contains(t, out, "$OPENAI_API_KEY")
	require.NotContains(t, out, cfg.APIKey)
	code, out, errOut = c.run("", "test")
	require.Equal(t, 0, code, errOut)
	require.Equal(t, "ok\n", out)
}

func TestDemo(t *testing.T) {
	var out, errb bytes.Buffer
	a := newApp(strings.NewReader(""), &out, &errb)
	a.getenv = func(string) string { return "" }
	code := a.main([]string{"--plugin", pluginPath, "demo"})
	require.Equal(t, 0, code, errb.String())
	require.Contains(t, out.String(), "Step 1: Test the instance")
	require.Contains(t, out.String(), "demo done")
	// The demo keeps its state directory for exploring; clean it here.
	if i := strings.Index(out.String(), "--state "); i >= 0 {
		dir := strings.Fields(out.String()[i+len("--state "):])[0]
		require.True(t, strings.Contains(dir, "host-sim-demo-"), dir)
		os.RemoveAll(dir)
	}
}
