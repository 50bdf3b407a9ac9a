package fakeopenai

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// chatFields are the top-level fields POST /v1/chat/completions accepts;
// anything else is refused as the real API refuses it.
var chatFields = []string{
	"model", "messages", "audio", "frequency_penalty", "function_call", "functions", "logit_bias",
	"logprobs", "max_completion_tokens", "max_tokens", "metadata", "modalities", "moderation", "n",
	"parallel_tool_calls", "prediction", "presence_penalty", "prompt_cache_key", "prompt_cache_options",
	"prompt_cache_retention", "reasoning_effort", "response_format", "safety_identifier", "seed",
	"service_tier", "stop", "store", "stream", "stream_options", "temperature", "tool_choice", "tools",
	"top_logprobs", "top_p", "user", "verbosity", "web_search_options",
}

var chatRoles = []string{"system", "assistant", "user", "function", "tool", "developer"}

// chatMessage is one message of the request, reduced to its text.
type chatMessage struct {
	role string
	text string
}

// chatCompletion is the chat.completion object.
type chatCompletion struct {
	ID                string       `json:"id"`
	Object            string       `json:"object"`
	Created           int64        `json:"created"`
	Model             string       `json:"model"`
	Choices           []chatChoice `json:"choices"`
	Usage             chatUsage    `json:"usage"`
	ServiceTier       string       `json:"service_tier"`
	SystemFingerprint string       `json:"system_fingerprint"`
}

type chatChoice struct {
	Index        int             `json:"index"`
	Message      chatOutMessage  `json:"message"`
	Logprobs     json.RawMessage `json:"logprobs"` // always null: logprobs are not produced
	FinishReason string          `json:"finish_reason"`
}

type chatOutMessage struct {
	Role        string  `json:"role"`
	Content     *string `json:"content"` // null when the model refused
	Refusal     *string `json:"refusal"`
	Annotations []any   `json:"annotations"`
}

type chatUsage struct {
	PromptTokens        int `json:"prompt_tokens"`
	CompletionTokens    int `json:"completion_tokens"`
	TotalTokens         int `json:"total_tokens"`
	PromptTokensDetails struct {
		CachedTokens     int `json:"cached_tokens"`
		AudioTokens      int `json:"audio_tokens"`
		CacheWriteTokens int `json:"cache_write_tokens"` // 0, as for responses (responses_types.go)
	} `json:"prompt_tokens_details"`
	CompletionTokensDetails struct {
		ReasoningTokens          int `json:"reasoning_tokens"`
		AudioTokens              int `json:"audio_tokens"`
		AcceptedPredictionTokens int `json:"accepted_prediction_tokens"`
		RejectedPredictionTokens int `json:"rejected_prediction_tokens"`
	} `json:"completion_tokens_details"`
}

// chatRequest is a validated chat completion request.
type chatRequest struct {
	model    modelInfo
	modelID  string
	messages []chatMessage
	limit    int64 // max_completion_tokens (or max_tokens); 0 = none
	n        int
	effort   string
	format   outputFormat
}

// chatCompletions answers POST /v1/chat/completions.
func (s *Server) chatCompletions(w http.ResponseWriter, r *http.Request) {
	req, rerr := parseChatRequest(r, s.cfg.CompatibleServer)
	if rerr != nil {
		rerr.write(w)
		return
	}
	c := convo{model: req.modelID}
	var all []string
	for _, m := range req.messages {
		all = append(all, m.text)
		switch m.role {
		case "user":
			c.turn++
			c.lastUser = m.text
		case "system", "developer":
			c.system += m.text + "\n"
		}
	}
	c.history = strings.Join(all, "\n")

	content := chatContent(req, c)
	reasoning := 0
	if req.model.reasoning() {
		reasoning = effortTokens(req.effort)
	}
	visible, finish := estimateTokens(content), "stop"
	if req.limit > 0 {
		content, visible, reasoning, finish = fitLimit(content, visible, reasoning, int(req.limit))
	}

	out := chatCompletion{
		ID: s.oai.newID("chatcmpl-", 29, false), Object: "chat.completion", Created: s.cfg.Now().Unix(),
		Model: req.model.answeredAs(), ServiceTier: "default", SystemFingerprint: "fp_f4ke0pena1",
	}
	msg := chatOutMessage{Role: "assistant", Content: &content, Annotations: []any{}}
	if refusal, ok := s.oai.nextRefusal(); ok {
		msg.Content, msg.Refusal = nil, &refusal
	}
	for i := range req.n {
		out.Choices = append(out.Choices, chatChoice{
			Index:        i,
			Message:      msg,
			Logprobs:     json.RawMessage("null"),
			FinishReason: finish,
		})
	}
	u := &out.Usage
	for _, m := range req.messages {
		u.PromptTokens += estimateTokens(m.text) + 4 // per-message framing, as tiktoken counts it
	}
	u.PromptTokens += 3
	u.CompletionTokens = (visible + reasoning) * req.n
	u.CompletionTokensDetails.ReasoningTokens = reasoning * req.n
	u.TotalTokens = u.PromptTokens + u.CompletionTokens
	writeJSON(w, http.StatusOK, out)
}

