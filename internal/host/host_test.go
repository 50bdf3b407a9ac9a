package host

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	integration "github.com/soarkit/openai-gpt"
	"github.com/soarkit/openai-gpt/internal/host/state"
	"github.com/soarkit/openai-gpt/internal/protocol"
	"github.com/soarkit/openai-gpt/schemas"
	"github.com/soarkit/openai-gpt/schemas/schemaerr"
)

// fakePlugin answers from a script and counts Execute calls, so tests can
// prove the host refused a call without ever reaching the plugin.
type fakePlugin struct {
	executed int
	lastReq  protocol.ExecuteRequest
	result   protocol.Result
	fetch    func(callID string, req protocol.FetchRequest) (protocol.FetchResult, error)
	// onExecute, when set, runs during Execute with the call's id (a
	// command calling back into the host).
	onExecute func(callID string) error
}

func (f *fakePlugin) Manifest(context.Context) ([]byte, error) { return integration.YAML(), nil }
func (f *fakePlugin) Test(context.Context, string, protocol.TestRequest) (protocol.TestResult, error) {
	return protocol.TestResult{OK: true}, nil
}
func (f *fakePlugin) Execute(_ context.Context, callID string, req protocol.ExecuteRequest) (protocol.Result, error) {
	f.executed++
	f.lastReq = req
	if f.onExecute != nil {
		if err := f.onExecute(callID); err != nil {
			return protocol.ErrorResult(err.Error()), nil
		}
	}
	return f.result, nil
}
func (f *fakePlugin) FetchEvents(_ context.Context, callID string, req protocol.FetchRequest) (protocol.FetchResult, error) {
	return f.fetch(callID, req)
}
func (f *fakePlugin) Close() {}

func newTestHost(t *testing.T, env map[string]string) (*Host, *fakePlugin) {
	t.Helper()
	st, err := state.Open(t.TempDir())
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	fp := &fakePlugin{result: protocol.Result{Entries: []protocol.Entry{{Type: "note", ContentsFormat: "text", Contents: "fine"}}}}
	h, err := New(context.Background(), Config{Store: st, SecretEnv: func(param string) (string, string) {
		name := "TEST_" + strings.ToUpper(param)
		return name, env[name]
	}}, fp)
	require.NoError(t, err)
	return h, fp
}

func TestRunRefusesBadCallsBeforeThePlugin(t *testing.T) {
	h, fp := newTestHost(t, nil)
	cases := []struct{ line, want string }{
		{`!gpt-sendmessage message=hi`, `unknown command "gpt-sendmessage"; did you mean gpt-send-message?`},
		{`!gpt-send-message`, "missing required argument message"},
		{`!gpt-send-message message=hi reset_conversation_history=maybe`, `argument reset_conversation_history: "maybe" is not one of yes, no`},
		{`!gpt-send-message message=hi temperature=hot`, `argument temperature: "hot" is not a number`},
		{`!gpt-send-message message=hi colour=red`, `unknown argument "colour"`},
		{`!gpt-send-message message="hi`, "never closed"},
	}
	for _, c := range cases {
		_, err := h.Run(context.Background(), c.line)
		require.ErrorContains(t, err, c.want, c.line)
	}
	require.Zero(t, fp.executed, "the plugin must never be called for a refused line")
	wr, err := h.Store().WarRoom(context.Background(), 0)
	require.NoError(t, err)
	require.Empty(t, wr)
}

