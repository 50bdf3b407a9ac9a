package gpt

import (
	"fmt"
	"strings"
)

// Generation holds the optional sampling settings of one call; nil means
// "not sent", so the API's own default applies.
type Generation struct {
	MaxTokens   *int64
	Temperature *float64
	TopP        *float64
}

// forModel drops what reasoning models reject (temperature and top_p other
// than their defaults) and says so, rather than failing the call.
func (g Generation) forModel(model string) (Generation, string) {
	if !IsReasoningModel(model) {
		return g, ""
	}
	var dropped []string
	if g.Temperature != nil {
		dropped = append(dropped, fmt.Sprintf("temperature=%g", *g.Temperature))
		g.Temperature = nil
	}
	if g.TopP != nil {
		dropped = append(dropped, fmt.Sprintf("top_p=%g", *g.TopP))
		g.TopP = nil
	}
	if len(dropped) == 0 {
		return g, ""
	}
	return g, fmt.Sprintf("%s not sent: reasoning model %s does not accept it", strings.Join(dropped, ", "), model)
}

// Schema asks for Structured Outputs: the answer is a JSON document
// matching Doc.
type Schema struct {
	Name        string
	Description string
	Doc         map[string]any
}

// Answer is a model's answer, whichever API produced it.
type Answer struct {
	ID     string
	Model  string
	Text   string
	Status string // Responses API: completed, incomplete, ...

	// IncompleteReason is set when the answer was cut short (e.g. max_output_tokens).
	IncompleteReason string
	// Refusal is the model's refusal message, when it declined to answer;
	// Text then reads "The model refused: " and the message.
	Refusal string
	// Structured reports whether Text is the JSON document a Schema asked for.
	Structured bool
	// Notes are things the user should know about how the call was made
	// (a dropped setting, a structured-output fallback).
	Notes []string

	InputTokens, OutputTokens, TotalTokens, ReasoningTokens int64
	Reasoning                                               bool
}

// refused records a refusal as the answer.
func (a *Answer) refused(message string) {
	a.Refusal = message
	a.Text, a.Structured = "The model refused: "+message, false
}
