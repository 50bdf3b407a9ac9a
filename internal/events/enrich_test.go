package events

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestEnrichSpliceMatchesStrict: the fast path gives the same object as a
// decode-and-re-encode, for tricky inputs.
func TestEnrichSpliceMatchesStrict(t *testing.T) {
	fields := map[string]any{"id": "X", "_time": "2026-11-24T10:00:00Z", "source_log_type": "auth_log"}
	for _, in := range []string{
		`{"id":"old","a":1}`,
		` { "a" : [1, {"id": "nested"}], "b":"}{\"," , "c":null, "d":true, "e":-1.5e3 } `,
		`{}`,
		`{"x":{"y":{"z":[[],{}]}},"source_log_type":"keep?"}`,
		`{"a\u0041":1}`,
	} {
		got, err := enrich([]byte(in), fields)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		want, _ := enrichSlow([]byte(in), fields, false)
		var g, w any
		if err := json.Unmarshal(got, &g); err != nil {
			t.Fatalf("%s: invalid output %s", in, got)
		}
		json.Unmarshal(want, &w) //nolint:errcheck
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s:\n got %s\nwant %s", in, got, want)
		}
	}
	if _, err := enrich([]byte(`[1]`), fields); err == nil {
		t.Error("array accepted")
	}
}

// TestEnrichKeep: the record's own fields win; only the missing ones are
// added, on the fast path and the strict one alike.
func TestEnrichKeep(t *testing.T) {
	fields := map[string]any{"id": "X", "_time": "2026-11-24T10:00:00Z", "end_time": "E"}
	for in, want := range map[string]string{
		`{"id":"own","a":1}`:            `{"_time":"2026-11-24T10:00:00Z","a":1,"end_time":"E","id":"own"}`,
		`{"a":[{"id":"nested"}]}`:       `{"_time":"2026-11-24T10:00:00Z","a":[{"id":"nested"}],"end_time":"E","id":"X"}`,
		`{}`:                            `{"_time":"2026-11-24T10:00:00Z","end_time":"E","id":"X"}`,
		`{"end_time":null,"\u0069d":2}`: `{"_time":"2026-11-24T10:00:00Z","end_time":null,"id":2}`,
	} {
		for _, got := range []func() (json.RawMessage, error){
			func() (json.RawMessage, error) { return enrichKeep([]byte(in), fields) },
			func() (json.RawMessage, error) { return enrichSlow([]byte(in), fields, true) },
		} {
			out, err := got()
			if err != nil {
				t.Fatalf("%s: %v", in, err)
			}
			var g any
			if err := json.Unmarshal(out, &g); err != nil {
				t.Fatalf("%s: invalid output %s", in, out)
			}
			if b, _ := json.Marshal(g); string(b) != want {
				t.Errorf("%s:\n got %s\nwant %s", in, b, want)
			}
		}
	}
}
