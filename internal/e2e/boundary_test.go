package e2e

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
	"github.com/soarkit/openai-gpt/internal/protocol"
)

// startFake serves the fake OpenAI API on loopback for one test.
func startFake(t testing.TB, cfg fakeopenai.Config) (*fakeopenai.Server, string) {
	t.Helper()
	srv := fakeopenai.New(cfg)
	url, err := srv.Start("")
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	return srv, url
}

func chatParams(url string) map[string]any {
	return map[string]any{"url": url, "apikey": fakeopenai.DefaultAPIKey}
}

func TestPluginRunByHandExplainsAndFails(t *testing.T) {
	out, err := exec.Command(pluginPath).CombinedOutput()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	assert.NotEqual(t, 0, exit.ExitCode())
	assert.Contains(t, string(out), "plugin")
}

func TestRoundTrip(t *testing.T) {
	_, url := startFake(t, fakeopenai.Config{})
	host := newMemHost()
	s, logs := launch(t, host)
	ctx := context.Background()

	yml, err := s.Manifest(ctx)
	require.NoError(t, err)
	assert.Contains(t, string(yml), "gpt-send-message")

	tr, err := s.Test(ctx, "t1", protocol.TestRequest{Params: chatParams(url)})
	require.NoError(t, err)
	assert.True(t, tr.OK, tr.Error)

	params := chatParams(url)
	res, err := s.Execute(ctx, "c1", protocol.ExecuteRequest{Command: "gpt-send-message", Args: map[string]any{"message": "hello there"}, Params: params})
	require.NoError(t, err)
	require.False(t, res.Failed(), "%+v", res.Entries)
	host.apply(res)

	// The second turn reads the first back through the host's context.
	res, err = s.Execute(ctx, "c2", protocol.ExecuteRequest{Command: "gpt-send-message", Args: map[string]any{"message": "and again"}, Params: params})
	require.NoError(t, err)
	require.False(t, res.Failed(), "%+v", res.Entries)
	host.apply(res)
	conv := host.incident()["OpenAiChatGPTV3"].(map[string]any)["Conversation"].([]any)
	require.Len(t, conv, 2)
	assert.Equal(t, "and again", conv[1].(map[string]any)["user"])
	assert.Contains(t, res.Entries[0].HumanReadable, "1 of 1 previous turns sent")

	// Plugin logs reach the host's logger.
	assert.Eventually(t, func() bool { return strings.Contains(logs.String(), "gpt-send-message") }, 5*time.Second, 20*time.Millisecond)
}

func TestTestModuleWrongKey(t *testing.T) {
	_, url := startFake(t, fakeopenai.Config{})
	s, _ := launch(t, newMemHost())
	tr, err := s.Test(context.Background(), "t", protocol.TestRequest{Params: map[string]any{"url": url, "apikey": "sk-wrong-key-123456"}})
	require.NoError(t, err)
	assert.False(t, tr.OK)
	assert.Contains(t, tr.Error, "401")
	assert.Contains(t, tr.Error, "API key")
	assert.NotContains(t, tr.Error, "sk-wrong-key-123456")
}

func TestTestModuleNothingConfigured(t *testing.T) {
	s, _ := launch(t, newMemHost())
	tr, err := s.Test(context.Background(), "t", protocol.TestRequest{Params: map[string]any{}})
	require.NoError(t, err)
	assert.False(t, tr.OK)
	assert.Contains(t, tr.Error, "apikey")
}

func TestCancelledContextStopsSlowCall(t *testing.T) {
	srv, url := startFake(t, fakeopenai.Config{})
	srv.Script("chat", fakeopenai.Fault{Delay: time.Minute})
	s, _ := launch(t, newMemHost())
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	done := make(chan struct{})
	var res protocol.Result
	var err error
	go func() {
		defer close(done)
		res, err = s.Execute(ctx, "slow", protocol.ExecuteRequest{Command: "gpt-send-message", Args: map[string]any{"message": "slow"}, Params: chatParams(url)})
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the call did not end when its context did")
	}
	// Either the host's own deadline error or an error entry: never a success.
	if err == nil {
		assert.True(t, res.Failed())
	}
	// The plugin is still serving.
	res, err = s.Execute(context.Background(), "after", protocol.ExecuteRequest{Command: "gpt-send-message", Args: map[string]any{"message": "fast"}, Params: chatParams(url)})
	require.NoError(t, err)
	assert.False(t, res.Failed(), "%+v", res.Entries)
}

func TestStrayEnvironmentDoesNotRedirect(t *testing.T) {
	_, url := startFake(t, fakeopenai.Config{})
	s, _ := launch(t, newMemHost(), "OPENAI_BASE_URL=http://127.0.0.1:9/v1/", "OPENAI_API_KEY=sk-from-environment", "OPENAI_ORG_ID=org-stray")
	res, err := s.Execute(context.Background(), "c", protocol.ExecuteRequest{Command: "gpt-list-models", Params: chatParams(url)})
	require.NoError(t, err)
	assert.False(t, res.Failed(), "%+v", res.Entries)
}
