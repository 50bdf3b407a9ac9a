package commands

import (
	"context"
	"strings"

	"github.com/soarkit/openai-gpt/internal/protocol"
)

// Context paths this integration writes.
const (
	pathConversation = "OpenAiChatGPTV3.Conversation"
	pathResponse     = "OpenAiChatGPTV3.Response"
	pathModel        = "OpenAiChatGPTV3.Model"
	pathModeration   = "OpenAiChatGPTV3.Moderation"
	pathVerdict      = "OpenAiChatGPTV3.Verdict"
	pathEvent        = "OpenAI.Event"
)

// contextItems reads the list of objects stored at a dot path of the
// incident context. A single object counts as a list of one; anything
// else (absent, or hand-edited into another shape) as an empty list.
func contextItems(ctx context.Context, host protocol.Host, path string) ([]map[string]any, error) {
	doc, err := host.Context(ctx, protocol.ScopeIncident)
	if err != nil {
		return nil, err
	}
	var node any = doc
	for _, key := range strings.Split(path, ".") {
		m, ok := node.(map[string]any)
		if !ok {
			return nil, nil
		}
		node = m[key]
	}
	switch v := node.(type) {
	case map[string]any:
		return []map[string]any{v}, nil
	case []any:
		out := make([]map[string]any, 0, len(v))
		for _, item := range v {
			if m, ok := item.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out, nil
	}
	return nil, nil
}

// field returns a string field of a context item.
func field(item map[string]any, name string) string {
	s, _ := item[name].(string)
	return s
}