func TestRunCoercesArgsAndSendsParams(t *testing.T) {
	h, fp := newTestHost(t, map[string]string{"TEST_APIKEY": "sk-env"})
	ctx := context.Background()
	require.NoError(t, h.Store().SetParams(ctx, map[string]string{"url": "http://127.0.0.1:1", "isFetchEvents": "true"}))
	_, err := h.Run(ctx, `!gpt-send-message message="hi there" temperature=0.2 entry_id_ignored=`)
	require.ErrorContains(t, err, "unknown argument") // only declared names, even empty
	out, err := h.Run(ctx, `!gpt-send-message message="hi there" temperature=0.2`)
	require.NoError(t, err)
	require.Equal(t, 1, fp.executed)
	require.Equal(t, "hi there", fp.lastReq.Args["message"])
	require.Equal(t, 0.2, fp.lastReq.Args["temperature"])
	require.Equal(t, "no", fp.lastReq.Args["reset_conversation_history"]) // the default
	require.Equal(t, "sk-env", fp.lastReq.Params["apikey"])               // from the environment
	require.Equal(t, true, fp.lastReq.Params["isFetchEvents"])
	require.Equal(t, "gpt-4o-mini", fp.lastReq.Params["model-select"]) // the manifest default
	require.Len(t, fp.lastReq.Params["event_types_to_fetch"], 10)
	require.Equal(t, []string{"1@1"}, out.EntryIDs)
}

func TestRunMergesOutputsAndReportsWhatItWrote(t *testing.T) {
	h, fp := newTestHost(t, nil)
	ctx := context.Background()
	model := func(id string, created float64) map[string]any {
		return map[string]any{"Id": id, "Created": created, "OwnedBy": "system"}
	}
	fp.result = protocol.Result{
		Entries: []protocol.Entry{{Type: "note", ContentsFormat: "markdown", Contents: "| Id |\n| --- |\n| a |", HumanReadable: "| Id |\n| --- |\n| a |"}},
		Outputs: []protocol.Output{{Prefix: "OpenAiChatGPTV3.Model", KeyField: "Id", Value: []any{model("a", 1), model("b", 2)}}},
	}
	_, err := h.Run(ctx, "!gpt-list-models")
	require.NoError(t, err)
	fp.result.Outputs[0].Value = []any{model("b", 3)}
	out, err := h.Run(ctx, "!gpt-list-models")
	require.NoError(t, err)

	wrote, _ := json.Marshal(out.Context)
	require.JSONEq(t, `{"OpenAiChatGPTV3":{"Model":[{"Id":"b","Created":3,"OwnedBy":"system"}]}}`, string(wrote))
	doc, err := h.Store().Context(ctx, state.ScopeIncident)
	require.NoError(t, err)
	all, _ := json.Marshal(doc)
	require.JSONEq(t, `{"OpenAiChatGPTV3":{"Model":[{"Id":"a","Created":1,"OwnedBy":"system"},{"Id":"b","Created":3,"OwnedBy":"system"}]}}`, string(all))
}

func TestRunRejectsInvalidResults(t *testing.T) {
	h, fp := newTestHost(t, nil)
	ctx := context.Background()
	fp.result = protocol.Result{
		Entries: []protocol.Entry{{Type: "note", ContentsFormat: "text", Contents: "x"}},
		Outputs: []protocol.Output{{Prefix: "OpenAiChatGPTV3.Model", KeyField: "Id", Value: map[string]any{"Id": "a", "Created": "yesterday"}}},
	}
	_, err := h.Run(ctx, "!gpt-list-models")
	require.ErrorContains(t, err, "invalid result")
	require.ErrorContains(t, err, "OpenAiChatGPTV3.Model.Created")

	fp.result = protocol.Result{Entries: []protocol.Entry{{Type: "warning", ContentsFormat: "text", Contents: "x"}}}
	_, err = h.Run(ctx, "!gpt-list-models")
	require.ErrorContains(t, err, "entries[0].type")

	fp.result = protocol.Result{}
	_, err = h.Run(ctx, "!gpt-list-models")
	require.ErrorContains(t, err, "entries")

	doc, _ := h.Store().Context(ctx, state.ScopeIncident)
	require.Empty(t, doc)
}

