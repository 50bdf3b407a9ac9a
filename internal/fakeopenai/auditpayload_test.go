package fakeopenai

import (
	"encoding/json"
	"testing"
)

// TestAuditUpdatePayloads: as OpenAI's description writes them, *.created
// and *.added events carry `data`, *.updated events `changes_requested`
// (never `data`), and a user's role is owner or member.
func TestAuditUpdatePayloads(t *testing.T) {
	g := newGenerator(3, DefaultWorkspaceID, evNow, 3000, 0, 0)
	seen := map[string]bool{}
	for p := range g.auditAt {
		var e map[string]json.RawMessage
		if err := json.Unmarshal(g.auditEntry(p), &e); err != nil {
			t.Fatal(err)
		}
		var typ string
		_ = json.Unmarshal(e["type"], &typ)
		var payload map[string]map[string]any
		_ = json.Unmarshal(e[typ], &payload)
		switch typ {
		case "project.updated", "user.updated":
			seen[typ] = true
			if _, ok := payload["data"]; ok || payload["changes_requested"] == nil {
				t.Fatalf("%s: want changes_requested, not data: %s", typ, e[typ])
			}
		case "user.added":
			seen[typ] = true
			if r := payload["data"]["role"]; r != "owner" && r != "member" {
				t.Fatalf("user.added with role %v", r)
			}
		}
		if typ == "user.updated" {
			if r := payload["changes_requested"]["role"]; r != "owner" && r != "member" {
				t.Fatalf("user.updated with role %v", r)
			}
		}
	}
	if len(seen) != 3 {
		t.Fatalf("types seen: %v", seen)
	}
}
