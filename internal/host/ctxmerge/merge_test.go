package ctxmerge

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/protocol"
)

func doc(t *testing.T, s string) map[string]any {
	t.Helper()
	m := map[string]any{}
	require.NoError(t, json.Unmarshal([]byte(s), &m))
	return m
}

func TestApply(t *testing.T) {
	models := func(ids ...string) []map[string]any {
		out := []map[string]any{}
		for _, id := range ids {
			out = append(out, map[string]any{"Id": id, "OwnedBy": "v2-" + id})
		}
		return out
	}
	cases := []struct {
		name   string
		before string
		out    protocol.Output
		after  string
	}{
		{"append to empty makes a list", `{}`,
			protocol.Output{Prefix: "A.B", Value: map[string]any{"x": 1}},
			`{"A":{"B":[{"x":1}]}}`},
		{"append to an existing object", `{"A":{"B":{"x":1}}}`,
			protocol.Output{Prefix: "A.B", Value: map[string]any{"x": 2}},
			`{"A":{"B":[{"x":1},{"x":2}]}}`},
		{"append a list to a list", `{"A":{"B":[{"x":1}]}}`,
			protocol.Output{Prefix: "A.B", Value: []any{map[string]any{"x": 2}, map[string]any{"x": 3}}},
			`{"A":{"B":[{"x":1},{"x":2},{"x":3}]}}`},
		{"key field replaces a match and appends the rest", `{"M":[{"Id":"a","OwnedBy":"old"},{"Id":"b","OwnedBy":"old"}]}`,
			protocol.Output{Prefix: "M", KeyField: "Id", Value: models("b", "c")},
			`{"M":[{"Id":"a","OwnedBy":"old"},{"Id":"b","OwnedBy":"v2-b"},{"Id":"c","OwnedBy":"v2-c"}]}`},
		{"key field matches numbers after normalising", `{"M":[{"k":1,"v":"old"}]}`,
			protocol.Output{Prefix: "M", KeyField: "k", Value: map[string]any{"k": 1, "v": "new"}},
			`{"M":[{"k":1,"v":"new"}]}`},
		{"item without the key field is appended", `{"M":[{"Id":"a"}]}`,
			protocol.Output{Prefix: "M", KeyField: "Id", Value: map[string]any{"other": 1}},
			`{"M":[{"Id":"a"},{"other":1}]}`},
		{"replace existing overwrites the path", `{"R":[{"x":1},{"x":2}],"Keep":true}`,
			protocol.Output{Prefix: "R", ReplaceExisting: true, Value: map[string]any{"x": 3}},
			`{"R":{"x":3},"Keep":true}`},
		{"replace keeps siblings", `{"A":{"B":1,"C":{"d":1}}}`,
			protocol.Output{Prefix: "A.C", ReplaceExisting: true, Value: []any{map[string]any{"d": 2}}},
			`{"A":{"B":1,"C":[{"d":2}]}}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := doc(t, c.before)
			require.NoError(t, Apply(d, []protocol.Output{c.out}))
			require.Equal(t, doc(t, c.after), d)
		})
	}
}

func TestApplyRefusesPathThroughAValue(t *testing.T) {
	d := doc(t, `{"A":[1,2]}`)
	err := Apply(d, []protocol.Output{{Prefix: "A.B", Value: map[string]any{}}})
	require.ErrorContains(t, err, "context path A.B: A holds a list, not an object")
}
