package e2e

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/email"
	"github.com/soarkit/openai-gpt/internal/fakeopenai"
	"github.com/soarkit/openai-gpt/internal/plugintest"
	"github.com/soarkit/openai-gpt/internal/protocol"
)

// addEML stores a file entry from internal/email/testdata.
func (s *session) addEML(id, name string) {
	s.t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "email", "testdata", name))
	require.NoError(s.t, err)
	s.host.files[id] = protocol.File{Name: name, Data: data}
}

// contextItem is the only item at path.
func contextItem(t *testing.T, doc map[string]any, path string) map[string]any {
	t.Helper()
	items := contextList(doc, path)
	require.Len(t, items, 1, "%s: %v", path, items)
	return items[0].(map[string]any)
}

// requireAnalysisEntries checks the two entries of an analysis: what was
// parsed first (no verdict), then the verdict followed by the usage table.
func requireAnalysisEntries(t *testing.T, res protocol.Result, parsedTitle, verdict string) {
	t.Helper()
	require.Len(t, res.Entries, 2, "parsed facts, then verdict and usage")
	parsed, answer := res.Entries[0].HumanReadable, res.Entries[1].HumanReadable
	assert.Contains(t, parsed, parsedTitle)
	assert.Contains(t, parsed, "Indicators found (defanged)")
	assert.Contains(t, parsed, `example-phish\[.\]com`, "indicators are defanged for display")
	assert.NotContains(t, parsed, "Verdict:")
	assert.NotContains(t, parsed, "| Input tokens |")
	v := strings.Index(answer, "**Verdict: "+strings.ToUpper(verdict)+"**")
	u := strings.Index(answer, "| Input tokens |")
	require.GreaterOrEqual(t, v, 0, answer)
	require.Greater(t, u, v, "the usage table follows the verdict")
}

// TestEmailAnalyzeThenDraft is the typical Responses API flow: an .eml file
// entry, its analysis, then a SOC email drafted from that analysis.
func TestEmailAnalyzeThenDraft(t *testing.T) {
	tests := []struct {
		command, parsedTitle string
		verdict              string // the fake judges headers on authentication alone
	}{
		{"gpt-analyze-email-body", "Email body: phish_realistic.eml", "malicious"},
		{"gpt-analyze-email-header", "Email headers: phish_realistic.eml", "suspicious"},
	}
	for _, tt := range tests {
		t.Run(tt.command, func(t *testing.T) {
			s := newSession(t, fakeopenai.Config{})
			s.addEML("3@1", "phish_realistic.eml")

			res := s.ok(tt.command, map[string]any{"entry_id": "3@1"})
			requireAnalysisEntries(t, res, tt.parsedTitle, tt.verdict)
			if tt.command == "gpt-analyze-email-header" {
				assert.Contains(t, res.Entries[0].HumanReadable, "| Name | Value |")
				assert.Contains(t, res.Entries[0].HumanReadable, "Authentication results")
				assert.Contains(t, res.Entries[0].HumanReadable, "Received chain")
			}
			body := s.lastBody("/v1/responses")
			assert.Equal(t, "json_schema", body["text"].(map[string]any)["format"].(map[string]any)["type"], "a structured verdict is asked for")
			assert.NotContains(t, body, "previous_response_id", "an analysis starts a new chain")

			doc := s.host.incident()
			resp := contextItem(t, doc, "OpenAiChatGPTV3.Response")
			analysisID, _ := resp["response_id"].(string)
			require.True(t, strings.HasPrefix(analysisID, "resp_"), "response_id %q", analysisID)
			assert.NotEmpty(t, resp["user"])
			assert.True(t, strings.HasPrefix(resp["assistant"].(string), "**Verdict: "+strings.ToUpper(tt.verdict)+"**"), resp["assistant"])
			assert.Contains(t, res.Entries[1].HumanReadable, "| Response ID | "+analysisID+" |")

			verdict := contextItem(t, doc, "OpenAiChatGPTV3.Verdict")
			assert.Equal(t, tt.verdict, verdict["verdict"])
			assert.Equal(t, tt.command, verdict["command"])
			assert.Equal(t, "3@1", verdict["entry_id"])
			assert.Equal(t, analysisID, verdict["response_id"])
			assert.Greater(t, verdict["confidence"], 0.5)
			assert.NotEmpty(t, verdict["reasons"])
			assert.NotEmpty(t, verdict["indicators"].(map[string]any)["domains"])

			// The draft continues the analysis.
			const instructions = "Tell the user it was quarantined."
			res = s.ok("gpt-draft-soc-email", map[string]any{"additional_instructions": instructions})
			body = s.lastBody("/v1/responses")
			assert.Equal(t, analysisID, body["previous_response_id"], "the draft consumes the analysis")
			assert.Contains(t, fmt.Sprint(body["input"], body["instructions"]), instructions)
			assert.NotContains(t, body, "text", "a draft is prose, not a verdict")
			draft := contextItem(t, s.host.incident(), "OpenAiChatGPTV3.Response")
			draftID := draft["response_id"].(string)
			assert.NotEqual(t, analysisID, draftID)
			assert.Contains(t, draft["assistant"], "Subject:")
			require.Len(t, res.Entries, 2)
			assert.Contains(t, res.Entries[0].HumanReadable, "| "+draftID+" | "+analysisID+" |")
			assert.Contains(t, res.Entries[0].HumanReadable, "| user | assistant |", "the first entry is the context output")
			assert.Contains(t, res.Entries[0].HumanReadable, "Subject:")
			assert.Contains(t, res.Entries[1].HumanReadable, "| Response ID | "+draftID+" |")

			// Twice: the new draft replaces the first one in context.
			s.ok("gpt-draft-soc-email", map[string]any{"additional_instructions": instructions})
			assert.Equal(t, draftID, s.lastBody("/v1/responses")["previous_response_id"])
			again := contextItem(t, s.host.incident(), "OpenAiChatGPTV3.Response")
			assert.NotEqual(t, draftID, again["response_id"], "replace_existing: only the new draft is left")
			assert.Equal(t, "3@1", contextItem(t, s.host.incident(), "OpenAiChatGPTV3.Verdict")["entry_id"], "drafting leaves the verdict alone")
		})
	}
}

