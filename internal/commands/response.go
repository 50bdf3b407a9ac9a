package commands

import (
	"context"
	"fmt"

	"github.com/soarkit/openai-gpt/internal/gpt"
	"github.com/soarkit/openai-gpt/internal/protocol"
	"github.com/soarkit/openai-gpt/internal/warroom"
)

// minCompactThreshold is the smallest compaction threshold the API accepts.
const minCompactThreshold = 1000

// createResponse is gpt-create-response: one turn of a Responses API
// conversation, chained through previous_response_id.
func createResponse(ctx context.Context, c *Call) (protocol.Result, error) {
	client, err := c.GPT()
	if err != nil {
		return protocol.Result{}, err
	}
	message := c.String("message")
	if message == "" {
		return protocol.Result{}, fmt.Errorf("message is empty: give the text to send")
	}
	if err := c.checkResponsesTokens(); err != nil {
		return protocol.Result{}, err
	}
	req := gpt.ResponseRequest{
		Model:      c.String("model"), // "": the instance's
		Input:      message,
		Effort:     c.String("reasoning_effort"),
		Background: c.Flag("background"),
	}
	if v, ok := c.Number("compact_threshold"); ok {
		if v < minCompactThreshold {
			return protocol.Result{}, fmt.Errorf("compact_threshold %g is too small: give %d tokens or more", v, minCompactThreshold)
		}
		req.CompactThreshold = int64(v)
	}
	reset := c.Flag("reset_conversation_history")
	if !reset {
		if req.PreviousID, err = lastResponseID(ctx, c); err != nil {
			return protocol.Result{}, err
		}
	}
	answer, err := client.Respond(ctx, req)
	if err != nil {
		return protocol.Result{}, err
	}
	md := answerMarkdown("", answer.Text, answer, answer.ID)
	if req.PreviousID != "" {
		md += "\n_Continues response " + req.PreviousID + "._\n"
	}
	return protocol.Result{
		Entries: []protocol.Entry{warroom.Note(answerContents(answer, answer.Text), md)},
		Outputs: []protocol.Output{responseOutput(message, answer.Text, answer.ID, reset)},
	}, nil
}

// lastResponseID is the response_id of the last OpenAiChatGPTV3.Response.
func lastResponseID(ctx context.Context, c *Call) (string, error) {
	items, err := contextItems(ctx, c.Host, pathResponse)
	if err != nil {
		return "", err
	}
	for i := len(items) - 1; i >= 0; i-- {
		if id := field(items[i], "response_id"); id != "" {
			return id, nil
		}
	}
	return "", nil
}

// responseOutput records one turn under OpenAiChatGPTV3.Response, keyed by
// response_id; replace starts the list afresh.
func responseOutput(user, assistant, id string, replace bool) protocol.Output {
	return protocol.Output{
		Prefix:          pathResponse,
		KeyField:        "response_id",
		Value:           []any{map[string]any{"user": user, "assistant": assistant, "response_id": id}},
		ReplaceExisting: replace,
	}
}
