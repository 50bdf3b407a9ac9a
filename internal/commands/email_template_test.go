package commands

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/protocol"
)

// TestSOCEmailNeedsAnalysis: with no email analysis in context, the SOC
// email commands answer with an error entry naming the command to run
// first, and never ask the model (the URL points nowhere).
func TestSOCEmailNeedsAnalysis(t *testing.T) {
	p := New(nil, nil)
	params := map[string]any{"apikey": "sk-test-123456", "url": "http://127.0.0.1:1/"}
	for cmd, first := range map[string]string{
		"gpt-create-soc-email-template": "!gpt-check-email-body entryId=",
		"gpt-draft-soc-email":           "!gpt-analyze-email-body entry_id=",
	} {
		res, err := p.Execute(context.Background(), nullHostClient{}, protocol.ExecuteRequest{Command: cmd, Args: map[string]any{}, Params: params})
		require.NoError(t, err)
		require.True(t, res.Failed(), cmd)
		assert.Contains(t, res.Entries[0].Contents, "no email analysis in context", cmd)
		assert.Contains(t, res.Entries[0].Contents, first, cmd)
		assert.NotContains(t, res.Entries[0].Contents, "127.0.0.1:1", cmd)
	}
}

func TestLastAnalysis(t *testing.T) {
	host := contextHost{doc: map[string]any{"OpenAiChatGPTV3": map[string]any{
		"Verdict": map[string]any{"verdict": "malicious", "command": "gpt-analyze-email-body", "entry_id": "4@1"},
	}}}
	assert.NoError(t, requireAnalysis(context.Background(), host, analysisForDraft))
	err := requireAnalysis(context.Background(), host, analysisForTemplate)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "entryId=4@1", "the hint reuses the entry analysed with the other API")
}

// contextHost serves one incident context.
type contextHost struct {
	nullHostClient
	doc map[string]any
}

func (h contextHost) Context(context.Context, protocol.Scope) (map[string]any, error) {
	return h.doc, nil
}