// TestEmailCheckThenTemplate is the Chat Completions flow: a check starts
// a conversation holding the analysis, and the SOC template follows from
// it. The snake_case spellings are accepted as aliases, not with the
// documented camelCase ones at once.
func TestEmailCheckThenTemplate(t *testing.T) {
	tests := []struct {
		name, command, parsedTitle, verdict string
		args, templateArgs                  map[string]any
	}{
		{"header, camelCase", "gpt-check-email-header", "Email headers: phish_realistic.eml", "suspicious",
			map[string]any{"entryId": "3@1", "additionalInstructions": "Focus on SPF alignment."},
			map[string]any{"additionalInstructions": "Tell the user it was quarantined."}},
		{"header, snake_case aliases", "gpt-check-email-header", "Email headers: phish_realistic.eml", "suspicious",
			map[string]any{"entry_id": "3@1", "additional_instructions": "Focus on SPF alignment."},
			map[string]any{"additional_instructions": "Tell the user it was quarantined."}},
		{"body", "gpt-check-email-body", "Email body: phish_realistic.eml", "malicious",
			map[string]any{"entryId": "3@1", "additionalInstructions": "Focus on SPF alignment."},
			map[string]any{"additionalInstructions": "Tell the user it was quarantined."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSession(t, fakeopenai.Config{})
			s.addEML("3@1", "phish_realistic.eml")
			// A conversation from before is replaced, not continued.
			s.ok("gpt-send-message", map[string]any{"message": "unrelated earlier chat"})

			res := s.ok(tt.command, tt.args)
			requireAnalysisEntries(t, res, tt.parsedTitle, tt.verdict)
			want := "**Verdict: " + strings.ToUpper(tt.verdict) + "**"
			body := s.lastBody("/v1/chat/completions")
			assert.Equal(t, "json_schema", body["response_format"].(map[string]any)["type"])
			msgs := body["messages"].([]any)
			require.Len(t, msgs, 2, "system prompt and the email, no earlier chat")
			assert.Contains(t, fmt.Sprint(msgs), "Focus on SPF alignment.", "additional instructions reach the model")
			assert.NotContains(t, fmt.Sprint(msgs), "unrelated earlier chat")

			doc := s.host.incident()
			turn := contextItem(t, doc, "OpenAiChatGPTV3.Conversation")
			assert.True(t, strings.HasPrefix(turn["assistant"].(string), want), turn["assistant"])
			verdict := contextItem(t, doc, "OpenAiChatGPTV3.Verdict")
			assert.Equal(t, tt.verdict, verdict["verdict"])
			assert.True(t, strings.HasPrefix(verdict["response_id"].(string), "chatcmpl-"), "the chat completion's id: %v", verdict["response_id"])
			assert.Equal(t, tt.command, verdict["command"])
			assert.Equal(t, "3@1", verdict["entry_id"])

			res = s.ok("gpt-create-soc-email-template", tt.templateArgs)
			body = s.lastBody("/v1/chat/completions")
			msgs = body["messages"].([]any)
			require.Len(t, msgs, 4, "system, the analysis turn, the template request")
			roles := make([]any, len(msgs))
			for i, m := range msgs {
				roles[i] = m.(map[string]any)["role"]
			}
			assert.Equal(t, []any{"system", "user", "assistant", "user"}, roles)
			assert.True(t, strings.HasPrefix(fmt.Sprint(msgs[2].(map[string]any)["content"]), want), "the template is built from the analysis")
			assert.Contains(t, fmt.Sprint(msgs[3]), "Tell the user it was quarantined.")
			require.Len(t, res.Entries, 1)
			assert.Contains(t, res.Entries[0].HumanReadable, "Based on 1 of 1 conversation turns")
			conv := contextList(s.host.incident(), "OpenAiChatGPTV3.Conversation")
			require.Len(t, conv, 2, "the template is appended to the conversation")
			assert.Contains(t, conv[1].(map[string]any)["assistant"], "Subject:")
		})
	}

	t.Run("both spellings at once are refused", func(t *testing.T) {
		s := newSession(t, fakeopenai.Config{})
		s.addEML("3@1", "phish_realistic.eml")
		for _, c := range []struct {
			command string
			args    map[string]any
			want    string
		}{
			{"gpt-check-email-header", map[string]any{"entryId": "3@1", "entry_id": "3@1"}, "arguments entryId and entry_id are the same argument"},
			{"gpt-check-email-body", map[string]any{"entryId": "3@1", "additionalInstructions": "a", "additional_instructions": "b"}, "arguments additionalInstructions and additional_instructions are the same argument"},
			{"gpt-create-soc-email-template", map[string]any{"additionalInstructions": "a", "additional_instructions": "b"}, "are the same argument"},
		} {
			assert.Contains(t, s.fails(c.command, c.args), c.want, c.command)
		}
		assert.Empty(t, s.fake.Requests("/v1/chat/completions"), "refused before any model call")
	})
}

