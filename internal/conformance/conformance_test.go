package conformance

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
)

// SpecPath is OpenAI's description, beside the worktree.
const specPath = "../../../shared/openapi/openai-openapi.yaml"

// checker is built once for this test binary: compiling takes seconds.
var checker = sync.OnceValues(func() (*Checker, error) { return Load(specPath) })

func load(t *testing.T) *Checker {
	t.Helper()
	c, err := checker()
	require.NoError(t, err)
	return c
}

// exchanges serves a fake and collects what it answers.
type exchanges struct {
	mu   sync.Mutex
	list []fakeopenai.Exchange
	base string
	srv  *fakeopenai.Server
}

func startFake(t *testing.T, cfg fakeopenai.Config) *exchanges {
	t.Helper()
	ex := &exchanges{}
	cfg.OnExchange = func(x fakeopenai.Exchange) {
		ex.mu.Lock()
		defer ex.mu.Unlock()
		ex.list = append(ex.list, x)
	}
	s := fakeopenai.New(cfg)
	base, err := s.Start("")
	require.NoError(t, err)
	t.Cleanup(s.Close)
	ex.base, ex.srv = base, s
	return ex
}

// do sends a request with the API key and returns the exchange it made.
func (ex *exchanges) do(t *testing.T, method, path, key string, body any) fakeopenai.Exchange {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, ex.base+path, rd)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+key)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	// JSON answers carry no Content-Length: the body ends only once the
	// handler, and so the hook, has returned.
	_, err = io.Copy(io.Discard, res.Body)
	require.NoError(t, err)
	res.Body.Close()
	ex.mu.Lock()
	defer ex.mu.Unlock()
	return ex.list[len(ex.list)-1]
}

func TestLoad(t *testing.T) {
	c := load(t)
	t.Logf("OpenAI's description read, patched and compiled in %v", c.LoadTime)
}

// TestConformingExchangesPass: answers the fake gives to valid requests
// pass, on every route.
func TestConformingExchangesPass(t *testing.T) {
	c := load(t)
	ex := startFake(t, fakeopenai.Config{AuditEvents: 30})
	key := fakeopenai.DefaultAPIKey
	chat := map[string]any{"model": "gpt-4o-mini", "messages": []map[string]any{{"role": "user", "content": "hi"}}, "max_completion_tokens": 100, "temperature": nil}
	xs := []fakeopenai.Exchange{
		ex.do(t, "POST", "/v1/chat/completions", key, chat),
		ex.do(t, "POST", "/v1/responses", key, map[string]any{"model": "gpt-4o", "input": "hi", "max_output_tokens": 64}),
		ex.do(t, "GET", "/v1/models", key, nil),
		ex.do(t, "POST", "/v1/moderations", key, map[string]any{"model": "omni-moderation-latest", "input": []string{"hello"}}),
		ex.do(t, "GET", "/v1/organization/audit_logs?limit=5&effective_at%5Bgte%5D=1&effective_at%5Blt%5D=4000000000", fakeopenai.DefaultAdminKey, nil),
	}
	for _, x := range xs {
		problems, err := c.Check(x)
		require.NoError(t, err)
		assert.Empty(t, problems, "%s %s", x.Method, x.Path)
	}
}

// TestBackgroundOutcomesPass: every way a background response can end
// (completed, failed, cancelled by the fake's script, incomplete), polled
// to the end, answers as OpenAI's description has it; completed_at is set
// only on a completed one ("only present when the status is completed").
func TestBackgroundOutcomesPass(t *testing.T) {
	c := load(t)
	ex := startFake(t, fakeopenai.Config{})
	s := ex.srv
	key := fakeopenai.DefaultAPIKey
	for _, status := range []string{"completed", "failed", "cancelled", "incomplete"} {
		s.ScriptBackground(fakeopenai.BackgroundOutcome{Status: status, Polls: 1})
		created := ex.do(t, "POST", "/v1/responses", key, map[string]any{"model": "gpt-4o", "input": "hi", "background": true, "max_output_tokens": 64})
		var obj struct {
			ID          string `json:"id"`
			Status      string `json:"status"`
			CompletedAt *int64 `json:"completed_at"`
		}
		require.NoError(t, json.Unmarshal(created.ResponseBody, &obj))
		xs := []fakeopenai.Exchange{created}
		for range 4 {
			x := ex.do(t, "GET", "/v1/responses/"+obj.ID, key, nil)
			xs = append(xs, x)
			require.NoError(t, json.Unmarshal(x.ResponseBody, &obj))
			if obj.Status != "queued" && obj.Status != "in_progress" {
				break
			}
		}
		assert.Equal(t, status, obj.Status)
		assert.Equal(t, status == "completed", obj.CompletedAt != nil, "%s: completed_at %v", status, obj.CompletedAt)
		for _, x := range xs {
			problems, err := c.Check(x)
			require.NoError(t, err)
			assert.Empty(t, problems, "%s: %s %s\n%s", status, x.Method, x.Path, x.ResponseBody)
		}
	}
}

// TestCatchesWrongRequest: the check can fail on the request side.
func TestCatchesWrongRequest(t *testing.T) {
	c := load(t)
	ex := startFake(t, fakeopenai.Config{AuditEvents: 30})
	x := ex.do(t, "POST", "/v1/chat/completions", fakeopenai.DefaultAPIKey, map[string]any{"model": "gpt-4o-mini", "messages": []map[string]any{{"role": "user", "content": "hi"}}})
	x.Body = []byte(`{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"max_completion_tokens":"many"}`)
	problems, err := c.Check(x)
	require.NoError(t, err)
	t.Logf("caught: %v", problems)
	require.NotEmpty(t, problems)
	assert.True(t, strings.HasPrefix(problems[0], "request POST /v1/chat/completions"), problems[0])
	assert.Contains(t, strings.Join(problems, "\n"), "max_completion_tokens")

	// effective_at in the deepObject form is accepted only with integers.
	x = ex.do(t, "GET", "/v1/organization/audit_logs?effective_at%5Bgte%5D=yesterday", fakeopenai.DefaultAdminKey, nil)
	problems, err = c.Check(x)
	require.NoError(t, err)
	t.Logf("caught: %v", problems)
	assert.NotEmpty(t, problems)
}

