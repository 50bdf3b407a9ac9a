package warroom

import "github.com/soarkit/openai-gpt/internal/protocol"

// Note is a markdown note entry whose raw contents are contents (shown to
// automations) and whose rendering is markdown (shown to people).
func Note(contents any, markdown string) protocol.Entry {
	return protocol.Entry{
		Type:           protocol.EntryNote,
		ContentsFormat: protocol.FormatJSON,
		Contents:       contents,
		HumanReadable:  markdown,
	}
}
