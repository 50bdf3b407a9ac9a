package protocol

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBatchRoundTrip(t *testing.T) {
	cases := []Batch{
		{Stream: "audit", Dataset: "openai_chatgpt_audit_raw", Events: []json.RawMessage{
			json.RawMessage(`{"id":"a","_time":"2026-11-24T09:00:00Z"}`),
			json.RawMessage(` {"id":"b", "nested":{"x":[1,2,"\u00e9\"]"]}}`),
		}, Cursor: json.RawMessage(`{"v":1,"from":17}`)},
		{Stream: "manual", Dataset: "d", Events: []json.RawMessage{}},
		{Stream: `quo"te`, Dataset: "d\n"},
	}
	for _, want := range cases {
		payload, err := EncodeBatch(want)
		require.NoError(t, err)
		require.True(t, json.Valid(payload), "%s", payload)

		got, err := DecodeBatch(payload)
		require.NoError(t, err)
		assert.Equal(t, want.Stream, got.Stream)
		assert.Equal(t, want.Dataset, got.Dataset)
		assert.Equal(t, len(want.Events), len(got.Events))
		for i := range want.Events {
			assert.JSONEq(t, string(want.Events[i]), string(got.Events[i]))
		}
		if len(want.Cursor) > 0 {
			assert.JSONEq(t, string(want.Cursor), string(got.Cursor))
		} else {
			assert.Nil(t, got.Cursor)
		}

		// encoding/json reads the same document the same way.
		var std Batch
		require.NoError(t, json.Unmarshal(payload, &std))
		assert.Equal(t, std.Stream, got.Stream)
		assert.Equal(t, len(std.Events), len(got.Events))
	}
}

func TestEncodeBatchRejects(t *testing.T) {
	_, err := EncodeBatch(Batch{Stream: "s", Dataset: "d", Events: []json.RawMessage{json.RawMessage(`[1]`)}})
	assert.ErrorContains(t, err, "event 0 of the batch is not a JSON object")
	_, err = EncodeBatch(Batch{Stream: "s", Dataset: "d", Cursor: json.RawMessage(`{"v":`)})
	assert.ErrorContains(t, err, "cursor is not valid JSON")
}

func TestDecodeBatchRejects(t *testing.T) {
	cases := []struct{ payload, want string }{
		{``, "not valid JSON"},
		{`{"stream":"s","events":[{"id":1}`, "not valid JSON"},
		{`[]`, "expected an object"},
		{`{"stream":1}`, "batch.stream: expected a string"},
		{`{"dataset":null}`, "batch.dataset: expected a string"},
		{`{"events":{}}`, "batch.events: expected an array"},
		{`{"stream":"s","extra":true}`, `unknown field "extra"`},
	}
	for _, tc := range cases {
		_, err := DecodeBatch([]byte(tc.payload))
		assert.ErrorContains(t, err, tc.want, "payload %q", tc.payload)
	}
}

// FuzzDecodeBatch: whatever a plugin sends, decoding never panics, and a
// batch it accepts is what encoding/json reads from the same bytes.
func FuzzDecodeBatch(f *testing.F) {
	f.Add([]byte(`{"stream":"audit","dataset":"d","events":[{"id":"a"}],"cursor":{"v":1}}`))
	f.Add([]byte(`{"stream":"s","dataset":"d","events":[],"cursor":null}`))
	f.Add([]byte(`{"events":[{"a":"\ud800"},{}],"stream":"\u0041"}`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		got, err := DecodeBatch(payload)
		if err != nil {
			return
		}
		var std Batch
		if err := json.Unmarshal(payload, &std); err != nil {
			t.Fatalf("DecodeBatch accepted what encoding/json rejects (%v): %q", err, payload)
		}
		if std.Stream != got.Stream || std.Dataset != got.Dataset || len(std.Events) != len(got.Events) {
			t.Fatalf("decoders disagree on %q: %+v vs %+v", payload, got, std)
		}
	})
}
