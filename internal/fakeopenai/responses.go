package fakeopenai

import (
	"encoding/json"
	"net/http"
	"strings"
)

// respFields are the top-level fields POST /v1/responses accepts.
var respFields = []string{
	"access_programs", "background", "context_management", "conversation", "include", "input",
	"instructions", "max_output_tokens", "max_tool_calls", "metadata", "model", "moderation",
	"parallel_tool_calls", "previous_response_id", "prompt", "prompt_cache_key", "prompt_cache_options",
	"prompt_cache_retention", "reasoning", "safety_identifier", "service_tier", "store", "stream",
	"stream_options", "temperature", "text", "tool_choice", "tools", "top_logprobs", "top_p",
	"truncation", "user",
}

var respInputRoles = []string{"user", "assistant", "system", "developer"}

// BackgroundOutcome scripts how the next background response ends
// (ScriptBackground). The zero value completes on the first GET.
type BackgroundOutcome struct {
	Status           string // "completed" (or ""), "failed", "incomplete" or "cancelled"
	Polls            int    // GETs that still see "in_progress" before the terminal status
	ErrorCode        string // failed: error.code, default "server_error"
	ErrorMessage     string // failed: error.message
	IncompleteReason string // incomplete: incomplete_details.reason, default "max_output_tokens"
}

// defaultBackground is what an unscripted background response does: one
// GET sees it in progress, the next sees it completed.
var defaultBackground = BackgroundOutcome{Status: "completed", Polls: 1}

// ScriptBackground queues outcomes for the next background responses, one
// each, in order. Unscripted ones complete on their second GET.
func (s *Server) ScriptBackground(outcomes ...BackgroundOutcome) {
	s.oai.mu.Lock()
	defer s.oai.mu.Unlock()
	s.oai.background = append(s.oai.background, outcomes...)
}

// ScriptRefusal makes the next model answers (chat completions or
// responses), one per message, refusals with these messages, as a model
// declining a request answers.
func (s *Server) ScriptRefusal(messages ...string) {
	s.oai.mu.Lock()
	defer s.oai.mu.Unlock()
	s.oai.refusals = append(s.oai.refusals, messages...)
}

// Response returns a response as GET /v1/responses/{id} would show it now,
// without counting as a poll; it also finds responses created with
// store=false, which the API itself does not return.
func (s *Server) Response(id string) (json.RawMessage, bool) {
	s.oai.mu.Lock()
	defer s.oai.mu.Unlock()
	sr, ok := s.oai.responses[id]
	if !ok {
		return nil, false
	}
	b, err := json.Marshal(sr.obj)
	return b, err == nil
}

// respRequest is a validated create request.
type respRequest struct {
	model        modelInfo
	inputTexts   []string // every input message's text, in order
	lastUser     string
	instructions *string
	maxOutput    *int64
	effort       string
	summary      *string
	sampling     samplingParams
	background   bool
	store        bool
	previous     string
	compactAt    int // compaction threshold in tokens, 0 = none
	format       outputFormat
	text         map[string]any
	metadata     map[string]any
	user         *string
}

