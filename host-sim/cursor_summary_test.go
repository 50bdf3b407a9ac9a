package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCursorSummary(t *testing.T) {
	for _, tc := range []struct{ name, cursor, want string }{
		{"none", ``, "no cursor yet"},
		{"audit window", `{"v":1,"from":1764672000,"to":1764675600,"after":"audit_log_42"}`,
			"window 2025-12-02 10:40:00Z → 2025-12-02 11:40:00Z, resumes after audit_log_42"},
		{"audit caught up", `{"v":1,"from":1764675600}`, "caught up to 2025-12-02 11:40:00Z"},
		{"compliance", `{"v":1,"after":"2025-12-02T10:40:00Z","done":{"f1":"x","f2":"y"},"seen":{"a":"` + string(make([]byte, 0)) + `"}}`,
			"files up to 2025-12-02 10:40:00Z settled, 2 newer files done, no file pending"},
		{"compliance mid-file", `{"v":1,"after":"2025-12-02T10:40:00Z","file":"log_7","offset":120}`,
			"files up to 2025-12-02 10:40:00Z settled, 1 file pending (log_7, 120 records in)"},
		{"another shape", `[1,2,3]`, "cursor of 7 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, cursorSummary(json.RawMessage(tc.cursor)))
		})
	}
}
