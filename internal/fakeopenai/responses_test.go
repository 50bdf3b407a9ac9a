package fakeopenai

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"
	"github.com/openai/openai-go/v3/shared"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func respParams(model, input string) responses.ResponseNewParams {
	return responses.ResponseNewParams{Model: model, Input: responses.ResponseNewParamsInputUnion{OfString: openai.String(input)}}
}

func responsesGetParams() responses.ResponseGetParams { return responses.ResponseGetParams{} }

func TestResponsesChain(t *testing.T) {
	s, base := startOAI(t)
	client := oaiClient(base)
	ctx := context.Background()

	var prev string
	var last *responses.Response
	for turn, msg := range []string{"one", "two", "three"} {
		p := respParams("gpt-5", msg)
		p.Instructions = openai.String("be brief")
		p.Reasoning = shared.ReasoningParam{Effort: shared.ReasoningEffortHigh}
		p.MaxOutputTokens = openai.Int(4000)
		if prev != "" {
			p.PreviousResponseID = openai.String(prev)
		}
		r, err := client.Responses.New(ctx, p)
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(r.ID, "resp_"), r.ID)
		assert.Equal(t, responses.ResponseStatusCompleted, r.Status)
		assert.Equal(t, "gpt-5-2025-08-07", string(r.Model))
		want := "[fake gpt-5] turn 1: You said: one"
		if prev != "" {
			want = "[fake gpt-5] turn " + string(rune('1'+turn)) + " (previous " + prev + "): You said: " + msg
		}
		assert.Equal(t, want, r.OutputText())
		assert.Equal(t, int64(448), r.Usage.OutputTokensDetails.ReasoningTokens)
		assert.Equal(t, "reasoning", r.Output[0].Type, "reasoning models show a reasoning item")
		assert.Equal(t, "message", r.Output[1].Type)
		assert.Equal(t, shared.ReasoningEffortHigh, r.Reasoning.Effort)
		if last != nil {
			assert.Greater(t, r.Usage.InputTokens, last.Usage.InputTokens, "the chain's context grows")
			assert.Equal(t, prev, r.PreviousResponseID)
		}
		prev, last = r.ID, r
	}

	got, err := client.Responses.Get(ctx, prev, responsesGetParams())
	require.NoError(t, err)
	assert.Equal(t, last.OutputText(), got.OutputText())
	raw, ok := s.Response(prev)
	require.True(t, ok)
	assert.Contains(t, string(raw), `"object":"response"`)

	// Deleted responses are gone, for GET and for chaining.
	require.NoError(t, client.Responses.Delete(ctx, prev))
	_, err = client.Responses.Get(ctx, prev, responsesGetParams())
	var apiErr *openai.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 404, apiErr.StatusCode)
}

func TestResponsesNonReasoningModel(t *testing.T) {
	_, base := startOAI(t)
	p := respParams("gpt-4.1-mini", "hello")
	p.Temperature, p.TopP = openai.Float(0.3), openai.Float(0.8)
	client := oaiClient(base)
	r, err := client.Responses.New(context.Background(), p)
	require.NoError(t, err)
	assert.Len(t, r.Output, 1)
	assert.Zero(t, r.Usage.OutputTokensDetails.ReasoningTokens)
	assert.Equal(t, 0.3, r.Temperature)
	assert.Equal(t, "[fake gpt-4.1-mini] turn 1: You said: hello", r.OutputText())
}

func TestResponsesMaxOutputTokens(t *testing.T) {
	_, base := startOAI(t)
	p := respParams("gpt-4o", strings.Repeat("word ", 200))
	p.MaxOutputTokens = openai.Int(16)
	client := oaiClient(base)
	r, err := client.Responses.New(context.Background(), p)
	require.NoError(t, err)
	assert.Equal(t, responses.ResponseStatusIncomplete, r.Status)
	assert.Equal(t, "max_output_tokens", r.IncompleteDetails.Reason)
	assert.Equal(t, int64(16), r.Usage.OutputTokens)
}

