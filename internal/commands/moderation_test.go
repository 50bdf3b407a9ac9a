package commands

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/soarkit/openai-gpt/internal/gpt"
)

// TestModerationTableNullCategory: a category the API did not evaluate
// (null) reads "not evaluated", not as an unflagged one, and flagged
// categories lead.
func TestModerationTableNullCategory(t *testing.T) {
	yes, no := true, false
	md := moderationTable(moderationInput{Type: "image", Value: "a.png"}, gpt.ModerationResult{
		Flagged:        true,
		Categories:     map[string]*bool{"violence": &yes, "hate": &no, "illicit": nil},
		CategoryScores: map[string]float64{"violence": 0.9, "hate": 0.01, "illicit": 0},
	}).Markdown()
	assert.Regexp(t, `(?s)violence.*⚠️ yes.*hate.*illicit \| not evaluated`, md)
}
