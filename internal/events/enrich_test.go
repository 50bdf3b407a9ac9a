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
		want, _ := enrichSlow([]byte(in), fields)
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
