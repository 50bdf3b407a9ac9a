package schemaerr

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const schema = `{
	"type": "object",
	"required": ["name", "items"],
	"additionalProperties": false,
	"properties": {
		"name": {"type": "string"},
		"items": {"type": "array", "items": {"type": "object", "properties": {"n": {"type": "integer"}}}},
		"either": {"anyOf": [{"type": "object"}, {"type": "array"}]}
	}
}`

func TestProblems(t *testing.T) {
	s, err := jsonschema.CompileString("test.json", schema)
	require.NoError(t, err)
	loc := func(tokens []string) string { return DotPath("doc", tokens) }
	for _, tc := range []struct {
		doc  string
		want []string
	}{
		{`{"items": []}`, []string{"doc.name: required but missing"}},
		{`{"name": "x", "items": [], "extra": 1}`, []string{"doc.extra: not allowed (unknown field)"}},
		{`{"name": "x", "items": [{"n": 1}, {"n": "two"}]}`, []string{"doc.items[1].n: expected integer, got string"}},
		{`{"name": "x", "items": [], "either": "s"}`, []string{"doc.either: expected object or array, got string"}},
		{`{"name": 3}`, []string{"doc.items: required but missing", "doc.name: expected string, got number"}},
	} {
		t.Run(tc.doc, func(t *testing.T) {
			doc, err := JSONValue(json.RawMessage(tc.doc))
			require.NoError(t, err)
			verr := s.Validate(doc)
			require.Error(t, verr)
			e := New(verr, loc)
			assert.Equal(t, tc.want, e.Problems)
			assert.Equal(t, strings.Join(tc.want, "; "), e.Error())
			var ve *jsonschema.ValidationError
			assert.ErrorAs(t, e, &ve, "the validator's error is still there")
		})
	}
}

func TestDotPath(t *testing.T) {
	assert.Equal(t, "entries[0].contents", DotPath("", []string{"entries", "0", "contents"}))
	assert.Equal(t, []string{"a/b", "c~d"}, pointerTokens("/a~1b/c~0d"))
	assert.Equal(t, "out", DotPath("out", nil))
}

func TestJSONValue(t *testing.T) {
	v, err := JSONValue(struct {
		A int `json:"a"`
	}{A: 1})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"a": 1.0}, v)
	_, err = JSONValue([]byte("{not json"))
	assert.Error(t, err)
	same := map[string]any{"x": []any{"y"}}
	v, err = JSONValue(same)
	require.NoError(t, err)
	assert.Equal(t, same, v)
}
