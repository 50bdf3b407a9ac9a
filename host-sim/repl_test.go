package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
	"github.com/soarkit/openai-gpt/internal/host"
	"github.com/soarkit/openai-gpt/internal/plugintest"
	"github.com/soarkit/openai-gpt/manifest"
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
		`instance set event_types_to_fetch="OpenAI Audit logs,Apps Auth"`,
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
	require.Contains(t, out, "event_types_to_fetch = OpenAI Audit logs,Apps Auth")
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

func TestSecretLine(t *testing.T) {
	m := manifest.Default()
	for line, want := range map[string]bool{
		"instance set apikey=sk-1":                         true,
		"  instance   set model-select=o3 admin_api_key=x": true,
		`instance set url="https://u:pw@proxy.example"`:    true,
		`instance set url="https://unterminated`:           true, // unknown content: kept out
		"instance set apikey=":                             false,
		"instance set model-select=o3":                     false,
		"instance show":                                    false,
		"instanceset apikey=sk-1":                          false,
		`!gpt-send-message message="apikey=sk-1"`:          false, // a message, not a parameter
		"help": false,
	} {
		require.Equal(t, want, secretLine(m, line), line)
	}
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

// TestREPLTerminal drives the line editor through a fake terminal: Tab
// completes a command and a predefined value, Ctrl-C drops the line being
// typed, the up arrow recalls the history, and what was typed is kept in
// the history file for the next session.
func TestREPLTerminal(t *testing.T) {
	url, cfg := startFake(t, fakeopenai.Config{Seed: 11})
	c := newCLI(t)
	code, _, errOut := c.run("", append([]string{"instance", "set"}, fakeInstance(url, cfg)...)...)
	require.Equal(t, 0, code, errOut)

	const (
		tab    = "\t"
		ctrlC  = "\x03"
		upKey  = "\x1b[A"
		enter  = "\r"
		ctrlD  = "\x04"
		hidden = "!gpt-list-models dropped"
	)
	keys := "!gpt-list-mod" + tab + enter + // completes to "!gpt-list-models "
		hidden + ctrlC + // typed, then dropped
		"!gpt-send-message reset_conversation_history=y" + tab + "message=hi" + enter +
		upKey + enter + // the last line again
		"history" + enter +
		ctrlD
	var out, errb plugintest.SyncBuffer
	a := newApp(strings.NewReader(keys), &out, &errb)
	a.getenv = func(string) string { return "" }
	a.color, a.width = false, 100
	a.fakeTerminal = true
	a.intercept = func(p host.Plugin) host.Plugin { return countingPlugin{p, &c.executes} }
	before := c.executes.Load()
	code = a.main([]string{"--state", c.state, "--plugin", pluginPath, "repl"})
	require.Equal(t, 0, code, errb.String())
	require.Empty(t, errb.String())
	require.Contains(t, out.String(), "gpt-4o-mini", "the completed command ran")
	require.Equal(t, int64(3), c.executes.Load()-before, "list models, send, the recalled send; never the dropped line")

	hist, err := os.ReadFile(filepath.Join(c.state, "history"))
	require.NoError(t, err)
	require.Equal(t, "!gpt-list-models\n!gpt-send-message reset_conversation_history=yes message=hi\n", string(hist))
	require.Contains(t, out.String(), "  !gpt-send-message reset_conversation_history=yes message=hi\n", "history shows the kept lines")
	info, err := os.Stat(filepath.Join(c.state, "history"))
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm())
}

// TestREPLHistoryTrimmed: a history over the limit is cut to its last
// lines when the line editor loads it, and stays private.
func TestREPLHistoryTrimmed(t *testing.T) {
	c := newCLI(t)
	path := filepath.Join(c.state, "history")
	var old strings.Builder
	for i := range historyLimit + 200 {
		fmt.Fprintf(&old, "!gpt-send-message message=%d\n", i)
	}
	require.NoError(t, os.WriteFile(path, []byte(old.String()), 0o600))
	c.setup = func(a *app) { a.fakeTerminal = true }
	code, _, errOut := c.run("\x04", "repl")
	require.Equal(t, 0, code, errOut)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	require.Len(t, lines, historyLimit)
	require.Equal(t, fmt.Sprintf("!gpt-send-message message=%d", historyLimit+199), lines[len(lines)-1])
	info, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm())
}

// TestLineReader: lines end at \n or \r\n or the end of the input; a line
// of exactly the limit passes, one byte more is refused and skipped.
func TestLineReader(t *testing.T) {
	const limit = 8
	in := "12345678\r\n123456789\nok\n" + strings.Repeat("y", 100) + "\r\nlast"
	r := newLineReader(strings.NewReader(in), limit)
	got := func() string {
		line, err := r.next()
		if err != nil {
			return "error: " + err.Error()
		}
		return line
	}
	require.Equal(t, "12345678", got())
	require.Contains(t, got(), "error: line 2 is over the 4 MiB")
	require.Equal(t, "ok", got())
	require.Contains(t, got(), "error: line 4 is over")
	require.Equal(t, "last", got())
	_, err := r.next()
	require.ErrorIs(t, err, io.EOF)
}

func TestBareEvery(t *testing.T) {
	require.Equal(t, []string{"--every="}, bareEvery([]string{"--every"}))
	require.Equal(t, []string{"-every=", "--stats"}, bareEvery([]string{"-every", "--stats"}))
	require.Equal(t, []string{"--every", "5m"}, bareEvery([]string{"--every", "5m"}))
	require.Equal(t, []string{"--every", "-5s"}, bareEvery([]string{"--every", "-5s"}), "refused later as not positive")
	require.Equal(t, []string{"--", "--every"}, bareEvery([]string{"--", "--every"}))
}