func TestResponsesCompaction(t *testing.T) {
	_, base := startOAI(t)
	client := oaiClient(base)
	ctx := context.Background()
	big := strings.Repeat("lorem ipsum ", 400) // about 1200 tokens
	p := respParams("gpt-5-mini", big)
	p.ContextManagement = []responses.ResponseNewParamsContextManagement{{Type: "compaction", CompactThreshold: openai.Int(1000)}}
	r, err := client.Responses.New(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, "compaction", r.Output[0].Type)
	assert.Contains(t, r.OutputText(), "(context compacted)")
}

func TestResponsesBackground(t *testing.T) {
	s, base := startOAI(t)
	client := oaiClient(base)
	ctx := context.Background()
	start := func() *responses.Response {
		p := respParams("o3", "long job")
		p.Background = openai.Bool(true)
		r, err := client.Responses.New(ctx, p)
		require.NoError(t, err)
		assert.Equal(t, responses.ResponseStatusQueued, r.Status)
		assert.Empty(t, r.Output)
		return r
	}
	poll := func(id string) []responses.ResponseStatus {
		var seen []responses.ResponseStatus
		for range 10 {
			r, err := client.Responses.Get(ctx, id, responsesGetParams())
			require.NoError(t, err)
			seen = append(seen, r.Status)
			if r.Status != responses.ResponseStatusQueued && r.Status != responses.ResponseStatusInProgress {
				return seen
			}
		}
		t.Fatalf("never finished: %v", seen)
		return nil
	}

	r := start()
	assert.Equal(t, []responses.ResponseStatus{"in_progress", "completed"}, poll(r.ID))
	done, err := client.Responses.Get(ctx, r.ID, responsesGetParams())
	require.NoError(t, err)
	assert.Equal(t, "[fake o3] turn 1: You said: long job", done.OutputText())
	assert.Positive(t, done.Usage.TotalTokens)

	s.ScriptBackground(
		BackgroundOutcome{Status: "failed", Polls: 2, ErrorCode: "server_error", ErrorMessage: "boom"},
		BackgroundOutcome{Status: "incomplete", IncompleteReason: "max_output_tokens"},
		BackgroundOutcome{Status: "cancelled"},
	)
	r = start()
	assert.Equal(t, []responses.ResponseStatus{"in_progress", "in_progress", "failed"}, poll(r.ID))
	failed, err := client.Responses.Get(ctx, r.ID, responsesGetParams())
	require.NoError(t, err)
	assert.Equal(t, "server_error", string(failed.Error.Code))
	assert.Equal(t, "boom", failed.Error.Message)

	r = start()
	assert.Equal(t, []responses.ResponseStatus{"incomplete"}, poll(r.ID))
	inc, _ := client.Responses.Get(ctx, r.ID, responsesGetParams())
	assert.Equal(t, "max_output_tokens", inc.IncompleteDetails.Reason)

	r = start()
	assert.Equal(t, []responses.ResponseStatus{"cancelled"}, poll(r.ID))

	// Cancelling a running background response.
	r = start()
	c, err := client.Responses.Cancel(ctx, r.ID)
	require.NoError(t, err)
	assert.Equal(t, responses.ResponseStatusCancelled, c.Status)
	assert.Equal(t, []responses.ResponseStatus{"cancelled"}, poll(r.ID))
}

