package manifest_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	integration "github.com/soarkit/openai-gpt"
	"github.com/soarkit/openai-gpt/manifest"
	"github.com/soarkit/openai-gpt/schemas/schematest"
)

func TestLoadBrokenManifests(t *testing.T) {
	tests := []struct {
		file string
		want []string // substrings of the error
	}{
		{"dup_command.yml", []string{"command test-echo: duplicate command"}},
		{"dup_argument.yml", []string{"command test-echo: argument text: duplicate argument"}},
		{"alias_clash.yml", []string{"command test-echo: argument entry_id", "clashes with argument entryId"}},
		{"unknown_arg_type.yml", []string{"command test-echo: argument count", `unknown argument type "float"`}},
		{"unknown_output_type.yml", []string{"command test-echo: output Test.Echo.count", `unknown output type "Integer"`}},
		{"output_type_conflict.yml", []string{"command test-echo: output Test.Echo.count", "declared twice with different types (Number and String)"}},
		{"output_type_conflict_commands.yml", []string{"output Test.Echo.count", "as Number by test-echo and as String by test-other"}},
		{"leaf_parent.yml", []string{"output Test.Echo", "declared as String", "cannot also be the parent of Test.Echo.text"}},
		{"predefined_default.yml", []string{"command test-echo: argument mode: defaultValue", `"maybe" is not one of yes, no`}},
		{"predefined_without_auto.yml", []string{"argument mode: predefined values need auto: PREDEFINED"}},
		{"number_default_range.yml", []string{"argument temperature: defaultValue", "3 is out of range; allowed 0 to 2"}},
		{"min_on_string.yml", []string{"argument text: minValue/maxValue are only for number and integer arguments"}},
		{"bad_output_path.yml", []string{`context path "Test..Echo" is not a dot path`}},
		{"unknown_field.yml", []string{"field requried not found"}},
		{"param_select_default.yml", []string{"parameter model", `defaultvalue "c" is not one of its options`}},
		{"param_unknown_type.yml", []string{"parameter model: unknown type 7"}},
		{"dup_param.yml", []string{"parameter model: duplicate parameter"}},
		{"bad_dataset.yml", []string{"event stream audit", `dataset "Audit-Raw" does not match`}},
		{"two_defaults.yml", []string{"command test-echo: more than one argument is marked default: true"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			doc, err := os.ReadFile(filepath.Join("testdata", tt.file))
			require.NoError(t, err)
			m, err := manifest.Load(doc)
			require.Error(t, err)
			assert.Nil(t, m)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestLoadEmpty(t *testing.T) {
	_, err := manifest.Load(nil)
	require.ErrorContains(t, err, "empty")
	_, err = manifest.Load([]byte("name: [unclosed"))
	require.Error(t, err)
}

func TestLoadValidMinimal(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("testdata", "valid_minimal.yml"))
	require.NoError(t, err)
	m, err := manifest.Load(doc)
	require.NoError(t, err)
	cmd, ok := m.Command("test-echo")
	require.True(t, ok)
	a, ok := cmd.Argument("message") // an alias
	require.True(t, ok)
	assert.Equal(t, "text", a.Name)
	assert.Equal(t, manifest.ArgString, a.Type, "the type defaults to string")
	p, ok := m.Param("apikey")
	require.True(t, ok)
	assert.True(t, p.Secret())

	// Test.Echo is declared Unknown with children: extra fields are fine,
	// declared ones keep their type.
	require.NoError(t, cmd.ValidateOutput("Test.Echo", map[string]any{"text": "hi", "extra": 1.0}))
	require.ErrorContains(t, cmd.ValidateOutput("Test.Echo", map[string]any{"text": 1.0}), "Test.Echo.text: expected string, got number")
}

func TestDefaultIsTheEmbeddedManifest(t *testing.T) {
	m, err := manifest.Load(integration.YAML())
	require.NoError(t, err)
	d := manifest.Default()
	require.NotNil(t, d)
	assert.Same(t, d, manifest.Default(), "loaded once")
	assert.Same(t, d, m, "the embedded document, loaded again, is Default() with what it compiled")
	assert.Equal(t, len(m.Commands), len(d.Commands))
	assert.Equal(t, "OpenAI GPT", d.ID)
	assert.True(t, d.Script.IsFetchEvents)
}

// The public contract: every command, argument and context path of the
// seed documentation and SPEC.md.
var wantCommands = map[string]struct {
	args    []string
	outputs []string
}{
	"gpt-send-message": {
		args:    []string{"message", "reset_conversation_history", "max_tokens", "temperature", "top_p"},
		outputs: []string{"OpenAiChatGPTV3.Conversation.user", "OpenAiChatGPTV3.Conversation.assistant"},
	},
	"gpt-check-email-header": {
		args:    []string{"entryId", "additionalInstructions", "max_tokens", "temperature", "top_p"},
		outputs: append([]string{"OpenAiChatGPTV3.Conversation.user", "OpenAiChatGPTV3.Conversation.assistant"}, verdictPaths...),
	},
	"gpt-check-email-body": {
		args:    []string{"entryId", "additionalInstructions", "max_tokens", "temperature", "top_p"},
		outputs: append([]string{"OpenAiChatGPTV3.Conversation.user", "OpenAiChatGPTV3.Conversation.assistant"}, verdictPaths...),
	},
	"gpt-create-soc-email-template": {
		args:    []string{"additionalInstructions", "max_tokens", "temperature", "top_p"},
		outputs: []string{"OpenAiChatGPTV3.Conversation.user", "OpenAiChatGPTV3.Conversation.assistant"},
	},
	"gpt-analyze-email-header": {
		args:    []string{"entry_id", "additional_instructions", "max_tokens", "temperature", "top_p", "reasoning_effort"},
		outputs: append(slices.Clone(responsePaths), verdictPaths...),
	},
	"gpt-analyze-email-body": {
		args:    []string{"entry_id", "additional_instructions", "max_tokens", "temperature", "top_p", "reasoning_effort"},
		outputs: append(slices.Clone(responsePaths), verdictPaths...),
	},
	"gpt-draft-soc-email": {
		args:    []string{"additional_instructions", "max_tokens", "temperature", "top_p", "reasoning_effort"},
		outputs: responsePaths,
	},
	"gpt-create-response": {
		args:    []string{"message", "reset_conversation_history", "max_tokens", "temperature", "top_p", "reasoning_effort", "background", "compact_threshold", "model"},
		outputs: responsePaths,
	},
	"gpt-list-models": {
		args:    []string{"max_tokens", "temperature", "top_p"},
		outputs: []string{"OpenAiChatGPTV3.Model.Id", "OpenAiChatGPTV3.Model.Created", "OpenAiChatGPTV3.Model.OwnedBy"},
	},
	"gpt-create-moderation": {
		args: []string{"text", "entry_id", "image_url", "model", "max_tokens", "temperature", "top_p"},
		outputs: []string{"OpenAiChatGPTV3.Moderation.Input.input_type", "OpenAiChatGPTV3.Moderation.Input.input_value",
			"OpenAiChatGPTV3.Moderation.Flagged", "OpenAiChatGPTV3.Moderation.Categories", "OpenAiChatGPTV3.Moderation.CategoryScores"},
	},
	"openai-get-events": {
		args:    []string{"event_type", "limit", "start_time", "should_push_events"},
		outputs: []string{"OpenAI.Event", "OpenAI.Event.id", "OpenAI.Event._event_type", "OpenAI.Event.source_log_type", "OpenAI.Event._time"},
	},
}

var responsePaths = []string{"OpenAiChatGPTV3.Response", "OpenAiChatGPTV3.Response.user", "OpenAiChatGPTV3.Response.assistant", "OpenAiChatGPTV3.Response.response_id"}

var verdictPaths = []string{
	"OpenAiChatGPTV3.Verdict.verdict", "OpenAiChatGPTV3.Verdict.confidence", "OpenAiChatGPTV3.Verdict.reasons",
	"OpenAiChatGPTV3.Verdict.indicators.urls", "OpenAiChatGPTV3.Verdict.indicators.domains",
	"OpenAiChatGPTV3.Verdict.indicators.ips", "OpenAiChatGPTV3.Verdict.indicators.emails", "OpenAiChatGPTV3.Verdict.indicators.phones",
	"OpenAiChatGPTV3.Verdict.command", "OpenAiChatGPTV3.Verdict.entry_id", "OpenAiChatGPTV3.Verdict.response_id",
}

var eventLabels = []string{"OpenAI Audit logs", "Conversation Messages", "Apps", "Apps Auth", "Compliance Audit", "Auth", "Codex", "ChatGPT", "Codex Security", "Workspace Agents"}

func TestEmbeddedManifestMatchesSpec(t *testing.T) {
	m := manifest.Default()
	var names []string
	for _, c := range m.Commands {
		names = append(names, c.Name)
	}
	var want []string
	for n := range wantCommands {
		want = append(want, n)
	}
	assert.ElementsMatch(t, want, names, "commands")

	for name, w := range wantCommands {
		t.Run(name, func(t *testing.T) {
			c, ok := m.Command(name)
			require.True(t, ok)
			assert.NotEmpty(t, c.Description)
			assert.Equal(t, w.args, c.ArgumentNames(), "arguments, in order")
			var paths []string
			for _, o := range c.Outputs {
				paths = append(paths, o.ContextPath)
				assert.NotEmpty(t, o.Description, o.ContextPath)
			}
			assert.ElementsMatch(t, w.outputs, paths, "context outputs")
			for _, a := range c.Arguments {
				assert.NotEmpty(t, a.Description, a.Name)
			}
		})
	}
}

func TestEmbeddedArgumentDetails(t *testing.T) {
	m := manifest.Default()
	arg := func(cmd, name string) *manifest.Argument {
		t.Helper()
		c, ok := m.Command(cmd)
		require.True(t, ok, cmd)
		a, ok := c.Argument(name)
		require.True(t, ok, "%s %s", cmd, name)
		return a
	}
	f := func(v float64) *float64 { return &v }

	for _, c := range m.Commands {
		if c.Name[:4] != "gpt-" {
			continue
		}
		assert.Equal(t, manifest.ArgInteger, arg(c.Name, "max_tokens").Type)
		// The Responses API needs max_output_tokens >= 16 (issue 9).
		minTokens := 1.0
		if slices.Contains([]string{"gpt-analyze-email-header", "gpt-analyze-email-body", "gpt-draft-soc-email", "gpt-create-response"}, c.Name) {
			minTokens = 16
		}
		assert.Equal(t, f(minTokens), arg(c.Name, "max_tokens").MinValue, c.Name)
		assert.Equal(t, []*float64{f(0), f(2)}, []*float64{arg(c.Name, "temperature").MinValue, arg(c.Name, "temperature").MaxValue})
		assert.Equal(t, []*float64{f(0), f(1)}, []*float64{arg(c.Name, "top_p").MinValue, arg(c.Name, "top_p").MaxValue})
	}
	for _, cmd := range []string{"gpt-check-email-header", "gpt-check-email-body"} {
		assert.Equal(t, "entryId", arg(cmd, "entry_id").Name)
		assert.True(t, arg(cmd, "entryId").Required)
		assert.Equal(t, manifest.ArgEntryID, arg(cmd, "entryId").Type)
	}
	for _, cmd := range []string{"gpt-check-email-header", "gpt-check-email-body", "gpt-create-soc-email-template"} {
		assert.Equal(t, "additionalInstructions", arg(cmd, "additional_instructions").Name)
	}
	for _, cmd := range []string{"gpt-analyze-email-header", "gpt-analyze-email-body", "gpt-draft-soc-email"} {
		assert.Equal(t, []string{"low", "medium", "high"}, arg(cmd, "reasoning_effort").Predefined)
		assert.Empty(t, arg(cmd, "reasoning_effort").DefaultValue)
	}
	re := arg("gpt-create-response", "reasoning_effort")
	assert.Equal(t, []string{"none", "minimal", "low", "medium", "high", "xhigh"}, re.Predefined)
	assert.Equal(t, "medium", re.DefaultValue)
	for _, cmd := range []string{"gpt-send-message", "gpt-create-response"} {
		a := arg(cmd, "reset_conversation_history")
		assert.Equal(t, []string{"yes", "no"}, a.Predefined)
		assert.Equal(t, "no", a.DefaultValue)
		assert.True(t, arg(cmd, "message").Required)
	}
	assert.Equal(t, manifest.ArgBoolean, arg("gpt-create-response", "background").Type)
	assert.Equal(t, f(1000), arg("gpt-create-response", "compact_threshold").MinValue)
	assert.Equal(t, []string{"omni-moderation-latest", "omni-moderation-2024-09-26"}, arg("gpt-create-moderation", "model").Predefined)
	assert.Equal(t, "omni-moderation-latest", arg("gpt-create-moderation", "model").DefaultValue)
	assert.True(t, arg("gpt-create-moderation", "text").IsArray)
	ev := arg("openai-get-events", "event_type")
	assert.True(t, ev.IsArray)
	assert.Equal(t, eventLabels, ev.Predefined)
	assert.Equal(t, "50", arg("openai-get-events", "limit").DefaultValue)
	assert.Equal(t, "false", arg("openai-get-events", "should_push_events").DefaultValue)
	assert.Equal(t, manifest.ArgBoolean, arg("openai-get-events", "should_push_events").Type)

	// Output types that playbooks rely on.
	out := func(cmd, path string) manifest.OutputType {
		c, _ := m.Command(cmd)
		o, ok := c.Output(path)
		require.True(t, ok, "%s %s", cmd, path)
		return o.Type
	}
	assert.Equal(t, manifest.OutNumber, out("gpt-list-models", "OpenAiChatGPTV3.Model.Created"))
	assert.Equal(t, manifest.OutBoolean, out("gpt-create-moderation", "OpenAiChatGPTV3.Moderation.Flagged"))
	assert.Equal(t, manifest.OutUnknown, out("gpt-create-moderation", "OpenAiChatGPTV3.Moderation.CategoryScores"))
	assert.Equal(t, manifest.OutDate, out("openai-get-events", "OpenAI.Event._time"))
	assert.Equal(t, manifest.OutNumber, out("gpt-analyze-email-body", "OpenAiChatGPTV3.Verdict.confidence"))
	assert.Equal(t, manifest.OutUnknown, out("gpt-analyze-email-body", "OpenAiChatGPTV3.Response"))
}

func TestEmbeddedParams(t *testing.T) {
	m := manifest.Default()
	want := []struct {
		name string
		typ  manifest.ParamType
		def  string
	}{
		{"url", manifest.ParamShortText, "https://api.openai.com/"},
		{"apikey", manifest.ParamEncrypted, ""},
		{"model-select", manifest.ParamSingleSelect, "gpt-4o-mini"},
		{"model-freetext", manifest.ParamShortText, ""},
		{"max_tokens", manifest.ParamShortText, ""},
		{"temperature", manifest.ParamShortText, ""},
		{"top_p", manifest.ParamShortText, ""},
		{"insecure", manifest.ParamBoolean, "false"},
		{"proxy", manifest.ParamBoolean, "false"},
		{"admin_api_key", manifest.ParamEncrypted, ""},
		{"compliance_api_key", manifest.ParamEncrypted, ""},
		{"workspace_id", manifest.ParamShortText, ""},
		{"chatgpt_api_url", manifest.ParamShortText, "https://api.chatgpt.com"},
		{"isFetchEvents", manifest.ParamBoolean, "false"},
		{"event_types_to_fetch", manifest.ParamMultiSelect, "OpenAI Audit logs,Conversation Messages,Apps,Apps Auth,Compliance Audit,Auth,Codex,ChatGPT,Codex Security,Workspace Agents"},
		{"audit_max_fetch", manifest.ParamShortText, "1000"},
		{"compliance_max_fetch", manifest.ParamShortText, "900"},
		{"eventFetchInterval", manifest.ParamFetchInterval, "1"},
	}
	require.Len(t, m.Params, len(want))
	for i, w := range want {
		p := m.Params[i]
		assert.Equal(t, w.name, p.Name)
		assert.Equal(t, w.typ, p.Type, w.name)
		assert.Equal(t, w.def, p.DefaultValue, w.name)
		assert.NotEmpty(t, p.Display, w.name)
	}
	ms, _ := m.Param("model-select")
	assert.Equal(t, []string{"gpt-5", "gpt-5-mini", "gpt-5-nano", "o4-mini", "o3", "o3-mini", "o1", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o", "gpt-4o-mini", "gpt-4-turbo", "gpt-4", "gpt-3.5-turbo"}, ms.Options)
	et, _ := m.Param("event_types_to_fetch")
	assert.Equal(t, eventLabels, et.Options)

	require.Len(t, m.EventStreams, 2)
	assert.Equal(t, manifest.EventStream{ID: "audit", Dataset: "openai_chatgpt_audit_raw", Vendor: "openai", Product: "chatgpt_audit", EventTypes: eventLabels[:1]}, m.EventStreams[0])
	assert.Equal(t, manifest.EventStream{ID: "compliance", Dataset: "openai_chatgpt_compliance_raw", Vendor: "openai", Product: "chatgpt_compliance", EventTypes: eventLabels[1:]}, m.EventStreams[1])
}

// Every command's derived schemas compile, are valid JSON, and accept what
// Coerce makes of the defaults.
func TestEmbeddedSchemas(t *testing.T) {
	for _, c := range manifest.Default().Commands {
		t.Run(c.Name, func(t *testing.T) {
			var doc map[string]any
			require.NoError(t, json.Unmarshal(c.ArgsSchema(), &doc))
			assert.Equal(t, "https://json-schema.org/draft/2020-12/schema", doc["$schema"])
			require.NoError(t, json.Unmarshal(c.OutputSchema(), &doc))
			assert.Equal(t, "https://json-schema.org/draft/2020-12/schema", doc["$schema"])

			raw := map[string]string{}
			for _, a := range c.Arguments {
				if a.Required {
					raw[a.Name] = "1@1"
				}
			}
			args, err := c.Coerce(raw)
			require.NoError(t, err)
			require.NoError(t, c.ValidateArgs(args))
		})
	}
}

func command(t *testing.T, name string) *manifest.Command {
	t.Helper()
	c, ok := manifest.Default().Command(name)
	require.True(t, ok, name)
	return c
}

func TestCoerce(t *testing.T) {
	tests := []struct {
		name    string
		command string
		raw     map[string]string
		want    map[string]any
		wantErr string
	}{
		{"alias resolved", "gpt-check-email-header", map[string]string{"entry_id": "3@123", "additional_instructions": "SPF"},
			map[string]any{"entryId": "3@123", "additionalInstructions": "SPF"}, ""},
		{"canonical", "gpt-check-email-body", map[string]string{"entryId": "3@123"},
			map[string]any{"entryId": "3@123"}, ""},
		{"alias and canonical", "gpt-check-email-header", map[string]string{"entry_id": "3@123", "entryId": "3@123"},
			nil, "arguments entryId and entry_id are the same argument"},
		{"defaults applied", "gpt-create-response", map[string]string{"message": "hi"},
			map[string]any{"message": "hi", "reset_conversation_history": "no", "reasoning_effort": "medium"}, ""},
		{"empty value counts as absent", "gpt-create-response", map[string]string{"message": "hi", "reasoning_effort": ""},
			map[string]any{"message": "hi", "reset_conversation_history": "no", "reasoning_effort": "medium"}, ""},
		{"required missing", "gpt-send-message", map[string]string{"temperature": "1"},
			nil, "gpt-send-message: missing required argument message"},
		{"required empty", "gpt-analyze-email-body", map[string]string{"entry_id": " "},
			nil, "missing required argument entry_id"},
		{"predefined", "gpt-create-response", map[string]string{"message": "hi", "reasoning_effort": "xhigh"},
			map[string]any{"message": "hi", "reset_conversation_history": "no", "reasoning_effort": "xhigh"}, ""},
		{"predefined rejected", "gpt-analyze-email-body", map[string]string{"entry_id": "1@1", "reasoning_effort": "xhigh"},
			nil, `argument reasoning_effort: "xhigh" is not one of low, medium, high`},
		{"predefined is case-sensitive", "gpt-send-message", map[string]string{"message": "hi", "reset_conversation_history": "Yes"},
			nil, `argument reset_conversation_history: "Yes" is not one of yes, no`},
		{"numbers", "gpt-send-message", map[string]string{"message": "hi", "temperature": "0.7", "top_p": " 1 ", "max_tokens": "100"},
			map[string]any{"message": "hi", "reset_conversation_history": "no", "temperature": 0.7, "top_p": 1.0, "max_tokens": 100.0}, ""},
		{"not a number", "gpt-send-message", map[string]string{"message": "hi", "temperature": "abc"},
			nil, `argument temperature: "abc" is not a number`},
		{"NaN", "gpt-send-message", map[string]string{"message": "hi", "temperature": "NaN"},
			nil, `argument temperature: "NaN" is not a number`},
		{"infinity", "gpt-send-message", map[string]string{"message": "hi", "max_tokens": "+Inf"},
			nil, `argument max_tokens: "+Inf" is not a number`},
		{"out of range", "gpt-send-message", map[string]string{"message": "hi", "temperature": "3"},
			nil, "argument temperature: 3 is out of range; allowed 0 to 2"},
		{"below minimum", "gpt-create-response", map[string]string{"message": "hi", "compact_threshold": "999"},
			nil, "argument compact_threshold: 999 is too small; allowed 1000 or more"},
		{"not whole", "gpt-send-message", map[string]string{"message": "hi", "max_tokens": "1.5"},
			nil, `argument max_tokens: "1.5" is not a whole number`},
		{"integer past 2^53", "gpt-send-message", map[string]string{"message": "hi", "max_tokens": "99999999999999999999"},
			nil, "argument max_tokens: 99999999999999999999 is too large; whole numbers go up to 9007199254740992"},
		{"2^53 itself", "gpt-create-response", map[string]string{"message": "hi", "compact_threshold": "9007199254740992"},
			map[string]any{"message": "hi", "reset_conversation_history": "no", "reasoning_effort": "medium", "compact_threshold": 9007199254740992.0}, ""},
		{"isArray", "openai-get-events", map[string]string{"event_type": "OpenAI Audit logs, Apps Auth ,", "limit": "10"},
			map[string]any{"event_type": []string{"OpenAI Audit logs", "Apps Auth"}, "limit": 10.0, "should_push_events": false}, ""},
		{"isArray predefined item", "openai-get-events", map[string]string{"event_type": "Apps,Bogus"},
			nil, `argument event_type: "Bogus" is not one of OpenAI Audit logs, Conversation Messages`},
		{"isArray free text", "gpt-create-moderation", map[string]string{"text": "a, b"},
			map[string]any{"text": []string{"a", "b"}, "model": "omni-moderation-latest"}, ""},
		{"boolean", "gpt-create-response", map[string]string{"message": "hi", "background": "true"},
			map[string]any{"message": "hi", "reset_conversation_history": "no", "reasoning_effort": "medium", "background": true}, ""},
		{"boolean predefined", "openai-get-events", map[string]string{"should_push_events": "maybe"},
			nil, `argument should_push_events: "maybe" is not one of true, false`},
		{"unknown argument", "gpt-send-message", map[string]string{"message": "hi", "mesage": "x"},
			nil, `gpt-send-message: unknown argument "mesage"; valid arguments: message, reset_conversation_history, max_tokens, temperature, top_p`},
		{"unknown argument lists aliases", "gpt-create-soc-email-template", map[string]string{"x": "1"},
			nil, "valid arguments: additionalInstructions (or additional_instructions), max_tokens"},
		{"no arguments", "gpt-list-models", map[string]string{},
			map[string]any{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := command(t, tt.command)
			got, err := c.Coerce(tt.raw)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.NoError(t, c.ValidateArgs(got), "what Coerce returns validates")
		})
	}
}

func TestValidateArgs(t *testing.T) {
	tests := []struct {
		name    string
		command string
		args    string // JSON, as the plugin receives it
		wantErr []string
	}{
		{"ok", "gpt-send-message", `{"message": "hi", "temperature": 0.5, "max_tokens": 10}`, nil},
		{"alias accepted", "gpt-check-email-header", `{"entry_id": "1@1"}`, nil},
		{"alias and canonical", "gpt-check-email-header", `{"entry_id": "1@1", "entryId": "1@1"}`, []string{"arguments entryId and entry_id are the same argument"}},
		{"missing", "gpt-check-email-body", `{}`, []string{"missing required argument entryId"}},
		{"string for number", "gpt-send-message", `{"message": "hi", "temperature": "0.5"}`, []string{"argument temperature: expected number, got string"}},
		{"range", "gpt-send-message", `{"message": "hi", "top_p": 1.5}`, []string{"argument top_p: must be <= 1"}},
		{"integer", "gpt-send-message", `{"message": "hi", "max_tokens": 1.5}`, []string{"argument max_tokens: expected integer, got number"}},
		{"enum", "gpt-create-response", `{"message": "hi", "reasoning_effort": "max"}`, []string{"argument reasoning_effort: value must be one of"}},
		{"array items", "openai-get-events", `{"event_type": ["Apps", "Nope"]}`, []string{"argument event_type[1]: value must be one of"}},
		{"array expected", "openai-get-events", `{"event_type": "Apps"}`, []string{"argument event_type: expected array, got string"}},
		{"boolean", "openai-get-events", `{"should_push_events": "true"}`, []string{"argument should_push_events: expected boolean, got string"}},
		{"unknown", "gpt-list-models", `{"foo": 1}`, []string{`unknown argument "foo"`}},
		{"several at once", "gpt-send-message", `{"temperature": 9, "bogus": true}`, []string{"missing required argument message", `unknown argument "bogus"`, "argument temperature: must be <= 2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var args map[string]any
			require.NoError(t, json.Unmarshal([]byte(tt.args), &args))
			err := command(t, tt.command).ValidateArgs(args)
			schematest.WantProblems(t, err, tt.wantErr)
		})
	}
}

func TestValidateOutput(t *testing.T) {
	tests := []struct {
		name    string
		command string
		prefix  string
		value   string // JSON
		wantErr []string
	}{
		{"response list", "gpt-create-response", "OpenAiChatGPTV3.Response",
			`[{"user": "hi", "assistant": "hello", "response_id": "resp_1"}]`, nil},
		{"response object, extra field (declared Unknown)", "gpt-create-response", "OpenAiChatGPTV3.Response",
			`{"user": "hi", "assistant": "hello", "response_id": "resp_1", "model": "gpt-5"}`, nil},
		{"response_id not a string", "gpt-create-response", "OpenAiChatGPTV3.Response",
			`[{"user": "hi", "response_id": 42}]`, []string{"OpenAiChatGPTV3.Response[0].response_id: expected string, got number"}},
		{"models", "gpt-list-models", "OpenAiChatGPTV3.Model",
			`[{"Id": "gpt-5", "Created": 1700000000, "OwnedBy": "openai"}]`, nil},
		{"model Created as string, extra field", "gpt-list-models", "OpenAiChatGPTV3.Model",
			`[{"Id": "gpt-5", "Created": 1}, {"Id": "x", "Created": "yesterday", "Owner": "me"}]`,
			[]string{"OpenAiChatGPTV3.Model[1].Created: expected number, got string", "OpenAiChatGPTV3.Model[1].Owner: not allowed"}},
		{"moderation", "gpt-create-moderation", "OpenAiChatGPTV3.Moderation",
			`[{"Input": {"input_type": "text", "input_value": "hi"}, "Flagged": false, "Categories": {"hate": false}, "CategoryScores": {"hate": 0.01}}]`, nil},
		{"moderation nested type", "gpt-create-moderation", "OpenAiChatGPTV3.Moderation",
			`{"Input": {"input_type": 1}, "Flagged": "no"}`,
			[]string{"OpenAiChatGPTV3.Moderation.Input.input_type: expected string, got number", "OpenAiChatGPTV3.Moderation.Flagged: expected boolean, got string"}},
		{"events", "openai-get-events", "OpenAI.Event",
			`[{"id": "a", "_event_type": "", "source_log_type": "openai_audit_logs", "_time": "2099-01-01T00:00:00Z"}]`, nil},
		{"event with every field the API wrote (declared Unknown)", "openai-get-events", "OpenAI.Event",
			`[{"id": "a", "_time": "2099-01-01T00:00:00Z", "event_id": "a", "actor": {"type": "ACCOUNT_USER"}, "end_time": "2099-01-01T00:00:00Z"}]`, nil},
		{"event time not a date", "openai-get-events", "OpenAI.Event",
			`[{"id": "a", "_time": "yesterday"}]`, []string{"OpenAI.Event[0]._time: 'yesterday' is not valid 'date-time'"}},
		{"verdict", "gpt-analyze-email-body", "OpenAiChatGPTV3.Verdict",
			`{"verdict": "malicious", "confidence": 0.9, "reasons": ["spoofed"], "indicators": {"urls": ["http://x"], "domains": [], "ips": [], "emails": []}, "command": "gpt-analyze-email-body", "entry_id": "1@1", "response_id": "resp_1"}`, nil},
		{"verdict bad", "gpt-check-email-header", "OpenAiChatGPTV3.Verdict",
			`{"verdict": "malicious", "confidence": "high", "indicators": {"url": []}}`,
			[]string{"OpenAiChatGPTV3.Verdict.confidence: expected number, got string", "OpenAiChatGPTV3.Verdict.indicators.url: not allowed"}},
		{"conversation", "gpt-send-message", "OpenAiChatGPTV3.Conversation",
			`[{"user": "hi", "assistant": "hello"}]`, nil},
		{"not this command's output", "gpt-send-message", "OpenAiChatGPTV3.Response",
			`{"user": "hi"}`, []string{"OpenAiChatGPTV3.Response: not a context output of gpt-send-message"}},
		{"scalar value", "gpt-send-message", "OpenAiChatGPTV3.Conversation",
			`"hi"`, []string{"OpenAiChatGPTV3.Conversation: expected an object or an array of objects, got string"}},
		{"array of scalars", "gpt-send-message", "OpenAiChatGPTV3.Conversation",
			`["hi"]`, []string{"OpenAiChatGPTV3.Conversation[0]: expected object, got string"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v any
			require.NoError(t, json.Unmarshal([]byte(tt.value), &v))
			err := command(t, tt.command).ValidateOutput(tt.prefix, v)
			schematest.WantProblems(t, err, tt.wantErr)
		})
	}
}

// Go values that are not what encoding/json produces (ints, []string,
// structs) are validated through their JSON form.
func TestValidateGoValues(t *testing.T) {
	c := command(t, "gpt-list-models")
	require.NoError(t, c.ValidateOutput("OpenAiChatGPTV3.Model", []map[string]any{{"Id": "a", "Created": int64(1), "OwnedBy": "o"}}))
	type model struct {
		ID      string `json:"Id"`
		Created int    `json:"Created"`
	}
	require.NoError(t, c.ValidateOutput("OpenAiChatGPTV3.Model", []model{{"a", 1}}))
	require.ErrorContains(t, c.ValidateOutput("OpenAiChatGPTV3.Model", []map[string]any{{"Id": 1}}), "OpenAiChatGPTV3.Model[0].Id: expected string, got number")

	ev := command(t, "openai-get-events")
	require.NoError(t, ev.ValidateArgs(map[string]any{"event_type": []string{"Apps"}, "limit": 5}))

	// "args": null decodes to a nil map.
	require.NoError(t, command(t, "gpt-list-models").ValidateArgs(nil))
	require.ErrorContains(t, command(t, "gpt-send-message").ValidateArgs(nil), "missing required argument message")
}

// TestArgumentSchemaBoundsIntegers: the plugin's own check refuses a
// whole number past 2^53 even when the host did not coerce it.
func TestArgumentSchemaBoundsIntegers(t *testing.T) {
	c := command(t, "gpt-send-message")
	err := c.ValidateArgs(map[string]any{"message": "hi", "max_tokens": 1e20})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "max_tokens")
	require.NoError(t, c.ValidateArgs(map[string]any{"message": "hi", "max_tokens": 4096.0}))
}

func TestCanonical(t *testing.T) {
	cmd, ok := manifest.Default().Command("gpt-check-email-body")
	require.True(t, ok)
	got := cmd.Canonical(map[string]any{"entry_id": "3@1", "additional_instructions": "be brief", "stray": 1})
	assert.Equal(t, map[string]any{"entryId": "3@1", "additionalInstructions": "be brief", "stray": 1}, got)
}

// TestPrepareResultWhileValidating runs PrepareResult, as the plugin and
// the host do in a goroutine, beside ValidateOutput calls on a freshly
// loaded manifest (nothing compiled yet): every call sees the same
// compiled schemas (go test -race checks the sharing).
func TestPrepareResultWhileValidating(t *testing.T) {
	// Not the embedded document byte for byte, so Load parses it afresh.
	m, err := manifest.Load(append(integration.YAML(), "\n# a fresh copy\n"...))
	require.NoError(t, err)
	c, ok := m.Command("gpt-list-models")
	require.True(t, ok)
	done := make(chan error, 8)
	for i := range 8 {
		go func() {
			if i%2 == 0 {
				c.PrepareResult()
			}
			done <- c.ValidateOutput("OpenAiChatGPTV3.Model", map[string]any{"Id": 1.0})
		}()
	}
	for range 8 {
		require.ErrorContains(t, <-done, "OpenAiChatGPTV3.Model.Id: expected string, got number")
	}
}