// TestEmailErrorEntries: an unknown entry, an empty file, a file that is
// not an email and one over the size cap each give one error entry that
// says which, on every analysis command, and no model call.
func TestEmailErrorEntries(t *testing.T) {
	png, _ := base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
	tests := []struct {
		name string
		file *protocol.File // nil: no such entry
		want []string
	}{
		{"unknown entry id", nil, []string{"entry 9@9", "not found"}},
		{"empty file", &protocol.File{Name: "empty.eml"}, []string{"entry 9@9 (empty.eml)", "the email file is empty"}},
		{"whitespace only", &protocol.File{Name: "blank.eml", Data: []byte(" \r\n\r\n ")}, []string{"the email file is empty"}},
		{"an image", &protocol.File{Name: "pixel.png", Data: png}, []string{"entry 9@9 (pixel.png)", "the file is not an email"}},
		{"prose", &protocol.File{Name: "notes.txt", Data: []byte("Dear team,\nplease find the minutes below.\n")}, []string{"the file is not an email"}},
		{"over the size cap", &protocol.File{Name: "huge.eml", Data: append([]byte("From: a@example.com\n\n"), make([]byte, email.DefaultMaxBytes)...)},
			[]string{"entry 9@9", "over the limit", "the email file is too large", "40 MiB"}},
	}
	s := newSession(t, fakeopenai.Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			delete(s.host.files, "9@9")
			if tt.file != nil {
				s.host.files["9@9"] = *tt.file
			}
			for _, c := range []struct{ command, arg string }{
				{"gpt-analyze-email-body", "entry_id"}, {"gpt-analyze-email-header", "entry_id"},
				{"gpt-check-email-body", "entryId"}, {"gpt-check-email-header", "entryId"},
			} {
				res := s.run(c.command, map[string]any{c.arg: "9@9"})
				require.Len(t, res.Entries, 1, c.command)
				assert.Equal(t, protocol.EntryError, res.Entries[0].Type, c.command)
				msg := fmt.Sprint(res.Entries[0].Contents)
				for _, w := range tt.want {
					assert.Contains(t, msg, w, c.command)
				}
				assert.Empty(t, res.Outputs, "%s: an error changes no context", c.command)
			}
		})
	}
	assert.Empty(t, s.fake.Requests("/v1/"), "no model call for a file that cannot be analysed")
	assert.False(t, s.plugin.Exited())
}

