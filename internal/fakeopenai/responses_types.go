package fakeopenai

import "encoding/json"

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
		// CacheWriteTokens is required since July 2026. Automatic prompt
		// caching, the only kind the fake models, bills no cache writes:
		// the API then sends 0, as its own examples show.
		CacheWriteTokens int `json:"cache_write_tokens"`
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
