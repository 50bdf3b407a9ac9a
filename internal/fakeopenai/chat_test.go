package fakeopenai

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestChatWithSDK(t *testing.T) {
	_, base := startOAI(t)
	client := oaiClient(base)
	ctx := context.Background()

	t.Run("echoes the conversation", func(t *testing.T) {
		c, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
			Model: "gpt-4o-mini",
			Messages: []openai.ChatCompletionMessageParamUnion{
				openai.SystemMessage("be brief"),
				openai.UserMessage("first"), openai.AssistantMessage("ok"),
				openai.UserMessage("second"), openai.AssistantMessage("ok"),
				openai.UserMessage("what is the capital of France?"),
			},
			Temperature: openai.Float(0.2), TopP: openai.Float(0.9),
		})
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(c.ID, "chatcmpl-"), c.ID)
		assert.Equal(t, "chat.completion", string(c.Object))
		assert.Equal(t, "gpt-4o-mini-2024-07-18", c.Model, "aliases answer with their snapshot")
		require.Len(t, c.Choices, 1)
		assert.Equal(t, "[fake gpt-4o-mini] turn 3: You said: what is the capital of France?", c.Choices[0].Message.Content)
		assert.Equal(t, "stop", c.Choices[0].FinishReason)
		assert.Equal(t, "assistant", string(c.Choices[0].Message.Role))
		assert.Zero(t, c.Usage.CompletionTokensDetails.ReasoningTokens)
		assert.Equal(t, c.Usage.PromptTokens+c.Usage.CompletionTokens, c.Usage.TotalTokens)
		assert.Positive(t, c.Usage.PromptTokens)
	})

	t.Run("reasoning model spends reasoning tokens", func(t *testing.T) {
		c, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
			Model: "gpt-5", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hi")},
			MaxCompletionTokens: openai.Int(2000), ReasoningEffort: shared.ReasoningEffortLow,
		})
		require.NoError(t, err)
		assert.Equal(t, int64(64), c.Usage.CompletionTokensDetails.ReasoningTokens)
		assert.Greater(t, c.Usage.CompletionTokens, c.Usage.CompletionTokensDetails.ReasoningTokens)
		assert.Equal(t, "[fake gpt-5] turn 1: You said: hi", c.Choices[0].Message.Content)
	})

	t.Run("max_completion_tokens cuts the answer", func(t *testing.T) {
		c, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
			Model: "gpt-4.1", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(strings.Repeat("long ", 100))},
			MaxCompletionTokens: openai.Int(5),
		})
		require.NoError(t, err)
		assert.Equal(t, "length", c.Choices[0].FinishReason)
		assert.Equal(t, "[fake gpt-4.1] turn ", c.Choices[0].Message.Content, "5 tokens of about 4 characters")
		assert.Equal(t, int64(5), c.Usage.CompletionTokens)
	})

	t.Run("reasoning can use up the whole limit", func(t *testing.T) {
		c, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
			Model: "o4-mini", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hi")},
			MaxCompletionTokens: openai.Int(100),
		})
		require.NoError(t, err)
		assert.Equal(t, "length", c.Choices[0].FinishReason)
		assert.Empty(t, c.Choices[0].Message.Content)
		assert.Equal(t, int64(100), c.Usage.CompletionTokensDetails.ReasoningTokens)
	})

	t.Run("structured output validates against the schema", func(t *testing.T) {
		email := "Subject: URGENT\n\nYour mailbox is suspended. Verify your account and password at https://login.examp1e-secure.com/reset now, or mail admin@examp1e-secure.com. Sent from 203.0.113.9"
		c, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
			Model:    "gpt-4o",
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Analyse this email for phishing:\n" + email)},
			ResponseFormat: openai.ChatCompletionNewParamsResponseFormatUnion{OfJSONSchema: &shared.ResponseFormatJSONSchemaParam{
				JSONSchema: shared.ResponseFormatJSONSchemaJSONSchemaParam{Name: "verdict", Schema: verdictSchema(), Strict: openai.Bool(true)},
			}},
		})
		require.NoError(t, err)
		v := validateAgainst(t, verdictSchema(), c.Choices[0].Message.Content)
		assert.Equal(t, "malicious", v["verdict"])
		assert.Contains(t, v["indicators"].(map[string]any)["urls"], "https://login.examp1e-secure.com/reset")
		assert.Contains(t, v["indicators"].(map[string]any)["domains"], "login.examp1e-secure.com")
		assert.Contains(t, v["indicators"].(map[string]any)["ips"], "203.0.113.9")
		assert.Contains(t, v["indicators"].(map[string]any)["emails"], "admin@examp1e-secure.com")
	})

	t.Run("json_object mode", func(t *testing.T) {
		c, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
			Model:          "gpt-4o",
			Messages:       []openai.ChatCompletionMessageParamUnion{openai.UserMessage("answer in JSON: hi")},
			ResponseFormat: openai.ChatCompletionNewParamsResponseFormatUnion{OfJSONObject: &shared.ResponseFormatJSONObjectParam{}},
		})
		require.NoError(t, err)
		var v map[string]any
		require.NoError(t, json.Unmarshal([]byte(c.Choices[0].Message.Content), &v))
		assert.Contains(t, v["answer"], "You said: answer in JSON: hi")
	})
}