// chatContent is the assistant message for the requested output format.
func chatContent(req chatRequest, c convo) string {
	switch req.format.kind {
	case "json_schema":
		b, _ := json.Marshal(structuredAnswer(req.format.schema, c))
		return string(b)
	case "json_object":
		b, _ := json.Marshal(jsonObjectAnswer(c))
		return string(b)
	}
	return answerText(c)
}

// fitLimit applies a completion token limit: reasoning tokens are spent
// first, and what is left bounds the visible text. Over the limit, the
// answer is cut and finish_reason is "length".
func fitLimit(content string, visible, reasoning, limit int) (string, int, int, string) {
	if reasoning >= limit {
		return "", 0, limit, "length"
	}
	if visible+reasoning <= limit {
		return content, visible, reasoning, "stop"
	}
	room := limit - reasoning
	return truncateTokens(content, room), room, reasoning, "length"
}

// parseChatRequest reads a chat request. A compatible server (see
// Config.CompatibleServer) refuses max_completion_tokens the way older
// Azure deployments word it, and takes max_tokens from any model.
func parseChatRequest(r *http.Request, compatible bool) (chatRequest, *reqError) {
	req := chatRequest{n: 1, format: outputFormat{kind: "text"}}
	body, err := decodeBody(r)
	if err != nil {
		return req, err
	}
	if compatible && body.has("max_completion_tokens") {
		return req, invalidRequest("", "", "Unrecognized request argument supplied: max_completion_tokens")
	}
	if k := body.firstUnknown(chatFields); k != "" {
		// Chat Completions says it this way, with no param or code.
		return req, invalidRequest("", "", "Unrecognized request argument supplied: %s", k)
	}
	if !body.has("model") {
		return req, missingParam("model")
	}
	if req.messages, err = parseChatMessages(body); err != nil {
		return req, err
	}
	sampling, err := body.sampling()
	if err != nil {
		return req, err
	}
	maxTokens, hasMaxTokens, err := body.optInt("max_tokens", "max_tokens", 1)
	if err != nil {
		return req, err
	}
	maxCompletion, hasMaxCompletion, err := body.optInt("max_completion_tokens", "max_completion_tokens", 1)
	if err != nil {
		return req, err
	}
	n, hasN, err := body.optInt("n", "n", 1)
	if err != nil {
		return req, err
	}
	if hasN {
		if n > 128 {
			return req, invalidRequest("n", "integer_above_max_value",
				"Invalid 'n': integer above maximum value. Expected a value <= 128, but got %d instead.", n)
		}
		req.n = int(n)
	}
	for _, p := range []string{"presence_penalty", "frequency_penalty"} {
		if _, _, err := body.optNumber(p, p, -2, 2); err != nil {
			return req, err
		}
	}
	if stream, _, err := body.optBool("stream", "stream"); err != nil {
		return req, err
	} else if stream {
		return req, invalidRequest("stream", "unsupported_value", "This fake server does not stream: send stream=false.")
	}
	effortRaw, hasEffort := body["reasoning_effort"]
	if hasEffort {
		if req.effort, err = getEnum(effortRaw, "reasoning_effort", reasoningEfforts); err != nil {
			return req, err
		}
	}
	if raw, ok := body["response_format"]; ok {
		if req.format, err = parseFormat(raw, "response_format", true); err != nil {
			return req, err
		}
	}
	if req.model, err = textModel(body, "chat"); err != nil {
		return req, err
	}
	req.modelID = req.model.ID
	switch {
	case hasMaxCompletion:
		req.limit = maxCompletion
	case hasMaxTokens:
		req.limit = maxTokens
	}
	return req, req.checkForModel(sampling, hasMaxTokens && !compatible, hasEffort)
}

