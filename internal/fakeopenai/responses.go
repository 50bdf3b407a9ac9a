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

// respObject is the response object.
type respObject struct {
	ID                 string          `json:"id"`
	Object             string          `json:"object"`
	CreatedAt          int64           `json:"created_at"`
	Status             string          `json:"status"`
	Background         bool            `json:"background"`
	CompletedAt        *int64          `json:"completed_at"`
	Error              *respError      `json:"error"`
	IncompleteDetails  *respIncomplete `json:"incomplete_details"`
	Instructions       *string         `json:"instructions"`
	MaxOutputTokens    *int64          `json:"max_output_tokens"`
	MaxToolCalls       *int64          `json:"max_tool_calls"`
	Model              string          `json:"model"`
	Output             []any           `json:"output"`
	ParallelToolCalls  bool            `json:"parallel_tool_calls"`
	PreviousResponseID *string         `json:"previous_response_id"`
	Reasoning          respReasoning   `json:"reasoning"`
	ServiceTier        string          `json:"service_tier"`
	Store              bool            `json:"store"`
	Temperature        float64         `json:"temperature"`
	Text               map[string]any  `json:"text"`
	ToolChoice         string          `json:"tool_choice"`
	Tools              []any           `json:"tools"`
	TopLogprobs        int             `json:"top_logprobs"`
	TopP               float64         `json:"top_p"`
	Truncation         string          `json:"truncation"`
	Usage              *respUsage      `json:"usage"`
	User               *string         `json:"user"`
	Metadata           map[string]any  `json:"metadata"`
}

type respError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

type respIncomplete struct {
	Reason string `json:"reason"`
}

type respReasoning struct {
	Effort  *string `json:"effort"`
	Summary *string `json:"summary"`
}

type respUsage struct {
	InputTokens        int `json:"input_tokens"`
	InputTokensDetails struct {
		CachedTokens int `json:"cached_tokens"`
	} `json:"input_tokens_details"`
	OutputTokens        int `json:"output_tokens"`
	OutputTokensDetails struct {
		ReasoningTokens int `json:"reasoning_tokens"`
	} `json:"output_tokens_details"`
	TotalTokens int `json:"total_tokens"`
}

// Output items.
type (
	respMessageItem struct {
		ID      string           `json:"id"`
		Type    string           `json:"type"`
		Status  string           `json:"status"`
		Role    string           `json:"role"`
		Content []respOutputText `json:"content"`
	}
	// respOutputText is a message's content part: output_text, or a
	// refusal when Refusal is set (see MarshalJSON).
	respOutputText struct {
		Type        string `json:"type"`
		Annotations []any  `json:"annotations"`
		Logprobs    []any  `json:"logprobs"`
		Text        string `json:"text"`
		Refusal     string `json:"-"`
	}
	respReasoningItem struct {
		ID      string `json:"id"`
		Type    string `json:"type"`
		Summary []any  `json:"summary"`
	}
	respCompactionItem struct {
		ID               string `json:"id"`
		Type             string `json:"type"`
		EncryptedContent string `json:"encrypted_content"`
	}
)

// MarshalJSON writes a refusal part as the API does: {type, refusal} only.
func (p respOutputText) MarshalJSON() ([]byte, error) {
	if p.Refusal != "" {
		return json.Marshal(struct {
			Type    string `json:"type"`
			Refusal string `json:"refusal"`
		}{"refusal", p.Refusal})
	}
	type plain respOutputText
	return json.Marshal(plain(p))
}

// storedResponse is a response and what a later turn needs from it.
type storedResponse struct {
	obj     respObject // as GET shows it now
	final   respObject // what a background response becomes when it completes
	turn    int        // chain length up to and including this response
	context int        // tokens the next turn in the chain inherits
	history string     // every text of the chain, for the SOC email's verdict
	stored  bool       // store=true: GET and previous_response_id find it

	outcome   BackgroundOutcome
	pollsLeft int
}

