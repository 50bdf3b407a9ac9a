package fakeopenai

import (
	"net/http"
	"slices"
	"strings"
)

// modelKind says which endpoints a model serves.
type modelKind int

const (
	kindChat       modelKind = iota // chat completions and responses
	kindReasoning                   // same, with reasoning tokens and the reasoning-only rules
	kindModeration                  // /v1/moderations
	kindOther                       // embeddings, audio, images: listed, refused by the text endpoints
)

// modelInfo is one entry of the catalogue.
type modelInfo struct {
	ID      string
	Created int64
	OwnedBy string
	Kind    modelKind
	// Snapshot is the dated model an alias points to: the real API answers
	// with it in the "model" field, not with the alias that was asked for.
	Snapshot string
}

func (m modelInfo) reasoning() bool { return m.Kind == kindReasoning }

// efforts are the reasoning efforts the model takes; others are refused
// with unsupported_value, as the real API does (o-series: low to high;
// gpt-5: minimal to high; gpt-5.1: none to high; gpt-5.2: none to xhigh).
func (m modelInfo) efforts() []string {
	switch {
	case !m.reasoning():
		return nil
	case strings.HasPrefix(m.ID, "gpt-5.2"):
		return []string{"none", "low", "medium", "high", "xhigh"}
	case strings.HasPrefix(m.ID, "gpt-5.1"):
		return []string{"none", "low", "medium", "high"}
	case strings.HasPrefix(m.ID, "gpt-5"):
		return []string{"minimal", "low", "medium", "high"}
	}
	return []string{"low", "medium", "high"}
}

// checkEffort refuses an effort the model does not take.
func (m modelInfo) checkEffort(effort, param string) *reqError {
	if effort == "" || slices.Contains(m.efforts(), effort) {
		return nil
	}
	return invalidRequest(param, "unsupported_value", "Unsupported value: '%s' is not supported with the '%s' model. Supported values are: %s.",
		effort, m.ID, listPhrase(m.efforts()))
}

// answeredAs is the model name an answer reports.
func (m modelInfo) answeredAs() string {
	if m.Snapshot != "" {
		return m.Snapshot
	}
	return m.ID
}

// modelCatalogue is what GET /v1/models lists, in the (unordered-looking)
// order the real endpoint uses. Creation times are the real ones where known.
var modelCatalogue = []modelInfo{
	{ID: "gpt-5.2", Created: 1765389600, OwnedBy: "system", Kind: kindReasoning, Snapshot: "gpt-5.2-2025-12-11"},
	{ID: "gpt-5.2-2025-12-11", Created: 1765389000, OwnedBy: "system", Kind: kindReasoning},
	{ID: "gpt-5.1", Created: 1762988400, OwnedBy: "system", Kind: kindReasoning, Snapshot: "gpt-5.1-2025-11-13"},
	{ID: "gpt-5.1-2025-11-13", Created: 1762987800, OwnedBy: "system", Kind: kindReasoning},
	{ID: "gpt-5", Created: 1754425777, OwnedBy: "system", Kind: kindReasoning, Snapshot: "gpt-5-2025-08-07"},
	{ID: "gpt-5-2025-08-07", Created: 1754425384, OwnedBy: "system", Kind: kindReasoning},
	{ID: "gpt-5-mini", Created: 1754425928, OwnedBy: "system", Kind: kindReasoning, Snapshot: "gpt-5-mini-2025-08-07"},
	{ID: "gpt-5-mini-2025-08-07", Created: 1754425867, OwnedBy: "system", Kind: kindReasoning},
	{ID: "gpt-5-nano", Created: 1754426384, OwnedBy: "system", Kind: kindReasoning, Snapshot: "gpt-5-nano-2025-08-07"},
	{ID: "gpt-5-nano-2025-08-07", Created: 1754426303, OwnedBy: "system", Kind: kindReasoning},
	{ID: "o4-mini", Created: 1744225351, OwnedBy: "system", Kind: kindReasoning, Snapshot: "o4-mini-2025-04-16"},
	{ID: "o4-mini-2025-04-16", Created: 1744133506, OwnedBy: "system", Kind: kindReasoning},
	{ID: "o3", Created: 1744225308, OwnedBy: "system", Kind: kindReasoning, Snapshot: "o3-2025-04-16"},
	{ID: "o3-2025-04-16", Created: 1744133301, OwnedBy: "system", Kind: kindReasoning},
	{ID: "o3-mini", Created: 1737146383, OwnedBy: "system", Kind: kindReasoning, Snapshot: "o3-mini-2025-01-31"},
	{ID: "o3-mini-2025-01-31", Created: 1738010200, OwnedBy: "system", Kind: kindReasoning},
	{ID: "o1", Created: 1734375816, OwnedBy: "system", Kind: kindReasoning, Snapshot: "o1-2024-12-17"},
	{ID: "o1-2024-12-17", Created: 1734326976, OwnedBy: "system", Kind: kindReasoning},
	{ID: "gpt-4.1", Created: 1744316542, OwnedBy: "system", Kind: kindChat, Snapshot: "gpt-4.1-2025-04-14"},
	{ID: "gpt-4.1-2025-04-14", Created: 1744315746, OwnedBy: "system", Kind: kindChat},
	{ID: "gpt-4.1-mini", Created: 1744318173, OwnedBy: "system", Kind: kindChat, Snapshot: "gpt-4.1-mini-2025-04-14"},
	{ID: "gpt-4.1-mini-2025-04-14", Created: 1744317547, OwnedBy: "system", Kind: kindChat},
	{ID: "gpt-4.1-nano", Created: 1744321707, OwnedBy: "system", Kind: kindChat, Snapshot: "gpt-4.1-nano-2025-04-14"},
	{ID: "gpt-4.1-nano-2025-04-14", Created: 1744321025, OwnedBy: "system", Kind: kindChat},
	{ID: "gpt-4o", Created: 1715367049, OwnedBy: "system", Kind: kindChat, Snapshot: "gpt-4o-2024-08-06"},
	{ID: "gpt-4o-2024-08-06", Created: 1722814719, OwnedBy: "system", Kind: kindChat},
	{ID: "gpt-4o-mini", Created: 1721172741, OwnedBy: "system", Kind: kindChat, Snapshot: "gpt-4o-mini-2024-07-18"},
	{ID: "gpt-4o-mini-2024-07-18", Created: 1721172717, OwnedBy: "system", Kind: kindChat},
	{ID: "gpt-4-turbo", Created: 1712361441, OwnedBy: "system", Kind: kindChat, Snapshot: "gpt-4-turbo-2024-04-09"},
	{ID: "gpt-4-turbo-2024-04-09", Created: 1712601677, OwnedBy: "system", Kind: kindChat},
	{ID: "gpt-4", Created: 1687882411, OwnedBy: "openai", Kind: kindChat, Snapshot: "gpt-4-0613"},
	{ID: "gpt-4-0613", Created: 1686588896, OwnedBy: "openai", Kind: kindChat},
	{ID: "gpt-3.5-turbo", Created: 1677610602, OwnedBy: "openai", Kind: kindChat, Snapshot: "gpt-3.5-turbo-0125"},
	{ID: "gpt-3.5-turbo-0125", Created: 1706048358, OwnedBy: "system", Kind: kindChat},
	{ID: "omni-moderation-latest", Created: 1731689265, OwnedBy: "system", Kind: kindModeration},
	{ID: "omni-moderation-2024-09-26", Created: 1732734466, OwnedBy: "system", Kind: kindModeration},
	{ID: "text-embedding-3-small", Created: 1705948997, OwnedBy: "system", Kind: kindOther},
	{ID: "text-embedding-3-large", Created: 1705953180, OwnedBy: "system", Kind: kindOther},
	{ID: "text-embedding-ada-002", Created: 1671217299, OwnedBy: "openai-internal", Kind: kindOther},
	{ID: "whisper-1", Created: 1677532384, OwnedBy: "openai-internal", Kind: kindOther},
	{ID: "tts-1", Created: 1681940951, OwnedBy: "openai-internal", Kind: kindOther},
	{ID: "dall-e-3", Created: 1698785189, OwnedBy: "system", Kind: kindOther},
}

