package warroom

// Usage is the token accounting of one model answer.
type Usage struct {
	Model           string
	InputTokens     int64
	OutputTokens    int64
	TotalTokens     int64
	ReasoningTokens int64
	Reasoning       bool   // a reasoning model answered: show the Reasoning tokens row
	ResponseID      string // Responses API only
}

// Markdown renders the usage table.
func (u Usage) Markdown() string {
	t := NewTable("Token usage", "Metric", "Value")
	if u.Model != "" {
		t.Row("Model", u.Model)
	}
	t.Row("Input tokens", u.InputTokens)
	t.Row("Output tokens", u.OutputTokens)
	if u.Reasoning {
		t.Row("Reasoning tokens", u.ReasoningTokens)
	}
	t.Row("Total tokens", u.TotalTokens)
	if u.ResponseID != "" {
		t.Row("Response ID", u.ResponseID)
	}
	return t.Markdown()
}
