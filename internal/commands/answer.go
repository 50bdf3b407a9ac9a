package commands

import (
	"strings"

	"github.com/soarkit/openai-gpt/internal/gpt"
	"github.com/soarkit/openai-gpt/internal/warroom"
)

// usageOf is the usage table of an answer; responseID is shown for the
// Responses API only.
func usageOf(a gpt.Answer, responseID string) warroom.Usage {
	return warroom.Usage{
		Model: a.Model, InputTokens: a.InputTokens, OutputTokens: a.OutputTokens,
		TotalTokens: a.TotalTokens, ReasoningTokens: a.ReasoningTokens,
		Reasoning: a.Reasoning, ResponseID: responseID,
	}
}

// answerMarkdown renders a model's answer: the text, what the user should
// know about how it was produced, and the usage table.
func answerMarkdown(title, text string, a gpt.Answer, responseID string) string {
	var b strings.Builder
	if title != "" {
		b.WriteString("### " + title + "\n")
	}
	// The answer is as untrusted as the email that steered it; notes can
	// quote an API's message.
	b.WriteString(warroom.ModelText(text))
	b.WriteString("\n\n")
	if a.IncompleteReason != "" {
		b.WriteString("> **Incomplete answer:** " + warroom.ModelText(a.IncompleteReason) + "\n\n")
	}
	for _, n := range a.Notes {
		b.WriteString("> Note: " + warroom.ModelText(n) + "\n\n")
	}
	b.WriteString(usageOf(a, responseID).Markdown())
	return b.String()
}

// answerContents is the machine-readable side of an answer entry.
func answerContents(a gpt.Answer, text string) map[string]any {
	c := map[string]any{
		"id": a.ID, "model": a.Model, "text": text,
		"usage": map[string]any{
			"input_tokens": a.InputTokens, "output_tokens": a.OutputTokens,
			"total_tokens": a.TotalTokens, "reasoning_tokens": a.ReasoningTokens,
		},
	}
	if a.IncompleteReason != "" {
		c["incomplete_reason"] = a.IncompleteReason
	}
	if a.Status != "" {
		c["status"] = a.Status
	}
	return c
}
