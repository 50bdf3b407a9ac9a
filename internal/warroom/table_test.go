package warroom

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTableMarkdown(t *testing.T) {
	tests := []struct {
		name  string
		table *Table
		want  string
	}{
		{
			name:  "rows",
			table: NewTable("Models", "Id", "OwnedBy").Row("gpt-4o", "system").Row("o3", "openai"),
			want:  "### Models\n| Id | OwnedBy |\n| --- | --- |\n| gpt-4o | system |\n| o3 | openai |\n",
		},
		{
			name:  "empty",
			table: NewTable("", "A", "B"),
			want:  "| A | B |\n| --- | --- |\n| **No entries.** | |\n",
		},
		{
			name:  "hostile cell",
			table: NewTable("", "Name", "Value").Row("Subject", "a|b\n<script>x</script>"),
			want:  "| Name | Value |\n| --- | --- |\n| Subject | a\\|b<br>&lt;script&gt;x&lt;/script&gt; |\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.table.Markdown())
		})
	}
}

func TestUsageMarkdown(t *testing.T) {
	u := Usage{InputTokens: 10, OutputTokens: 5, TotalTokens: 15, ReasoningTokens: 3, Reasoning: true, ResponseID: "resp_1"}
	md := u.Markdown()
	assert.Contains(t, md, "| Reasoning tokens | 3 |")
	assert.Contains(t, md, "| Response ID | resp_1 |")
	u.Reasoning = false
	assert.NotContains(t, u.Markdown(), "Reasoning tokens")
}
