package commands

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
	"github.com/soarkit/openai-gpt/internal/protocol"
)

// fakeParams starts a fake server and returns instance params that reach
// it, with extra params added.
func fakeParams(t *testing.T, extra map[string]any) (*fakeopenai.Server, map[string]any) {
	t.Helper()
	fake := fakeopenai.New(fakeopenai.Config{})
	url, err := fake.Start("")
	require.NoError(t, err)
	t.Cleanup(fake.Close)
	params := map[string]any{"url": url, "apikey": fake.Config().APIKey}
	for k, v := range extra {
		params[k] = v
	}
	return fake, params
}

func execute(t *testing.T, command string, args, params map[string]any) protocol.Result {
	t.Helper()
	res, err := New(nil, nil).Execute(context.Background(), nullHostClient{},
		protocol.ExecuteRequest{Command: command, Args: args, Params: params})
	require.NoError(t, err)
	require.NotEmpty(t, res.Entries)
	return res
}

// TestResponsesMaxTokensMinimum: the Responses API needs max_output_tokens
// of 16 or more. An instance max_tokens below that fails the Responses
// commands before any call, with an error naming both limits; the Chat
// Completions commands keep working with it. The argument's own minimum is
// 16 on the Responses commands (the manifest), 1 on the chat ones.
func TestResponsesMaxTokensMinimum(t *testing.T) {
	fake, params := fakeParams(t, map[string]any{"max_tokens": "8"})

	res := execute(t, "gpt-create-response", map[string]any{"message": "hi"}, params)
	require.True(t, res.Failed(), res.Entries[0].Contents)
	for _, want := range []string{"max_tokens 8", "16", "max_output_tokens", "1 or more", "Chat Completions"} {
		assert.Contains(t, res.Entries[0].Contents, want)
	}
	res = execute(t, "gpt-draft-soc-email", map[string]any{}, params)
	require.True(t, res.Failed(), res.Entries[0].Contents)
	assert.Contains(t, res.Entries[0].Contents, "max_output_tokens")
	assert.Empty(t, fake.Requests("/v1/responses"), "no call was made")

	// The argument overrides the instance value.
	res = execute(t, "gpt-create-response", map[string]any{"message": "hi", "max_tokens": 40.0}, params)
	require.False(t, res.Failed(), res.Entries[0].Contents)

	res = execute(t, "gpt-send-message", map[string]any{"message": "hi"}, params)
	require.False(t, res.Failed(), res.Entries[0].Contents)

	res = execute(t, "gpt-create-response", map[string]any{"message": "hi", "max_tokens": 15.0}, params)
	require.True(t, res.Failed())
	assert.Contains(t, res.Entries[0].Contents, "max_tokens")
	res = execute(t, "gpt-send-message", map[string]any{"message": "hi", "max_tokens": 15.0}, params)
	require.False(t, res.Failed(), res.Entries[0].Contents)
}

// TestMalformedWorkspaceIDLeavesGPTCommandsAlone: workspace_id is only
// the Compliance calls' business; whatever its form, gpt-* commands run.
func TestMalformedWorkspaceIDLeavesGPTCommandsAlone(t *testing.T) {
	_, params := fakeParams(t, map[string]any{"workspace_id": "not a workspace/id", "compliance_api_key": "sk-c-123456"})
	res := execute(t, "gpt-send-message", map[string]any{"message": "hi"}, params)
	require.False(t, res.Failed(), res.Entries[0].Contents)

	res = execute(t, "openai-get-events", map[string]any{"event_type": []any{"Auth"}}, params)
	require.True(t, res.Failed())
	assert.Contains(t, res.Entries[0].Contents, "parameter workspace_id")
}

// TestModelSelectOutsideTheList: a stored model-select value the manifest
// does not list is used as given, with a warning in the answer; the
// reference integration's older choices are plain choices.
func TestModelSelectOutsideTheList(t *testing.T) {
	fake, params := fakeParams(t, map[string]any{"model-select": "gpt-4-0613"})
	res := execute(t, "gpt-send-message", map[string]any{"message": "hi"}, params)
	require.False(t, res.Failed(), res.Entries[0].Contents)
	md := res.Entries[len(res.Entries)-1].HumanReadable
	assert.Contains(t, md, `model-select "gpt-4-0613" is not one of the listed models`)
	reqs := fake.Requests("/v1/chat/completions")
	require.Len(t, reqs, 1)
	assert.Contains(t, string(reqs[0].Body), `"model":"gpt-4-0613"`)

	for _, model := range []string{"gpt-4-turbo", "gpt-4", "gpt-3.5-turbo"} {
		params["model-select"] = model
		res = execute(t, "gpt-send-message", map[string]any{"message": "hi"}, params)
		require.False(t, res.Failed(), res.Entries[0].Contents)
		assert.NotContains(t, res.Entries[len(res.Entries)-1].HumanReadable, "not one of the listed models", model)
	}
	// model-freetext overrides the choice: nothing to warn about.
	params["model-select"], params["model-freetext"] = "gpt-4-0613", "gpt-4o-mini"
	res = execute(t, "gpt-send-message", map[string]any{"message": "hi"}, params)
	assert.NotContains(t, res.Entries[len(res.Entries)-1].HumanReadable, "not one of the listed models")
}