func (sr *storedResponse) terminal() bool {
	switch sr.obj.Status {
	case "queued", "in_progress":
		return false
	}
	return true
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

// pending is obj before it has finished: no output, usage or completion time.
func pending(obj respObject, status string) respObject {
	obj.Status, obj.Output, obj.Usage, obj.CompletedAt = status, []any{}, nil, nil
	obj.IncompleteDetails, obj.Error = nil, nil
	return obj
}

// advance moves a background response one poll forward.
func (sr *storedResponse) advance() {
	if sr.terminal() {
		return
	}
	if sr.pollsLeft > 0 {
		sr.pollsLeft--
		sr.obj = pending(sr.obj, "in_progress")
		return
	}
	o := sr.outcome
	switch o.Status {
	case "failed":
		sr.obj = pending(sr.final, "failed")
		code, msg := o.ErrorCode, o.ErrorMessage
		if code == "" {
			code = "server_error"
		}
		if msg == "" {
			msg = "An error occurred while processing your request."
		}
		sr.obj.Error = &respError{Code: code, Message: msg}
	case "cancelled":
		sr.obj = pending(sr.final, "cancelled")
	case "incomplete":
		sr.obj = incomplete(sr.final, o.IncompleteReason)
	default:
		sr.obj = sr.final
	}
	sr.obj.CompletedAt = sr.final.CompletedAt
}

// incomplete is obj stopped early: the answer cut in half and marked so.
func incomplete(obj respObject, reason string) respObject {
	if reason == "" {
		reason = "max_output_tokens"
	}
	obj.Status = "incomplete"
	obj.IncompleteDetails = &respIncomplete{Reason: reason}
	out := make([]any, 0, len(obj.Output))
	for _, item := range obj.Output {
		if m, ok := item.(respMessageItem); ok {
			m.Status = "incomplete"
			half := []rune(m.Content[0].Text)
			m.Content = []respOutputText{{Type: "output_text", Annotations: []any{}, Logprobs: []any{},
				Text: string(half[:len(half)/2])}}
			item = m
		}
		out = append(out, item)
	}
	obj.Output = out
	return obj
}

// lookup finds a stored response for GET, DELETE and cancel, or writes the
// API's 404. The caller holds st.mu.
func (st *openAIState) lookup(w http.ResponseWriter, id string) *storedResponse {
	sr, ok := st.responses[id]
	if !ok || !sr.stored {
		notFound("", "", "Response with id '%s' not found.", id).write(w)
		return nil
	}
	return sr
}

// getResponse answers GET /v1/responses/{id}; each GET of a background
// response moves it one step towards its outcome.
func (s *Server) getResponse(w http.ResponseWriter, r *http.Request) {
	s.oai.mu.Lock()
	defer s.oai.mu.Unlock()
	sr := s.oai.lookup(w, r.PathValue("id"))
	if sr == nil {
		return
	}
	sr.advance()
	writeJSON(w, http.StatusOK, sr.obj)
}

// deleteResponse answers DELETE /v1/responses/{id}.
func (s *Server) deleteResponse(w http.ResponseWriter, r *http.Request) {
	s.oai.mu.Lock()
	defer s.oai.mu.Unlock()
	id := r.PathValue("id")
	if s.oai.lookup(w, id) == nil {
		return
	}
	delete(s.oai.responses, id)
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "object": "response.deleted", "deleted": true})
}

// cancelResponse answers POST /v1/responses/{id}/cancel: only background
// responses can be cancelled; cancelling a cancelled one is a no-op.
func (s *Server) cancelResponse(w http.ResponseWriter, r *http.Request) {
	s.oai.mu.Lock()
	defer s.oai.mu.Unlock()
	sr := s.oai.lookup(w, r.PathValue("id"))
	if sr == nil {
		return
	}
	switch {
	case !sr.obj.Background:
		invalidRequest("", "", "Only responses created with background=true can be cancelled.").write(w)
		return
	case sr.obj.Status == "cancelled":
	case sr.terminal():
		invalidRequest("", "", "Cannot cancel a response with status '%s'.", sr.obj.Status).write(w)
		return
	default:
		sr.obj = pending(sr.final, "cancelled")
	}
	writeJSON(w, http.StatusOK, sr.obj)
}