// hiddenModels are accepted by their endpoint but not listed, as the
// legacy text-moderation aliases are today.
var hiddenModels = []modelInfo{
	{ID: "text-moderation-latest", Created: 1677610602, OwnedBy: "openai-internal", Kind: kindModeration},
	{ID: "text-moderation-stable", Created: 1677610602, OwnedBy: "openai-internal", Kind: kindModeration},
}

func findModel(id string) (modelInfo, bool) {
	for _, m := range modelCatalogue {
		if m.ID == id {
			return m, true
		}
	}
	for _, m := range hiddenModels {
		if m.ID == id {
			return m, true
		}
	}
	return modelInfo{}, false
}

// modelObject is the API's model object.
type modelObject struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Created int64  `json:"created"`
	OwnedBy string `json:"owned_by"`
}

func (m modelInfo) object() modelObject {
	return modelObject{ID: m.ID, Object: "model", Created: m.Created, OwnedBy: m.OwnedBy}
}

// listModels answers GET /v1/models. The real endpoint is not paginated:
// one page, no has_more, no cursor.
func (s *Server) listModels(w http.ResponseWriter, _ *http.Request) {
	data := make([]modelObject, len(modelCatalogue))
	for i, m := range modelCatalogue {
		data[i] = m.object()
	}
	writeJSON(w, http.StatusOK, map[string]any{"object": "list", "data": data})
}

// getModel answers GET /v1/models/{model}.
func (s *Server) getModel(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("model")
	m, ok := findModel(id)
	if !ok || !isListedModel(id) {
		notFound("model", "model_not_found", "The model '%s' does not exist", id).write(w)
		return
	}
	writeJSON(w, http.StatusOK, m.object())
}

func isListedModel(id string) bool {
	for _, m := range modelCatalogue {
		if m.ID == id {
			return true
		}
	}
	return false
}

// textModel resolves the model of a chat or responses request: a missing
// model is a 400, an unknown one a 404 model_not_found, and a model that
// does not generate text (embeddings, moderation) is refused as the real
// endpoints refuse it.
func textModel(body reqBody, endpoint string) (modelInfo, *reqError) {
	raw, ok := body["model"]
	if !ok {
		return modelInfo{}, missingParam("model")
	}
	id, err := getString(raw, "model")
	if err != nil {
		return modelInfo{}, err
	}
	if strings.TrimSpace(id) == "" {
		return modelInfo{}, missingParam("model")
	}
	m, ok := findModel(id)
	if !ok {
		return modelInfo{}, notFound("model", "model_not_found",
			"The model '%s' does not exist or you do not have access to it.", id)
	}
	if m.Kind != kindChat && m.Kind != kindReasoning {
		if endpoint == "chat" {
			return modelInfo{}, notFound("model", "",
				"This is not a chat model and thus not supported in the v1/chat/completions endpoint. Did you mean to use v1/completions?")
		}
		return modelInfo{}, invalidRequest("model", "model_not_supported",
			"The model '%s' is not supported with the Responses API.", id)
	}
	return m, nil
}