// TestEmailNoVerdictReplacesStaleVerdict: an analysis whose answer is cut
// off by max_tokens must not leave the previous email's verdict looking
// current, must say why there is no verdict, and must show readable text
// rather than a raw JSON fragment.
func TestEmailNoVerdictReplacesStaleVerdict(t *testing.T) {
	s := newSession(t, fakeopenai.Config{})
	s.addEML("3@1", "phish_realistic.eml")
	s.addEML("4@1", "plain.eml")
	s.ok("gpt-check-email-body", map[string]any{"entryId": "3@1"})
	require.Equal(t, "malicious", contextItem(t, s.host.incident(), "OpenAiChatGPTV3.Verdict")["verdict"])

	for _, c := range []struct{ command, arg, reason string }{
		{"gpt-analyze-email-body", "entry_id", "cut off (max_output_tokens)"},
		{"gpt-check-email-body", "entryId", "cut off (max_tokens reached)"},
	} {
		t.Run(c.command, func(t *testing.T) {
			res := s.ok(c.command, map[string]any{c.arg: "4@1", "max_tokens": 20.0})
			require.Len(t, res.Entries, 2)
			answer := res.Entries[1].HumanReadable
			assert.Contains(t, answer, "**Verdict: UNKNOWN** (no structured verdict: the answer was "+c.reason)
			assert.Contains(t, answer, "larger max_tokens")
			assert.Contains(t, answer, "OpenAiChatGPTV3.Verdict now holds verdict=unknown for entry 4@1")
			assert.NotContains(t, answer, `{"analysis"`, "no raw JSON for the analyst")
			assert.NotContains(t, answer, "did not return one", "the stated reason is the true one")

			doc := s.host.incident()
			verdict := contextItem(t, doc, "OpenAiChatGPTV3.Verdict")
			assert.Equal(t, "unknown", verdict["verdict"], "the previous email's verdict is gone")
			assert.Equal(t, "4@1", verdict["entry_id"])
			assert.Equal(t, c.command, verdict["command"])
			assert.Equal(t, 0.0, verdict["confidence"])
			require.Len(t, verdict["reasons"], 1)
			assert.Contains(t, verdict["reasons"].([]any)[0], c.reason)

			path := "OpenAiChatGPTV3.Response"
			if c.command == "gpt-check-email-body" {
				path = "OpenAiChatGPTV3.Conversation"
			}
			assistant := contextItem(t, doc, path)["assistant"].(string)
			assert.NotContains(t, assistant, `{"analysis"`, "the context holds readable text")
			// What the model said, replayed by later turns: the banner and
			// the cut-off marker are the war room's, not the model's.
			assert.NotEmpty(t, assistant)
			assert.NotContains(t, assistant, "Verdict: UNKNOWN")
			assert.NotContains(t, assistant, "[cut off")
			assert.Contains(t, answer, assistant, "the entry shows what the context keeps")
		})
	}
}

// TestEmailLargeAttachment: a real 20 MB attachment (a ~28 MB file) goes
// through the plugin's file read and parser, within the size cap.
func TestEmailLargeAttachment(t *testing.T) {
	if testing.Short() {
		t.Skip("sends a 28 MB file entry to the plugin")
	}
	payload := bytes.Repeat([]byte{0xA5, 0x5A, 0x00, 0xFF}, 20<<20/4)
	b := plugintest.EmailWithAttachment(payload)
	require.Greater(t, b.Len(), 28_000_000)

	s := newSession(t, fakeopenai.Config{})
	s.host.files["5@1"] = protocol.File{Name: "big.eml", Data: b.Bytes()}
	res := s.ok("gpt-analyze-email-body", map[string]any{"entry_id": "5@1"})
	require.Len(t, res.Entries, 2)
	assert.Contains(t, res.Entries[0].HumanReadable, fmt.Sprintf("| big.zip | application/zip | %d |", len(payload)))
	contents, err := json.Marshal(res.Entries[0].Contents)
	require.NoError(t, err)
	assert.Contains(t, string(contents), `"Size":20971520`)
}

// TestEmailRefusal: a model that declines to analyse gives an unknown
// verdict that says it refused, on both APIs.
func TestEmailRefusal(t *testing.T) {
	s := newSession(t, fakeopenai.Config{})
	s.addEML("3@1", "phish_realistic.eml")
	for _, c := range []struct{ command, arg string }{
		{"gpt-analyze-email-body", "entry_id"},
		{"gpt-check-email-header", "entryId"},
	} {
		t.Run(c.command, func(t *testing.T) {
			s.fake.ScriptRefusal("I can't help with analysing this content.")
			res := s.ok(c.command, map[string]any{c.arg: "3@1"})
			require.Len(t, res.Entries, 2)
			assert.Contains(t, res.Entries[1].HumanReadable, "the model refused to analyse the email: I can't help with analysing this content.")
			verdict := contextItem(t, s.host.incident(), "OpenAiChatGPTV3.Verdict")
			assert.Equal(t, "unknown", verdict["verdict"])
			assert.Contains(t, verdict["reasons"].([]any)[0], "refused")
		})
	}
}
