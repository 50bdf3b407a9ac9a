package fakeopenai

import "net/http"

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
}

// incomplete is obj stopped early: the answer cut in half and marked so.
func incomplete(obj respObject, reason string) respObject {
	if reason == "" {
		reason = "max_output_tokens"
	}
	obj.Status = "incomplete"
	obj.CompletedAt = nil // "only present when the status is completed"
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
