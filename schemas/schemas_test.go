package schemas_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/manifest"
	"github.com/soarkit/openai-gpt/schemas"
	"github.com/soarkit/openai-gpt/schemas/schematest"
)

func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal([]byte(s), &v))
	return v
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name     string
		validate func(any) error
		doc      string
		wantErr  []string // substrings; none means valid
	}{
		// Entries.
		{"entry note", schemas.ValidateEntry, `{"type": "note", "contentsFormat": "markdown", "contents": "**hi**", "humanReadable": "**hi**"}`, nil},
		{"entry json contents", schemas.ValidateEntry, `{"type": "note", "contentsFormat": "json", "contents": {"a": [1, 2]}, "readableContentsFormat": "markdown"}`, nil},
		{"entry error", schemas.ValidateEntry, `{"type": "error", "contentsFormat": "text", "contents": "boom"}`, nil},
		{"entry missing contents", schemas.ValidateEntry, `{"type": "note", "contentsFormat": "text"}`, []string{"contents: required but missing"}},
		{"entry bogus type", schemas.ValidateEntry, `{"type": "bogus", "contents": "x"}`, []string{"type: value must be one of"}},
		{"entry bogus type and no contents", schemas.ValidateEntry, `{"type": "bogus"}`, []string{"type: value must be one of", "contents: required but missing"}},
		{"entry null contents", schemas.ValidateEntry, `{"type": "note", "contents": null}`, []string{"contents: expected string or object or array or number or boolean, got null"}},
		{"entry bad format", schemas.ValidateEntry, `{"type": "note", "contents": "x", "contentsFormat": "html"}`, []string{"contentsFormat: value must be one of"}},
		{"entry unknown field", schemas.ValidateEntry, `{"type": "note", "contents": "x", "HumanReadable": "x"}`, []string{"HumanReadable: not allowed"}},
		{"entry not an object", schemas.ValidateEntry, `"x"`, []string{"entry: expected object, got string"}},

		// Results.
		{"result", schemas.ValidateResult, `{"entries": [{"type": "note", "contentsFormat": "text", "contents": "ok"}],
			"outputs": [{"prefix": "OpenAiChatGPTV3.Response", "keyField": "response_id", "value": [{"response_id": "r"}], "replaceExisting": true},
			            {"prefix": "OpenAI.Event", "value": {"id": "1"}}]}`, nil},
		{"result without entries", schemas.ValidateResult, `{"entries": []}`, []string{"entries: minimum 1 items required"}},
		{"result bad entry", schemas.ValidateResult, `{"entries": [{"type": "note", "contents": "ok"}, {"type": "bogus"}]}`,
			[]string{"entries[1].type: value must be one of", "entries[1].contents: required but missing"}},
		{"result bad prefix", schemas.ValidateResult, `{"entries": [{"type": "note", "contents": "ok"}], "outputs": [{"prefix": "A..B", "value": {}}]}`,
			[]string{"outputs[0].prefix: does not match pattern"}},
		{"result scalar value", schemas.ValidateResult, `{"entries": [{"type": "note", "contents": "ok"}], "outputs": [{"prefix": "A.B", "value": "x"}]}`,
			[]string{"outputs[0].value: expected object or array, got string"}},
		{"result array of scalars", schemas.ValidateResult, `{"entries": [{"type": "note", "contents": "ok"}], "outputs": [{"prefix": "A.B", "value": [{}, 1]}]}`,
			[]string{"outputs[0].value[1]: expected object, got number"}},
		{"result output without value", schemas.ValidateResult, `{"entries": [{"type": "note", "contents": "ok"}], "outputs": [{"prefix": "A.B"}]}`,
			[]string{"outputs[0].value: required but missing"}},

		// Batches.
		{"batch", schemas.ValidateBatch, `{"stream": "audit", "dataset": "openai_chatgpt_audit_raw", "events": [{"id": "1"}], "cursor": {"after": "x"}}`, nil},
		{"batch without cursor", schemas.ValidateBatch, `{"stream": "manual", "dataset": "openai_chatgpt_compliance_raw", "events": [], "cursor": null}`, nil},
		{"batch bad dataset", schemas.ValidateBatch, `{"stream": "audit", "dataset": "OpenAI Raw", "events": [1]}`,
			[]string{"dataset: does not match pattern", "events[0]: expected object, got number"}},
		{"batch missing", schemas.ValidateBatch, `{}`, []string{"stream: required but missing", "dataset: required but missing", "events: required but missing"}},

		// Params.
		{"params", schemas.ValidateParams, `{"url": "https://api.openai.com/", "apikey": "sk-1", "temperature": 0.5, "insecure": false, "event_types_to_fetch": ["Apps"], "top_p": null}`, nil},
		{"params unknown key", schemas.ValidateParams, `{"api_key": "sk-1"}`, []string{"api_key: not allowed"}},
		{"params bad value", schemas.ValidateParams, `{"temperature": {"x": 1}, "event_types_to_fetch": [1]}`,
			[]string{"temperature: expected string or number or boolean or array or null, got object", "event_types_to_fetch[0]: expected string, got number"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.validate(decode(t, tt.doc))
			schematest.WantProblems(t, err, tt.wantErr)
		})
	}
}

// Go values and JSON text are validated through their JSON form.
func TestValidateGoValues(t *testing.T) {
	type entry struct {
		Type     string `json:"type"`
		Contents any    `json:"contents"`
	}
	require.NoError(t, schemas.ValidateEntry(entry{"note", "x"}))
	require.ErrorContains(t, schemas.ValidateEntry(entry{"bogus", "x"}), "type: value must be one of")
	require.NoError(t, schemas.ValidateBatch(json.RawMessage(`{"stream": "audit", "dataset": "d", "events": []}`)))
	require.ErrorContains(t, schemas.ValidateBatch([]byte(`{`)), "not JSON")
}

func TestRaw(t *testing.T) {
	assert.Equal(t, []string{"batch.json", "entry.json", "params.json", "result.json"}, schemas.Names())
	for _, n := range schemas.Names() {
		var doc map[string]any
		require.NoError(t, json.Unmarshal(schemas.Raw(n), &doc), n)
		assert.Equal(t, "https://json-schema.org/draft/2020-12/schema", doc["$schema"], n)
	}
	assert.Nil(t, schemas.Raw("nope.json"))
}

// params.json lists exactly the manifest's configuration parameters, and
// accepts each default value.
func TestParamsMatchManifest(t *testing.T) {
	var doc struct {
		Properties map[string]any `json:"properties"`
	}
	require.NoError(t, json.Unmarshal(schemas.Raw(schemas.Params), &doc))
	var inSchema, inManifest []string
	for k := range doc.Properties {
		inSchema = append(inSchema, k)
	}
	defaults := map[string]any{}
	for _, p := range manifest.Default().Params {
		inManifest = append(inManifest, p.Name)
		if p.DefaultValue != "" {
			defaults[p.Name] = p.DefaultValue
		}
	}
	slices.Sort(inSchema)
	slices.Sort(inManifest)
	assert.Equal(t, inManifest, inSchema)
	require.NoError(t, schemas.ValidateParams(defaults))
}
