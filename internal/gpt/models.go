package gpt

import (
	"context"
	"slices"
	"strings"
)

// Model is one model the key can use.
type Model struct {
	ID      string
	Created int64
	OwnedBy string
}

// ListModels returns every model, following pages, sorted by id.
func (c *Client) ListModels(ctx context.Context) ([]Model, error) {
	var out []Model
	pager := c.Models.ListAutoPaging(ctx)
	for pager.Next() {
		m := pager.Current()
		out = append(out, Model{ID: m.ID, Created: m.Created, OwnedBy: m.OwnedBy})
	}
	if err := pager.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b Model) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// IsReasoningModel reports whether model belongs to a reasoning family (o1,
// o3, o4, gpt-5), which takes reasoning effort and reports reasoning tokens.
// Dated and suffixed ids (o3-mini-2025-01-31, gpt-5-nano) count too.
func IsReasoningModel(model string) bool {
	m := strings.ToLower(model)
	if i := strings.LastIndex(m, "/"); i >= 0 { // "openai/gpt-5" on compatible servers
		m = m[i+1:]
	}
	for _, family := range []string{"o1", "o3", "o4", "gpt-5"} {
		if m == family || strings.HasPrefix(m, family+"-") || strings.HasPrefix(m, family+".") {
			return true
		}
	}
	return false
}
