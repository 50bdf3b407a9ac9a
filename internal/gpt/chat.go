package gpt

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/shared"
)

// Roles of chat messages.
const (
	RoleSystem    = "system"
	RoleUser      = "user"
	RoleAssistant = "assistant"
)

// Message is one chat message.
type Message struct {
	Role    string
	Content string
}

// ChatRequest is one Chat Completions call.
type ChatRequest struct {
	Model    string // "": the client's Config.Model
	Messages []Message
	Gen      Generation // zero: the client's Config.Gen
	Schema   *Schema    // optional Structured Outputs
}

// Chat sends a Chat Completions request. When a Schema is given and the
// model or server cannot do Structured Outputs, it asks again for plain
// text and says so in the answer's notes.
func (c *Client) Chat(ctx context.Context, req ChatRequest) (Answer, error) {
	req.Model, req.Gen = c.defaults(req.Model, req.Gen)
	gen, note := req.Gen.forModel(req.Model)
	params := openai.ChatCompletionNewParams{Model: req.Model}
	for _, m := range req.Messages {
		switch m.Role {
		case RoleSystem:
			params.Messages = append(params.Messages, openai.SystemMessage(m.Content))
		case RoleAssistant:
			params.Messages = append(params.Messages, openai.AssistantMessage(m.Content))
		default:
			params.Messages = append(params.Messages, openai.UserMessage(m.Content))
		}
	}
	if gen.MaxTokens != nil {
		params.MaxCompletionTokens = openai.Int(*gen.MaxTokens)
	}
	if gen.Temperature != nil {
		params.Temperature = openai.Float(*gen.Temperature)
	}
	if gen.TopP != nil {
		params.TopP = openai.Float(*gen.TopP)
	}
	if req.Schema != nil {
		params.ResponseFormat = openai.ChatCompletionNewParamsResponseFormatUnion{
			OfJSONSchema: &shared.ResponseFormatJSONSchemaParam{JSONSchema: shared.ResponseFormatJSONSchemaJSONSchemaParam{
				Name: req.Schema.Name, Description: openai.String(req.Schema.Description),
				Schema: req.Schema.Doc, Strict: openai.Bool(true),
			}},
		}
	}
	res, err := c.Completions.New(ctx, params)
	var compat []option.RequestOption
	var compatNote string
	if err != nil && gen.MaxTokens != nil && maxCompletionTokensRefused(err) {
		// An OpenAI-compatible server that predates max_completion_tokens:
		// the same limit, under the older name, once.
		compat = []option.RequestOption{
			option.WithJSONDel("max_completion_tokens"), option.WithJSONSet("max_tokens", *gen.MaxTokens),
		}
		compatNote = fmt.Sprintf("the server does not take max_completion_tokens (an OpenAI-compatible server): sent max_tokens=%d instead", *gen.MaxTokens)
		res, err = c.Completions.New(ctx, params, compat...)
	}
	structured := req.Schema != nil
	var fallback string
	if err != nil && structured && structuredUnsupported(err) {
		fallback = "structured output not available on this model or server (" + Describe(err) + "); answered as text"
		params.ResponseFormat = openai.ChatCompletionNewParamsResponseFormatUnion{}
		structured = false
		res, err = c.Completions.New(ctx, params, compat...)
	}
	if err != nil {
		return Answer{}, err
	}
	if len(res.Choices) == 0 {
		return Answer{}, fmt.Errorf("OpenAI answered with no choices (completion %s)", res.ID)
	}
	choice := res.Choices[0]
	a := Answer{
		ID: res.ID, Model: res.Model, Text: choice.Message.Content, Structured: structured,
		InputTokens: res.Usage.PromptTokens, OutputTokens: res.Usage.CompletionTokens,
		TotalTokens: res.Usage.TotalTokens, ReasoningTokens: res.Usage.CompletionTokensDetails.ReasoningTokens,
		Reasoning: IsReasoningModel(req.Model) || IsReasoningModel(res.Model),
	}
	if choice.Message.Refusal != "" {
		a.refused(choice.Message.Refusal)
	}
	if choice.FinishReason == "length" {
		a.IncompleteReason = "max_tokens reached"
	}
	a.Notes = appendNonEmpty(a.Notes, note, compatNote, fallback)
	return a, nil
}

// structuredUnsupported recognises the 400 a model or server gives when it
// cannot do json_schema output.
func structuredUnsupported(err error) bool {
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 {
		return false
	}
	text := strings.ToLower(apiErr.Param + " " + apiErr.Message)
	return strings.Contains(text, "response_format") || strings.Contains(text, "text.format") ||
		strings.Contains(text, "json_schema")
}

// maxCompletionTokensRefused recognises the 400 an OpenAI-compatible
// server (vLLM, Ollama, LiteLLM, older Azure deployments) gives for a
// field it does not know, naming max_completion_tokens. A complaint about
// its value (too large for the model) is not this, and is not retried.
func maxCompletionTokensRefused(err error) bool {
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 {
		return false
	}
	text := strings.ToLower(apiErr.Param + " " + apiErr.Message + " " + apiErr.RawJSON())
	if !strings.Contains(text, "max_completion_tokens") {
		return false
	}
	for _, refusal := range []string{"unrecognized", "unknown", "unsupported", "not supported", "extra", "not permitted", "not allowed", "unexpected"} {
		if strings.Contains(text, refusal) {
			return true
		}
	}
	return false
}

func appendNonEmpty(list []string, items ...string) []string {
	for _, s := range items {
		if s != "" {
			list = append(list, s)
		}
	}
	return list
}
