package commands

import (
	"context"
	"time"

	"github.com/soarkit/openai-gpt/internal/protocol"
	"github.com/soarkit/openai-gpt/internal/warroom"
)

// listModels is gpt-list-models: every model the key can use.
func listModels(ctx context.Context, c *Call) (protocol.Result, error) {
	client, err := c.GPT()
	if err != nil {
		return protocol.Result{}, err
	}
	models, err := client.ListModels(ctx)
	if err != nil {
		return protocol.Result{}, err
	}
	table := warroom.NewTable("OpenAI models", "Id", "Created", "OwnedBy")
	value := make([]any, len(models))
	for i, m := range models {
		table.Row(m.ID, time.Unix(m.Created, 0).UTC().Format(time.RFC3339), m.OwnedBy)
		value[i] = map[string]any{"Id": m.ID, "Created": m.Created, "OwnedBy": m.OwnedBy}
	}
	return protocol.Result{
		Entries: []protocol.Entry{warroom.Note(value, table.Markdown())},
		Outputs: []protocol.Output{{Prefix: pathModel, KeyField: "Id", Value: value}},
	}, nil
}
