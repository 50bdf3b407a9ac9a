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
	ids := respIDs{resp: st.newID("resp_", 48, true), msg: st.newID("msg_", 48, true),
		reasoning: st.newID("rs_", 48, true), compaction: st.newID("cmp_", 48, true)}

	st.mu.Lock()
	defer st.mu.Unlock()
	prev, rerr := st.previous(req.previous)
	if rerr != nil {
		rerr.write(w)
		return
	}
	t := composeTurn(req, prev)
	obj := respObjectFor(req, t, ids, s.cfg.Now().Unix())
	if t.text != "" || t.finish == "stop" {
		obj.Output = append(obj.Output, messageItem(ids.msg, t, st))
	}

	sr := &storedResponse{final: obj, obj: obj, turn: t.convo.turn, stored: req.store,
		history: t.convo.history + "\n" + t.text, context: t.context}
	if req.background {
		sr.outcome = defaultBackground
		if len(st.background) > 0 {
			sr.outcome, st.background = st.background[0], st.background[1:]
		}
		sr.pollsLeft = sr.outcome.Polls
		sr.obj = pending(obj, "queued")
	}
	st.responses[ids.resp] = sr
	writeJSON(w, http.StatusOK, sr.obj)
}

// respIDs are the ids one response hands out.
type respIDs struct{ resp, msg, reasoning, compaction string }

// previous is the stored, finished response a request continues, or the
// API's error for one that is unknown, unstored or still running. The
// caller holds st.mu.
func (st *openAIState) previous(id string) (*storedResponse, *reqError) {
	if id == "" {
		return nil, nil
	}
	p, ok := st.responses[id]
	if !ok || !p.stored {
		return nil, notFound("previous_response_id", "previous_response_not_found",
			"Previous response with id '%s' not found.", id)
	}
	if !p.terminal() {
		return nil, invalidRequest("previous_response_id", "",
			"Previous response with id '%s' is still in progress.", id)
	}
	return p, nil
}

// turn is what one response says and what it costs.
type turn struct {
	convo                  convo
	text, finish           string // finish: "stop" or "length"
	visible, reasoning     int    // output tokens
	inputTokens, inherited int
	compacted              bool
	context                int // tokens the chain carries into the next turn
}

// composeTurn writes the answer to req, continuing prev (nil for a first
// turn), and counts its tokens.
func composeTurn(req respRequest, prev *storedResponse) turn {
	t := turn{convo: convo{model: req.model.ID, turn: 1, previous: req.previous, lastUser: req.lastUser}}
	history := ""
	if prev != nil {
		t.convo.turn, t.inherited, history = prev.turn+1, prev.context, prev.history
	}
	thisInput := 0
	for _, in := range req.inputTexts {
		thisInput += estimateTokens(in) + 4
	}
	instructionTokens := 0
	if req.instructions != nil {
		instructionTokens = estimateTokens(*req.instructions) + 4
	}
	t.inputTokens = t.inherited + thisInput + instructionTokens
	t.compacted = req.compactAt > 0 && t.inputTokens > req.compactAt
	if t.compacted {
		t.convo.note = "context compacted"
	}
	t.convo.history = strings.Join(append([]string{history}, req.inputTexts...), "\n")

	t.text = answerText(t.convo)
	switch req.format.kind {
	case "json_schema":
		b, _ := json.Marshal(structuredAnswer(req.format.schema, t.convo))
		t.text = string(b)
	case "json_object":
		b, _ := json.Marshal(jsonObjectAnswer(t.convo))
		t.text = string(b)
	}
	if req.model.reasoning() {
		t.reasoning = effortTokens(req.effort)
	}
	t.visible, t.finish = estimateTokens(t.text), "stop"
	if req.maxOutput != nil {
		t.text, t.visible, t.reasoning, t.finish = fitLimit(t.text, t.visible, t.reasoning, int(*req.maxOutput))
	}
	t.context = t.inherited + thisInput + t.visible
	if t.compacted {
		t.context = 64 + thisInput + t.visible // the compaction item stands for the older turns
	}
	return t
}

// respObjectFor is the response object for turn t, without its message.
func respObjectFor(req respRequest, t turn, ids respIDs, now int64) respObject {
	obj := respObject{
		ID: ids.resp, Object: "response", CreatedAt: now, Status: "completed", Background: req.background,
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
	if t.compacted {
		obj.Output = append(obj.Output, respCompactionItem{ID: ids.compaction, Type: "compaction",
			EncryptedContent: "gAAAAAB" + strings.TrimPrefix(ids.compaction, "cmp_")})
	}
	if req.model.reasoning() {
		effort := req.effort
		obj.Reasoning.Effort = &effort
		obj.Output = append(obj.Output, respReasoningItem{ID: ids.reasoning, Type: "reasoning", Summary: []any{}})
	}
	if t.finish == "length" {
		obj.Status = "incomplete"
		obj.CompletedAt = nil // "only present when the status is completed"
		obj.IncompleteDetails = &respIncomplete{Reason: "max_output_tokens"}
	}
	u := &respUsage{InputTokens: t.inputTokens, OutputTokens: t.visible + t.reasoning}
	u.OutputTokensDetails.ReasoningTokens = t.reasoning
	u.TotalTokens = u.InputTokens + u.OutputTokens
	if t.inherited >= 1024 {
		// Prompt caching covers a long enough shared prefix, in 128-token steps.
		u.InputTokensDetails.CachedTokens = t.inherited / 128 * 128
	}
	obj.Usage = u
	return obj
}

// messageItem is the assistant message of turn t, or a scripted refusal.
// The caller holds st.mu.
func messageItem(id string, t turn, st *openAIState) respMessageItem {
	status := "completed"
	if t.finish == "length" {
		status = "incomplete"
	}
	part := respOutputText{Type: "output_text", Annotations: []any{}, Logprobs: []any{}, Text: t.text}
	if refusal, ok := st.popRefusal(); ok {
		part = respOutputText{Type: "refusal", Refusal: refusal}
	}
	return respMessageItem{ID: id, Type: "message", Status: status, Role: "assistant", Content: []respOutputText{part}}
}