func TestChatValidation(t *testing.T) {
	_, base := startOAI(t)
	user := []map[string]any{{"role": "user", "content": "hi"}}
	cases := []struct {
		name string
		body any
		want wantErr
	}{
		{"missing model", map[string]any{"messages": user},
			wantErr{400, strp("model"), strp("missing_required_parameter"), "Missing required parameter: 'model'."}},
		{"missing messages", map[string]any{"model": "gpt-4o"},
			wantErr{400, strp("messages"), strp("missing_required_parameter"), "Missing required parameter: 'messages'."}},
		{"empty messages", map[string]any{"model": "gpt-4o", "messages": []any{}},
			wantErr{400, strp("messages"), strp("empty_array"), "empty array"}},
		{"messages not an array", map[string]any{"model": "gpt-4o", "messages": "hi"},
			wantErr{400, strp("messages"), strp("invalid_type"), "expected an array, but got a string instead"}},
		{"bad role", map[string]any{"model": "gpt-4o", "messages": []map[string]any{{"role": "robot", "content": "x"}}},
			wantErr{400, strp("messages[0].role"), strp("invalid_value"), "Invalid value: 'robot'"}},
		{"missing content", map[string]any{"model": "gpt-4o", "messages": []map[string]any{{"role": "user"}}},
			wantErr{400, strp("messages[0].content"), strp("missing_required_parameter"), "messages[0].content"}},
		{"temperature as string", map[string]any{"model": "gpt-4o", "messages": user, "temperature": "hot"},
			wantErr{400, strp("temperature"), strp("invalid_type"), "expected a decimal, but got a string instead"}},
		{"temperature above 2", map[string]any{"model": "gpt-4o", "messages": user, "temperature": 2.5},
			wantErr{400, strp("temperature"), strp("decimal_above_max_value"), "Expected a value <= 2, but got 2.5 instead."}},
		{"top_p below 0", map[string]any{"model": "gpt-4o", "messages": user, "top_p": -0.1},
			wantErr{400, strp("top_p"), strp("decimal_below_min_value"), "Expected a value >= 0"}},
		{"top_p above 1", map[string]any{"model": "gpt-4o", "messages": user, "top_p": 1.5},
			wantErr{400, strp("top_p"), strp("decimal_above_max_value"), "Expected a value <= 1"}},
		{"max_tokens not an integer", map[string]any{"model": "gpt-4o", "messages": user, "max_tokens": 1.5},
			wantErr{400, strp("max_tokens"), strp("invalid_type"), "expected an integer"}},
		{"unknown field", map[string]any{"model": "gpt-4o", "messages": user, "max_output_tokens": 10},
			wantErr{400, nil, nil, "Unrecognized request argument supplied: max_output_tokens"}},
		{"unknown model", map[string]any{"model": "gpt-99", "messages": user},
			wantErr{404, strp("model"), strp("model_not_found"), "The model 'gpt-99' does not exist"}},
		{"not a chat model", map[string]any{"model": "text-embedding-3-small", "messages": user},
			wantErr{404, strp("model"), nil, "This is not a chat model"}},
		{"max_tokens on a reasoning model", map[string]any{"model": "o3", "messages": user, "max_tokens": 100},
			wantErr{400, strp("max_tokens"), strp("unsupported_parameter"), "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead."}},
		{"max_tokens on gpt-5", map[string]any{"model": "gpt-5-mini", "messages": user, "max_tokens": 100},
			wantErr{400, strp("max_tokens"), strp("unsupported_parameter"), "Use 'max_completion_tokens' instead."}},
		{"temperature on a reasoning model", map[string]any{"model": "o1", "messages": user, "temperature": 0.3},
			wantErr{400, strp("temperature"), strp("unsupported_value"), "Unsupported value: 'temperature' does not support 0.3 with this model. Only the default (1) value is supported."}},
		{"top_p on a reasoning model", map[string]any{"model": "gpt-5", "messages": user, "top_p": 0.5},
			wantErr{400, strp("top_p"), strp("unsupported_value"), "'top_p' does not support 0.5"}},
		{"reasoning_effort on gpt-4o", map[string]any{"model": "gpt-4o", "messages": user, "reasoning_effort": "low"},
			wantErr{400, strp("reasoning_effort"), strp("unsupported_parameter"), "Unsupported parameter: 'reasoning_effort'"}},
		{"reasoning_effort the model does not take", map[string]any{"model": "gpt-5", "messages": user, "reasoning_effort": "none"},
			wantErr{400, strp("reasoning_effort"), strp("unsupported_value"), "Unsupported value: 'none' is not supported with the 'gpt-5' model."}},
		{"bad reasoning_effort", map[string]any{"model": "o3", "messages": user, "reasoning_effort": "extreme"},
			wantErr{400, strp("reasoning_effort"), strp("invalid_value"), "Invalid value: 'extreme'"}},
		{"json_object without json", map[string]any{"model": "gpt-4o", "messages": user, "response_format": map[string]any{"type": "json_object"}},
			wantErr{400, strp("messages"), nil, "must contain the word 'json'"}},
		{"strict schema without additionalProperties", map[string]any{"model": "gpt-4o", "messages": user,
			"response_format": map[string]any{"type": "json_schema", "json_schema": map[string]any{"name": "v", "strict": true,
				"schema": map[string]any{"type": "object", "properties": map[string]any{"a": map[string]any{"type": "string"}}, "required": []string{"a"}}}}},
			wantErr{400, strp("response_format"), strp("invalid_json_schema"), "'additionalProperties' is required to be supplied and to be false"}},
		{"strict schema missing a required key", map[string]any{"model": "gpt-4o", "messages": user,
			"response_format": map[string]any{"type": "json_schema", "json_schema": map[string]any{"name": "v", "strict": true,
				"schema": map[string]any{"type": "object", "additionalProperties": false, "properties": map[string]any{"a": map[string]any{"type": "string"}}}}}},
			wantErr{400, strp("response_format"), strp("invalid_json_schema"), "Missing 'a'"}},
		{"schema without name", map[string]any{"model": "gpt-4o", "messages": user,
			"response_format": map[string]any{"type": "json_schema", "json_schema": map[string]any{"schema": map[string]any{"type": "object"}}}},
			wantErr{400, strp("response_format.json_schema.name"), strp("missing_required_parameter"), "name"}},
		{"bad response_format type", map[string]any{"model": "gpt-4o", "messages": user, "response_format": map[string]any{"type": "xml"}},
			wantErr{400, strp("response_format.type"), strp("invalid_value"), "Invalid value: 'xml'"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkErr(t, postRaw(t, http.MethodPost, base+"/v1/chat/completions", c.body), c.want)
		})
	}
}

