package commands

import (
	"context"
	"fmt"

	"github.com/soarkit/openai-gpt/internal/gpt"
	"github.com/soarkit/openai-gpt/internal/protocol"
	"github.com/soarkit/openai-gpt/internal/warroom"
)

// historyBudget bounds the characters of past turns replayed to the model
// (about 24k tokens at ~4 characters a token): long incidents keep their
// whole conversation in context, but only the newest turns that fit are sent.
const historyBudget = 96_000

// turn is one exchange of OpenAiChatGPTV3.Conversation.
type turn struct {
	User      string `json:"user"`
	Assistant string `json:"assistant"`
}

// sendMessage is gpt-send-message: one more turn of the incident's chat.
func sendMessage(ctx context.Context, c *Call) (protocol.Result, error) {
	client, err := c.GPT()
	if err != nil {
		return protocol.Result{}, err
	}
	message := c.String("message")
	if message == "" {
		return protocol.Result{}, fmt.Errorf("message is empty: give the text to send, e.g. message=\"Summarise this incident\"")
	}
	var history []turn
	if !c.Flag("reset_conversation_history") {
		if history, err = conversation(ctx, c); err != nil {
			return protocol.Result{}, err
		}
	}
	answer, sent, err := chatTurn(ctx, c, client, nil, history, message)
	if err != nil {
		return protocol.Result{}, err
	}
	md := answerMarkdown("", answer.Text, answer, "")
	if len(history) > 0 {
		md += fmt.Sprintf("\n_Conversation history: %d of %d previous turns sent._\n", sent, len(history))
	}
	return protocol.Result{
		Entries: []protocol.Entry{warroom.Note(answerContents(answer, answer.Text), md)},
		Outputs: []protocol.Output{conversationOutput(turn{User: message, Assistant: answer.Text}, c.Flag("reset_conversation_history"))},
	}, nil
}

// chatTurn sends system messages, the newest history that fits the budget
// and the new message; it reports how many past turns were sent.
func chatTurn(ctx context.Context, c *Call, client *gpt.Client, system []string, history []turn, message string) (gpt.Answer, int, error) {
	kept := trimHistory(history, historyBudget)
	var msgs []gpt.Message
	for _, s := range system {
		msgs = append(msgs, gpt.Message{Role: gpt.RoleSystem, Content: s})
	}
	for _, t := range kept {
		msgs = append(msgs, gpt.Message{Role: gpt.RoleUser, Content: t.User}, gpt.Message{Role: gpt.RoleAssistant, Content: t.Assistant})
	}
	msgs = append(msgs, gpt.Message{Role: gpt.RoleUser, Content: message})
	a, err := client.Chat(ctx, gpt.ChatRequest{Messages: msgs})
	return a, len(kept), err
}

// trimHistory keeps the newest turns whose text fits in budget characters.
func trimHistory(history []turn, budget int) []turn {
	used := 0
	for i := len(history) - 1; i >= 0; i-- {
		used += len(history[i].User) + len(history[i].Assistant)
		if used > budget {
			return history[i+1:]
		}
	}
	return history
}

// conversation reads OpenAiChatGPTV3.Conversation from the incident context.
func conversation(ctx context.Context, c *Call) ([]turn, error) {
	items, err := contextItems(ctx, c.Host, pathConversation)
	if err != nil {
		return nil, err
	}
	out := make([]turn, 0, len(items))
	for _, it := range items {
		out = append(out, turn{User: field(it, "user"), Assistant: field(it, "assistant")})
	}
	return out, nil
}

// conversationOutput appends one turn to the conversation, or with replace
// starts it afresh with that turn. Only the new turn travels: the host
// appends it to the list as stored when it merges the outputs (one
// transaction), so turns of the same incident running in parallel are all
// kept. Sending the whole list back, as read before the model answered,
// would overwrite the turns that finished meanwhile.
func conversationOutput(t turn, replace bool) protocol.Output {
	value := []any{map[string]any{"user": t.User, "assistant": t.Assistant}}
	return protocol.Output{Prefix: pathConversation, Value: value, ReplaceExisting: replace}
}