// TestCatchesWrongAnswer: the check can fail on the answer side; the
// answer without cache_write_tokens is the fake's defect it found.
func TestCatchesWrongAnswer(t *testing.T) {
	c := load(t)
	ex := startFake(t, fakeopenai.Config{})
	x := ex.do(t, "POST", "/v1/responses", fakeopenai.DefaultAPIKey, map[string]any{"model": "gpt-4o", "input": "hi"})
	problems, err := c.Check(x)
	require.NoError(t, err)
	require.Empty(t, problems)
	x.ResponseBody = bytes.Replace(x.ResponseBody, []byte(`,"cache_write_tokens":0`), nil, 1)
	require.NotContains(t, string(x.ResponseBody), "cache_write_tokens")
	problems, err = c.Check(x)
	require.NoError(t, err)
	t.Logf("caught: %v", problems)
	require.NotEmpty(t, problems)
	assert.True(t, strings.HasPrefix(problems[0], "answer POST /v1/responses"), problems[0])
	assert.Contains(t, strings.Join(problems, "\n"), "cache_write_tokens")
}

// TestQuirkResponseNulls: a queued response's null user and usage pass,
// as the description's examples show them; a usage of another wrong type,
// or null on a finished response, is still reported.
func TestQuirkResponseNulls(t *testing.T) {
	c := load(t)
	ex := startFake(t, fakeopenai.Config{})
	x := ex.do(t, "POST", "/v1/responses", fakeopenai.DefaultAPIKey, map[string]any{"model": "gpt-4o", "input": "hi", "background": true})
	require.Contains(t, string(x.ResponseBody), `"usage":null`)
	problems, err := c.Check(x)
	require.NoError(t, err)
	assert.Empty(t, problems)

	wrong := x
	wrong.ResponseBody = bytes.Replace(x.ResponseBody, []byte(`"usage":null`), []byte(`"usage":"none"`), 1)
	problems, err = c.Check(wrong)
	require.NoError(t, err)
	assert.NotEmpty(t, problems, "a usage that is neither null nor an object")

	done := ex.do(t, "POST", "/v1/responses", fakeopenai.DefaultAPIKey, map[string]any{"model": "gpt-4o", "input": "hi"})
	require.Contains(t, string(done.ResponseBody), `"status":"completed"`)
	i := bytes.Index(done.ResponseBody, []byte(`"usage":{`))
	j := bytes.Index(done.ResponseBody[i:], []byte(`"total_tokens"`))
	require.True(t, i > 0 && j > 0)
	k := bytes.IndexByte(done.ResponseBody[i+j:], '}')
	done.ResponseBody = append(append(append([]byte{}, done.ResponseBody[:i]...), `"usage":null`...), done.ResponseBody[i+j+k+1:]...)
	require.True(t, json.Valid(done.ResponseBody), string(done.ResponseBody))
	problems, err = c.Check(done)
	require.NoError(t, err)
	t.Logf("caught: %v", problems)
	assert.NotEmpty(t, problems, "a finished response without usage")
}

// TestQuirkUndocumentedErrors: a 401 the description does not document is
// checked against its ErrorResponse: OpenAI's envelope passes, another
// body does not.
func TestQuirkUndocumentedErrors(t *testing.T) {
	c := load(t)
	ex := startFake(t, fakeopenai.Config{})
	x := ex.do(t, "GET", "/v1/models", "sk-wrong-key-0000", nil)
	require.Equal(t, 401, x.Status)
	problems, err := c.Check(x)
	require.NoError(t, err)
	assert.Empty(t, problems)
	x.ResponseBody = []byte(`{"error":"unauthorized"}`)
	problems, err = c.Check(x)
	require.NoError(t, err)
	t.Logf("caught: %v", problems)
	assert.NotEmpty(t, problems)
}

func TestRouteOf(t *testing.T) {
	r, ok := RouteOf("GET", "/v1/responses/resp_123")
	assert.True(t, ok)
	assert.Equal(t, "/responses/{response_id}", r.Path)
	_, ok = RouteOf("GET", "/v1/compliance/workspaces/x/logs")
	assert.False(t, ok)
	_, err := load(t).Check(fakeopenai.Exchange{Method: "GET", Path: "/v1/files"})
	assert.Error(t, err)
}

// TestQuirkNullable: OpenAPI 3.0's nullable becomes 3.1's type list, or
// an anyOf with null where there is no type; nullable: false goes.
func TestQuirkNullable(t *testing.T) {
	in := "a: {type: integer, nullable: true}\nb: {$ref: '#/x', nullable: true}\nc: {nullable: false, description: d}\n"
	var root yaml.Node
	require.NoError(t, yaml.Unmarshal([]byte(in), &root))
	quirkNullable(&root)
	out, err := yaml.Marshal(&root)
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, yaml.Unmarshal(out, &got))
	assert.Equal(t, map[string]any{
		"a": map[string]any{"type": []any{"integer", "null"}},
		"b": map[string]any{"anyOf": []any{map[string]any{"$ref": "#/x"}, map[string]any{"type": "null"}}},
		"c": map[string]any{"description": "d"},
	}, got)
}
