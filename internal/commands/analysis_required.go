package commands

import (
	"context"
	"fmt"
	"slices"

	"github.com/soarkit/openai-gpt/internal/protocol"
)

// analysisNeed says which analyses a SOC email command can build on: the
// template continues the chat conversation (gpt-check-email-*), the draft
// continues the response chain (gpt-analyze-email-*).
type analysisNeed struct {
	what     string   // what the command makes, for the error
	commands []string // analyses whose context it continues
	run      string   // the line to suggest, with %s for the entry id
}

var (
	analysisForTemplate = analysisNeed{
		what:     "write the template from",
		commands: []string{"gpt-check-email-body", "gpt-check-email-header"},
		run:      "!gpt-check-email-body entryId=%s",
	}
	analysisForDraft = analysisNeed{
		what:     "draft from",
		commands: []string{"gpt-analyze-email-body", "gpt-analyze-email-header"},
		run:      "!gpt-analyze-email-body entry_id=%s",
	}
)

// requireAnalysis refuses a SOC email when the context holds no analysis
// it can continue: without one, the model writes a confident email about a
// phishing attempt nobody analysed. The last verdict says which analysis
// ran (every analysis writes one, "unknown" included).
func requireAnalysis(ctx context.Context, host protocol.Host, need analysisNeed) error {
	items, err := contextItems(ctx, host, pathVerdict)
	if err != nil {
		return fmt.Errorf("read the incident context: %w", err)
	}
	entry, ran := "<entry id of the .eml>", ""
	if n := len(items); n > 0 {
		if id := field(items[n-1], "entry_id"); id != "" {
			entry = id
		}
		ran = field(items[n-1], "command")
	}
	if slices.Contains(need.commands, ran) {
		return nil
	}
	why := "no email analysis in context to " + need.what
	if ran != "" {
		why += fmt.Sprintf(" (the last one, %s, continues another conversation)", ran)
	}
	return fmt.Errorf("%s: run %s first (or %s), then this command again", why, fmt.Sprintf(need.run, entry), need.commands[1])
}