func TestResponsesStructuredOutput(t *testing.T) {
	_, base := startOAI(t)
	p := respParams("gpt-5-nano", "Check this email for phishing: <<<UNTRUSTED z>>>\nlunch at noon?\n<<<END UNTRUSTED z>>>")
	p.Text = responses.ResponseTextConfigParam{Format: responses.ResponseFormatTextConfigUnionParam{
		OfJSONSchema: &responses.ResponseFormatTextJSONSchemaConfigParam{Name: "verdict", Schema: verdictSchema(), Strict: openai.Bool(true)}}}
	client := oaiClient(base)
	r, err := client.Responses.New(context.Background(), p)
	require.NoError(t, err)
	var v struct {
		Verdict    string   `json:"verdict"`
		Confidence float64  `json:"confidence"`
		Reasons    []string `json:"reasons"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.OutputText()), &v))
	validateAgainst(t, verdictSchema(), r.OutputText())
	assert.Equal(t, "benign", v.Verdict)
	assert.NotEmpty(t, v.Reasons)
	assert.Equal(t, "json_schema", r.Text.Format.Type)
}

func TestResponsesValidation(t *testing.T) {
	s, base := startOAI(t)
	stored := postRaw(t, http.MethodPost, base+"/v1/responses", map[string]any{"model": "gpt-4o", "input": "x", "store": false})
	require.Equal(t, 200, stored.status, string(stored.body))
	var unstored struct{ ID string }
	require.NoError(t, json.Unmarshal(stored.body, &unstored))
	_, kept := s.Response(unstored.ID)
	assert.True(t, kept, "tests can still inspect store=false responses")

	cases := []struct {
		name string
		body any
		want wantErr
	}{
		{"missing model", map[string]any{"input": "hi"},
			wantErr{400, strp("model"), strp("missing_required_parameter"), "Missing required parameter: 'model'."}},
		{"unknown field", map[string]any{"model": "gpt-4o", "input": "hi", "max_tokens": 10},
			wantErr{400, strp("max_tokens"), strp("unknown_parameter"), "Unknown parameter: 'max_tokens'."}},
		{"input as number", map[string]any{"model": "gpt-4o", "input": 3},
			wantErr{400, strp("input"), strp("invalid_type"), "Invalid type for 'input'"}},
		{"bad input role", map[string]any{"model": "gpt-4o", "input": []map[string]any{{"role": "bot", "content": "x"}}},
			wantErr{400, strp("input[0].role"), strp("invalid_value"), "Invalid value: 'bot'"}},
		{"unknown model", map[string]any{"model": "gpt-99", "input": "hi"},
			wantErr{404, strp("model"), strp("model_not_found"), "does not exist"}},
		{"temperature out of range", map[string]any{"model": "gpt-4o", "input": "hi", "temperature": 3},
			wantErr{400, strp("temperature"), strp("decimal_above_max_value"), "Expected a value <= 2, but got 3 instead."}},
		{"temperature on reasoning model", map[string]any{"model": "o4-mini", "input": "hi", "temperature": 0.5},
			wantErr{400, strp("temperature"), strp("unsupported_value"), "Only the default (1) value is supported."}},
		{"effort on non-reasoning model", map[string]any{"model": "gpt-4o-mini", "input": "hi", "reasoning": map[string]any{"effort": "low"}},
			wantErr{400, strp("reasoning.effort"), strp("unsupported_parameter"), "Unsupported parameter: 'reasoning.effort' is not supported with this model."}},
		{"bad effort", map[string]any{"model": "gpt-5", "input": "hi", "reasoning": map[string]any{"effort": "extreme"}},
			wantErr{400, strp("reasoning.effort"), strp("invalid_value"), "'none', 'minimal', 'low', 'medium', 'high', and 'xhigh'"}},
		{"effort the model does not take", map[string]any{"model": "gpt-5.1", "input": "hi", "reasoning": map[string]any{"effort": "minimal"}},
			wantErr{400, strp("reasoning.effort"), strp("unsupported_value"), "Unsupported value: 'minimal' is not supported with the 'gpt-5.1' model. Supported values are: 'none', 'low', 'medium', and 'high'."}},
		{"xhigh on o3", map[string]any{"model": "o3", "input": "hi", "reasoning": map[string]any{"effort": "xhigh"}},
			wantErr{400, strp("reasoning.effort"), strp("unsupported_value"), "Supported values are: 'low', 'medium', and 'high'."}},
		{"json_schema without its schema", map[string]any{"model": "gpt-4o", "input": "hi", "text": map[string]any{"format": map[string]any{"type": "json_schema", "name": "v"}}},
			wantErr{400, strp("text.format.schema"), strp("missing_required_parameter"), "Missing required parameter: 'text.format.schema'."}},
		{"max_output_tokens below 16", map[string]any{"model": "gpt-4o", "input": "hi", "max_output_tokens": 10},
			wantErr{400, strp("max_output_tokens"), strp("integer_below_min_value"), "Expected a value >= 16, but got 10 instead."}},
		{"background without store", map[string]any{"model": "gpt-4o", "input": "hi", "background": true, "store": false},
			wantErr{400, strp("background"), nil, "Background mode requires 'store' to be true"}},
		{"compaction threshold too small", map[string]any{"model": "gpt-5", "input": "hi", "context_management": []map[string]any{{"type": "compaction", "compact_threshold": 500}}},
			wantErr{400, strp("context_management[0].compact_threshold"), strp("integer_below_min_value"), "Expected a value >= 1000"}},
		{"unknown context management type", map[string]any{"model": "gpt-5", "input": "hi", "context_management": []map[string]any{{"type": "truncate"}}},
			wantErr{400, strp("context_management[0].type"), strp("invalid_value"), "Invalid value: 'truncate'"}},
		{"unknown previous response", map[string]any{"model": "gpt-4o", "input": "hi", "previous_response_id": "resp_nope"},
			wantErr{404, strp("previous_response_id"), strp("previous_response_not_found"), "Previous response with id 'resp_nope' not found."}},
		{"previous response not stored", map[string]any{"model": "gpt-4o", "input": "hi", "previous_response_id": unstored.ID},
			wantErr{404, strp("previous_response_id"), strp("previous_response_not_found"), "not found"}},
		{"strict schema not an object", map[string]any{"model": "gpt-4o", "input": "hi", "text": map[string]any{"format": map[string]any{
			"type": "json_schema", "name": "v", "strict": true, "schema": map[string]any{"type": "array"}}}},
			wantErr{400, strp("text.format.schema"), strp("invalid_json_schema"), "schema must be a JSON Schema of 'type: \"object\"'"}},
		{"json_object without json", map[string]any{"model": "gpt-4o", "input": "hi", "text": map[string]any{"format": map[string]any{"type": "json_object"}}},
			wantErr{400, strp("input"), nil, "must contain the word 'json'"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkErr(t, postRaw(t, http.MethodPost, base+"/v1/responses", c.body), c.want)
		})
	}

	t.Run("unknown response id", func(t *testing.T) {
		checkErr(t, postRaw(t, http.MethodGet, base+"/v1/responses/resp_nope", nil), wantErr{404, nil, nil, "Response with id 'resp_nope' not found."})
		checkErr(t, postRaw(t, http.MethodGet, base+"/v1/responses/"+unstored.ID, nil), wantErr{404, nil, nil, "not found"})
	})
	t.Run("cancel a synchronous response", func(t *testing.T) {
		a := postRaw(t, http.MethodPost, base+"/v1/responses", map[string]any{"model": "gpt-4o", "input": "x"})
		var r struct{ ID string }
		require.NoError(t, json.Unmarshal(must(t, a), &r))
		checkErr(t, postRaw(t, http.MethodPost, base+"/v1/responses/"+r.ID+"/cancel", nil), wantErr{400, nil, nil, "background=true"})
	})
	t.Run("input item list", func(t *testing.T) {
		a := postRaw(t, http.MethodPost, base+"/v1/responses", map[string]any{"model": "gpt-4o", "input": []any{
			map[string]any{"role": "developer", "content": "rules"},
			map[string]any{"type": "message", "role": "user", "content": []any{map[string]any{"type": "input_text", "text": "parts"}}},
		}})
		assert.Contains(t, string(must(t, a)), "You said: parts")
	})
}

func TestScriptedRefusals(t *testing.T) {
	s, base := startOAI(t)
	client := oaiClient(base)
	ctx := context.Background()
	s.ScriptRefusal("no (responses)", "no (chat)")

	res, err := client.Responses.New(ctx, respParams("gpt-4o-mini", "analyse this"))
	require.NoError(t, err)
	assert.Empty(t, res.OutputText())
	part := res.Output[len(res.Output)-1].Content[0]
	assert.Equal(t, "refusal", part.Type)
	assert.Equal(t, "no (responses)", part.Refusal)
	assert.NotContains(t, part.RawJSON(), `"text"`, "a refusal part has only type and refusal")

	chat, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
		Model: "gpt-4o-mini", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hi")}})
	require.NoError(t, err)
	assert.Equal(t, "no (chat)", chat.Choices[0].Message.Refusal)
	assert.Empty(t, chat.Choices[0].Message.Content)
	assert.Contains(t, chat.Choices[0].Message.RawJSON(), `"content":null`)

	res, err = client.Responses.New(ctx, respParams("gpt-4o-mini", "again"))
	require.NoError(t, err)
	assert.NotEmpty(t, res.OutputText(), "one refusal per scripted message")
}