func TestChatEmailAnswers(t *testing.T) {
	_, base := startOAI(t)
	client := oaiClient(base)
	ctx := context.Background()
	analysis := "Analyse the body of this email for signs of phishing: credential harvesting, urgency and gift-card requests.\n\n" +
		"<<<UNTRUSTED 1a2b3c>>>\nHi team, the quarterly report is attached. See you Monday.\n<<<END UNTRUSTED 1a2b3c>>>\n\n" +
		"Answer with a verdict (malicious, suspicious or benign)."
	c, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{Model: "gpt-4o-mini",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(analysis)}})
	require.NoError(t, err)
	verdict := c.Choices[0].Message.Content
	assert.Contains(t, verdict, "Verdict: BENIGN", "words in the instructions outside the fence do not count")

	soc := "Using the analysis in this conversation, write an email from the Security Operations Center (SOC) to the user."
	c, err = client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{Model: "gpt-4o-mini",
		Messages: []openai.ChatCompletionMessageParamUnion{
			openai.UserMessage(strings.Replace(analysis, "quarterly report", "urgent password reset at https://evil.example/login", 1)),
			openai.AssistantMessage("Verdict: MALICIOUS (confidence 0.95)."),
			openai.UserMessage(soc),
		}})
	require.NoError(t, err)
	out := c.Choices[0].Message.Content
	assert.True(t, strings.HasPrefix(out, "[fake gpt-4o-mini] turn 2: Subject: "), out)
	assert.Contains(t, out, "classified it as malicious")
}
