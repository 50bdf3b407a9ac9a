package fakeopenai

import (
	"encoding/json"
	"net/netip"
	"slices"
	"testing"
)

// actionTypes are the record types that describe something a user did to
// the workspace: they carry action, action_result and action_privilege.
var actionTypes = []string{"APP_AUTH_LOG", "AUDIT_LOG", "AUTH_LOG", "CHATGPT_PLUGIN_SPREADSHEET", "CODEX_SECURITY_LOG", "CUSTOM_AGENTS_LOG"}

// conversationTypes carry the conversation_id the record belongs to.
var conversationTypes = []string{"CONVERSATION_MESSAGE", "APP_LOG", "CHATGPT_PLUGIN_SPREADSHEET"}

// TestComplianceRecordsCarryPlatformFields: every record has the fields the
// real platform sends and SIEM modelling rules read (actor with user_id,
// request_metadata with the client's IP and its location, the hostname it
// called), and each type its conversation_id or action triple.
func TestComplianceRecordsCarryPlatformFields(t *testing.T) {
	g := newGenerator(7, DefaultWorkspaceID, evNow, 0, 900, 0)
	seen := map[string]int{}
	userOf := map[string]string{} // user_email -> user_id: one user, one id
	for i := range g.files {
		f := &g.files[i]
		for k := f.first; k < f.first+f.n; k++ {
			raw := g.record(f, k)
			var r struct {
				Type  string `json:"type"`
				Actor struct {
					Type       string `json:"type"`
					UserID     string `json:"user_id"`
					UserEmail  string `json:"user_email"`
					RedactedID string `json:"redacted_id"`
				} `json:"actor"`
				RequestMetadata *struct {
					ClientIP        string `json:"client_ip"`
					ClientUserAgent string `json:"client_user_agent"`
					ClientIPDetails *struct {
						Country   string   `json:"country"`
						City      string   `json:"city"`
						Region    string   `json:"region"`
						Latitude  *float64 `json:"latitude"`
						Longitude *float64 `json:"longitude"`
					} `json:"client_ip_details"`
					DestinationHostname string `json:"destination_hostname"`
				} `json:"request_metadata"`
				ConversationID  string               `json:"conversation_id"`
				Conversation    *struct{ ID string } `json:"conversation"`
				Action          string               `json:"action"`
				ActionResult    string               `json:"action_result"`
				ActionPrivilege string               `json:"action_privilege"`
			}
			if err := json.Unmarshal(raw, &r); err != nil {
				t.Fatalf("%s: %v", raw, err)
			}
			seen[r.Type]++
			a := r.Actor
			if a.Type == "" || a.UserID == "" || a.RedactedID == "" || (a.Type != "API_KEY" && a.UserEmail == "") {
				t.Fatalf("actor incomplete: %s", raw)
			}
			if a.UserEmail != "" {
				if id, ok := userOf[a.UserEmail]; ok && id != a.UserID {
					t.Fatalf("%s has two user ids, %s and %s", a.UserEmail, id, a.UserID)
				}
				userOf[a.UserEmail] = a.UserID
			}
			m := r.RequestMetadata
			if m == nil || m.ClientUserAgent == "" || m.DestinationHostname == "" || m.ClientIPDetails == nil {
				t.Fatalf("request_metadata incomplete: %s", raw)
			}
			if _, err := netip.ParseAddr(m.ClientIP); err != nil {
				t.Fatalf("client_ip %q: %v", m.ClientIP, err)
			}
			d := m.ClientIPDetails
			if d.Country == "" || d.City == "" || d.Region == "" || d.Latitude == nil || d.Longitude == nil {
				t.Fatalf("client_ip_details incomplete: %s", raw)
			}
			if slices.Contains(conversationTypes, r.Type) && r.ConversationID == "" {
				t.Fatalf("%s without conversation_id: %s", r.Type, raw)
			}
			if r.Conversation != nil && r.Conversation.ID != r.ConversationID {
				t.Fatalf("conversation.id and conversation_id differ: %s", raw)
			}
			if slices.Contains(actionTypes, r.Type) && (r.Action == "" || r.ActionResult == "" || r.ActionPrivilege == "") {
				t.Fatalf("%s without action, action_result or action_privilege: %s", r.Type, raw)
			}
		}
	}
	if len(seen) != len(complianceTypes) {
		t.Fatalf("types seen: %v", seen)
	}
}