func TestServicesReadFileAndPushEvents(t *testing.T) {
	h, fp := newTestHost(t, nil)
	ctx := context.Background()
	svc := h.Services()
	id, err := h.Store().AddFile(ctx, "a.eml", []byte("0123456789"))
	require.NoError(t, err)

	f, err := svc.ReadFile(ctx, "c", id, 10)
	require.NoError(t, err)
	require.Equal(t, "a.eml", f.Name)
	_, err = svc.ReadFile(ctx, "c", id, 9)
	require.EqualError(t, err, "file entry 1@1 is 10 bytes, over the limit of 9")
	_, err = svc.ReadFile(ctx, "c", "7@1", 9)
	require.EqualError(t, err, "file entry 7@1 not found")

	err = svc.PushEvents(ctx, "c", protocol.Batch{Stream: "audit", Dataset: "nope", Events: []json.RawMessage{[]byte(`{}`)}})
	require.ErrorContains(t, err, `batch.dataset: "nope" is not a dataset`)
	err = svc.PushEvents(ctx, "c", protocol.Batch{Stream: "audit", Dataset: "openai_chatgpt_audit_raw", Events: []json.RawMessage{[]byte(`[1]`)}})
	require.ErrorContains(t, err, "batch.events[0]: expected an object")

	fp.fetch = func(callID string, req protocol.FetchRequest) (protocol.FetchResult, error) {
		cur := json.RawMessage(`{"n":1}`)
		if c, ok := req.LastRun["audit"]; ok {
			cur = json.RawMessage(`{"n":2,"prev":` + string(c) + `}`)
		}
		err := svc.PushEvents(ctx, callID, protocol.Batch{Stream: "audit", Dataset: "openai_chatgpt_audit_raw",
			Events: []json.RawMessage{[]byte(`{"id":"a1","_time":"2026-01-01T00:00:00Z"}`)}, Cursor: cur})
		return protocol.FetchResult{Streams: []protocol.StreamSummary{{Stream: "audit", Count: 1, Cursor: cur}}}, err
	}
	for range 2 {
		_, err := h.Fetch(ctx)
		require.NoError(t, err)
	}
	cur, err := h.Store().Cursors(ctx)
	require.NoError(t, err)
	require.JSONEq(t, `{"n":2,"prev":{"n":1}}`, string(cur["audit"]))
}

// TestCheckBatchAgreesWithTheSchema: the host's fast batch check (it runs on
// every page of events) accepts exactly what schemas/batch.json accepts.
func TestCheckBatchAgreesWithTheSchema(t *testing.T) {
	h, _ := newTestHost(t, nil)
	svc := services{h: h}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	require.NoError(t, c.AddResource("mem://schemas/"+schemas.Batch, bytes.NewReader(schemas.Raw(schemas.Batch))))
	batchSchema, err := c.Compile("mem://schemas/" + schemas.Batch)
	require.NoError(t, err)
	validate := func(b protocol.Batch) error {
		doc, err := schemaerr.JSONValue(b)
		require.NoError(t, err)
		return batchSchema.Validate(doc)
	}
	obj := []json.RawMessage{[]byte(`{"id":"a"}`), []byte(` {"id":"b"}`)}
	for _, b := range []protocol.Batch{
		{Stream: "audit", Dataset: "openai_chatgpt_audit_raw", Events: obj, Cursor: json.RawMessage(`{"v":1}`)},
		{Stream: "manual", Dataset: "openai_chatgpt_compliance_raw", Events: obj},
		{Stream: "audit", Dataset: "openai_chatgpt_audit_raw", Events: []json.RawMessage{}, Cursor: json.RawMessage(`null`)},
		{Stream: "", Dataset: "openai_chatgpt_audit_raw", Events: obj},
		{Stream: "Audit Logs", Dataset: "openai_chatgpt_audit_raw", Events: obj},
		{Stream: "audit", Dataset: "openai_chatgpt_audit_raw", Events: []json.RawMessage{[]byte(`[1]`)}},
		{Stream: "audit", Dataset: "openai_chatgpt_audit_raw", Events: []json.RawMessage{[]byte(`"s"`)}},
		{Stream: "audit", Dataset: "openai_chatgpt_audit_raw", Events: obj, Cursor: json.RawMessage(`[1]`)},
		{Stream: "audit", Dataset: "openai_chatgpt_audit_raw", Events: obj, Cursor: json.RawMessage(`"c"`)},
	} {
		fast, schema := svc.checkBatch(b), validate(b)
		assert.Equal(t, schema == nil, fast == nil, "batch %+v: checkBatch says %v, the schema says %v", b, fast, schema)
	}
}
