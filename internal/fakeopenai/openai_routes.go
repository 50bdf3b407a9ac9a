package fakeopenai

import (
	"crypto/sha256"
	"fmt"
	"sync"
)

// openAIRoutes registers the model endpoints: /v1/models, chat completions,
// responses, moderations. The route names are the keys Script takes.
func (s *Server) openAIRoutes() {
	s.oai = &openAIState{responses: map[string]*storedResponse{}}
	s.handle("GET /v1/models", "models", keyAPI, s.listModels)
	s.handle("GET /v1/models/{model}", "models.get", keyAPI, s.getModel)
	s.handle("POST /v1/chat/completions", "chat", keyAPI, s.chatCompletions)
	s.handle("POST /v1/responses", "responses", keyAPI, s.createResponse)
	s.handle("GET /v1/responses/{id}", "responses.get", keyAPI, s.getResponse)
	s.handle("DELETE /v1/responses/{id}", "responses.delete", keyAPI, s.deleteResponse)
	s.handle("POST /v1/responses/{id}/cancel", "responses.cancel", keyAPI, s.cancelResponse)
	s.handle("POST /v1/moderations", "moderations", keyAPI, s.moderations)
}

// openAIState is what the model endpoints remember between requests.
type openAIState struct {
	mu         sync.Mutex
	seq        uint64
	responses  map[string]*storedResponse
	background []BackgroundOutcome // scripted, consumed by the next background responses
	refusals   []string            // scripted, consumed by the next model answers
}

// nextRefusal takes the next scripted refusal, if any.
func (st *openAIState) nextRefusal() (string, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.popRefusal()
}

// popRefusal is nextRefusal for a caller that holds st.mu.
func (st *openAIState) popRefusal() (string, bool) {
	if len(st.refusals) == 0 {
		return "", false
	}
	r := st.refusals[0]
	st.refusals = st.refusals[1:]
	return r, true
}

const idAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// newID makes the next object id: prefix plus n characters, deterministic
// for a given server (the n-th id is always the same) and shaped like the
// real ones (chatcmpl-..., resp_..., modr-...). hex selects lower-case hex
// characters, as resp_ and msg_ ids use.
func (st *openAIState) newID(prefix string, n int, hex bool) string {
	st.mu.Lock()
	st.seq++
	seq := st.seq
	st.mu.Unlock()
	alphabet := idAlphabet
	if hex {
		alphabet = "0123456789abcdef"
	}
	out := make([]byte, 0, n)
	for block := 0; len(out) < n; block++ {
		sum := sha256.Sum256(fmt.Appendf(nil, "%s/%d/%d", prefix, seq, block))
		for _, b := range sum {
			if len(out) == n {
				break
			}
			out = append(out, alphabet[int(b)%len(alphabet)])
		}
	}
	return prefix + string(out)
}
