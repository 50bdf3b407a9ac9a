package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
)

// TestREPLOversizeLine: a line over the REPL's limit is refused with an
// error naming the limit, and the REPL reads on.
func TestREPLOversizeLine(t *testing.T) {
	c := newCLI(t)
	huge := "!gpt-send-message message=" + strings.Repeat("x", maxLineBytes)
	code, out, errOut := c.run("help\n"+huge+"\nhelp\nexit\n", "repl")
	require.Equal(t, 0, code, errOut)
	require.Contains(t, errOut, "line 2 is over the 4 MiB a REPL line may hold")
	require.Equal(t, 2, strings.Count(out, "run test-module"), "the REPL must go on after the long line:\n%s", out)
	require.Zero(t, c.executes.Load(), "the long line must not reach the plugin")
}

// TestREPLVerbs: instance set/show, test, file add and context work
// inside the REPL, and a line carrying a secret stays out of the history.
func TestREPLVerbs(t *testing.T) {
	url, cfg := startFake(t, fakeopenai.Config{Seed: 5})
	c := newCLI(t)
	mail := filepath.Join(t.TempDir(), "mail.eml")
	require.NoError(t, os.WriteFile(mail, demoEmail, 0o600))
	script := strings.Join([]string{
		"instance set " + strings.Join(fakeInstance(url, cfg), " "),
		"instance set model-select=gpt-4o",
		"instance show",
		"test",
		"file add " + mail,
		"!gpt-send-message message=hello",
		"context",
		"history",
		"exit",
	}, "\n") + "\n"
	code, out, errOut := c.run(script, "repl")
	require.Equal(t, 0, code, errOut)
	require.Equal(t, "host-sim: note: this line is not kept in the history: it holds a secret\n", errOut, "nothing else may fail")
	require.Contains(t, out, "apikey = "+mask)
	require.Contains(t, out, "model-select = gpt-4o")
	require.Regexp(t, `model-select\s*\|\s*gpt-4o\s*\|\s*instance`, out)
	require.Contains(t, out, "ok\n")
	require.Regexp(t, `(?m)^\d+@1$`, out)
	require.Contains(t, out, `"OpenAiChatGPTV3"`)
	for _, secret := range []string{cfg.APIKey, cfg.AdminKey, cfg.ComplianceKey} {
		require.NotContains(t, out, secret)
	}

	hist, err := os.ReadFile(filepath.Join(c.state, "history"))
	require.NoError(t, err)
	require.NotContains(t, string(hist), cfg.APIKey, "a line setting a secret must stay out of the history file")
	require.Contains(t, string(hist), "instance set model-select=gpt-4o\n")
}

// TestFetchEveryDefault: --every without a duration runs on the
// instance's eventFetchInterval (the manifest's default when unset), in
// the shell and in the REPL; an explicit duration wins.
func TestFetchEveryDefault(t *testing.T) {
	url, cfg := startFake(t, fakeopenai.Config{AuditEvents: 3, ComplianceEvents: 3, Seed: 9})
	c := newCLI(t)
	var waits []time.Duration
	c.setup = func(a *app) {
		a.sleep = func(_ context.Context, d time.Duration) bool {
			waits = append(waits, d)
			return false // one cycle is enough to see the schedule
		}
	}
	code, _, errOut := c.run("", append([]string{"instance", "set"}, fakeInstance(url, cfg)...)...)
	require.Equal(t, 0, code, errOut)

	code, out, errOut := c.run("", "fetch", "--every")
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "fetching every 1m0s (the instance's eventFetchInterval)")
	require.Contains(t, out, "cycle 1 at")

	code, _, errOut = c.run("", "instance", "set", "eventFetchInterval=1.5")
	require.Equal(t, 0, code, errOut)
	code, _, errOut = c.run("", "fetch", "--every", "--stats")
	require.Equal(t, 0, code, errOut)
	code, _, errOut = c.run("", "fetch", "--every", "7s")
	require.Equal(t, 0, code, errOut)

	code, out, errOut = c.run("fetch --every\nfetch --every=3s\nfetch\nexit\n", "repl")
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "fetching every 1m30s (the instance's eventFetchInterval)")
	require.Equal(t, []time.Duration{time.Minute, 90 * time.Second, 7 * time.Second, 90 * time.Second, 3 * time.Second}, waits)

	code, _, errOut = c.run("", "instance", "set", "eventFetchInterval=soon")
	require.Equal(t, 0, code, errOut)
	code, _, errOut = c.run("", "fetch", "--every")
	require.Equal(t, 2, code)
	require.Contains(t, errOut, `eventFetchInterval: "soon" is not an interval`)
}