// createResponse answers POST /v1/responses.
func (s *Server) createResponse(w http.ResponseWriter, r *http.Request) {
	req, rerr := parseRespRequest(r)
	if rerr != nil {
		rerr.write(w)
		return
	}
	st := s.oai
	// Ids first: newID takes the state lock itself.
	id := st.newID("resp_", 48, true)
	msgID, rsID, cmpID := st.newID("msg_", 48, true), st.newID("rs_", 48, true), st.newID("cmp_", 48, true)

	st.mu.Lock()
	defer st.mu.Unlock()
	var prev *storedResponse
	if req.previous != "" {
		p, ok := st.responses[req.previous]
		if !ok || !p.stored {
			notFound("previous_response_id", "previous_response_not_found",
				"Previous response with id '%s' not found.", req.previous).write(w)
			return
		}
		if !p.terminal() {
			invalidRequest("previous_response_id", "",
				"Previous response with id '%s' is still in progress.", req.previous).write(w)
			return
		}
		prev = p
	}

	c := convo{model: req.model.ID, turn: 1, previous: req.previous, lastUser: req.lastUser}
	inherited, history := 0, ""
	if prev != nil {
		c.turn, inherited, history = prev.turn+1, prev.context, prev.history
	}
	thisInput := 0
	for _, t := range req.inputTexts {
		thisInput += estimateTokens(t) + 4
	}
	instructionTokens := 0
	if req.instructions != nil {
		instructionTokens = estimateTokens(*req.instructions) + 4
	}
	inputTokens := inherited + thisInput + instructionTokens
	compacted := req.compactAt > 0 && inputTokens > req.compactAt
	if compacted {
		c.note = "context compacted"
	}
	c.history = strings.Join(append([]string{history}, req.inputTexts...), "\n")

	text := answerText(c)
	switch req.format.kind {
	case "json_schema":
		b, _ := json.Marshal(structuredAnswer(req.format.schema, c))
		text = string(b)
	case "json_object":
		b, _ := json.Marshal(jsonObjectAnswer(c))
		text = string(b)
	}
	reasoning := 0
	if req.model.reasoning() {
		reasoning = effortTokens(req.effort)
	}
	visible, finish := estimateTokens(text), "stop"
	if req.maxOutput != nil {
		text, visible, reasoning, finish = fitLimit(text, visible, reasoning, int(*req.maxOutput))
	}

	now := s.cfg.Now().Unix()
	obj := respObject{
		ID: id, Object: "response", CreatedAt: now, Status: "completed", Background: req.background,
		CompletedAt: &now, Instructions: req.instructions, MaxOutputTokens: req.maxOutput,
		Model: req.model.answeredAs(), Output: []any{}, ParallelToolCalls: true,
		ServiceTier: "default", Store: req.store, Temperature: 1, Text: req.text, ToolChoice: "auto",
		Tools: []any{}, TopP: 1, Truncation: "disabled", User: req.user, Metadata: req.metadata,
		Reasoning: respReasoning{Summary: req.summary},
	}
	if req.previous != "" {
		obj.PreviousResponseID = &req.previous
	}
	if req.sampling.hasTemperature {
		obj.Temperature = req.sampling.temperature
	}
	if req.sampling.hasTopP {
		obj.TopP = req.sampling.topP
	}
	if compacted {
		obj.Output = append(obj.Output, respCompactionItem{ID: cmpID, Type: "compaction",
			EncryptedContent: "gAAAAAB" + strings.TrimPrefix(cmpID, "cmp_")})
	}
	if req.model.reasoning() {
		effort := req.effort
		obj.Reasoning.Effort = &effort
		obj.Output = append(obj.Output, respReasoningItem{ID: rsID, Type: "reasoning", Summary: []any{}})
	}
	if finish == "length" {
		obj.Status = "incomplete"
		obj.IncompleteDetails = &respIncomplete{Reason: "max_output_tokens"}
	}
	if text != "" || finish == "stop" {
		status := "completed"
		if finish == "length" {
			status = "incomplete"
		}
		part := respOutputText{Type: "output_text", Annotations: []any{}, Logprobs: []any{}, Text: text}
		if refusal, ok := st.popRefusal(); ok {
			part = respOutputText{Type: "refusal", Refusal: refusal}
		}
		obj.Output = append(obj.Output, respMessageItem{ID: msgID, Type: "message", Status: status, Role: "assistant",
			Content: []respOutputText{part}})
	}
	u := &respUsage{InputTokens: inputTokens, OutputTokens: visible + reasoning}
	u.OutputTokensDetails.ReasoningTokens = reasoning
	u.TotalTokens = u.InputTokens + u.OutputTokens
	if inherited >= 1024 {
		// Prompt caching covers a long enough shared prefix, in 128-token steps.
		u.InputTokensDetails.CachedTokens = inherited / 128 * 128
	}
	obj.Usage = u

	sr := &storedResponse{final: obj, obj: obj, turn: c.turn, stored: req.store,
		history: c.history + "\n" + text}
	sr.context = inherited + thisInput + visible
	if compacted {
		sr.context = 64 + thisInput + visible // the compaction item stands for the older turns
	}
	if req.background {
		sr.outcome = defaultBackground
		if len(st.background) > 0 {
			sr.outcome, st.background = st.background[0], st.background[1:]
		}
		sr.pollsLeft = sr.outcome.Polls
		sr.obj = pending(obj, "queued")
	}
	st.responses[id] = sr
	writeJSON(w, http.StatusOK, sr.obj)
}