// checkForModel applies the rules that depend on the model and on the
// request as a whole. They come last, as on the real API: the request is
// well formed, this model just does not take it.
func (req *chatRequest) checkForModel(sampling samplingParams, hasMaxTokens, hasEffort bool) *reqError {
	if req.model.reasoning() {
		if hasMaxTokens {
			return unsupportedParameter("max_tokens", "Use 'max_completion_tokens' instead.")
		}
		if err := sampling.forReasoning(); err != nil {
			return err
		}
		if err := req.model.checkEffort(req.effort, "reasoning_effort"); err != nil {
			return err
		}
	} else if hasEffort {
		return unsupportedParameter("reasoning_effort", "")
	}
	if req.format.kind == "json_object" {
		var all strings.Builder
		for _, m := range req.messages {
			all.WriteString(m.text)
		}
		if !mentionsJSON(all.String()) {
			return invalidRequest("messages", "",
				"'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.")
		}
	}
	return nil
}

func parseChatMessages(body reqBody) ([]chatMessage, *reqError) {
	raw, ok := body["messages"]
	if !ok {
		return nil, missingParam("messages")
	}
	items, err := getArray(raw, "messages")
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, invalidRequest("messages", "empty_array",
			"Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.")
	}
	out := make([]chatMessage, 0, len(items))
	for i, item := range items {
		param := fmt.Sprintf("messages[%d]", i)
		m, err := getObject(item, param)
		if err != nil {
			return nil, err
		}
		roleRaw, ok := m["role"]
		if !ok {
			return nil, missingParam(param + ".role")
		}
		role, err := getEnum(roleRaw, param+".role", chatRoles)
		if err != nil {
			return nil, err
		}
		contentRaw, hasContent := m["content"]
		if !hasContent && role != "assistant" {
			return nil, missingParam(param + ".content")
		}
		if role == "tool" && !m.has("tool_call_id") {
			return nil, missingParam(param + ".tool_call_id")
		}
		text := ""
		if hasContent {
			if text, err = contentText(contentRaw, param+".content", "text"); err != nil {
				return nil, err
			}
		}
		out = append(out, chatMessage{role: role, text: text})
	}
	return out, nil
}

// contentText reads message content: a string, or an array of parts whose
// text parts (of type textType) are joined. Other parts (images, files,
// audio) are accepted and add nothing to the text.
func contentText(raw json.RawMessage, param, textTypes string) (string, *reqError) {
	switch jsonKind(raw) {
	case "string":
		return getString(raw, param)
	case "array":
	default:
		return "", invalidRequest(param, "invalid_type",
			"Invalid type for '%s': expected one of a string or array of objects, but got %s instead.", param, kindPhrase(jsonKind(raw)))
	}
	parts, _ := getArray(raw, param)
	var texts []string
	for j, p := range parts {
		pp := fmt.Sprintf("%s[%d]", param, j)
		part, err := getObject(p, pp)
		if err != nil {
			return "", err
		}
		typ, ok := part["type"]
		if !ok {
			return "", missingParam(pp + ".type")
		}
		t, err := getString(typ, pp+".type")
		if err != nil {
			return "", err
		}
		if !strings.Contains(","+textTypes+",", ","+t+",") {
			continue
		}
		textRaw, ok := part["text"]
		if !ok {
			return "", missingParam(pp + ".text")
		}
		s, err := getString(textRaw, pp+".text")
		if err != nil {
			return "", err
		}
		texts = append(texts, s)
	}
	return strings.Join(texts, "\n"), nil
}
