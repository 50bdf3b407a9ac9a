package fakeopenai

import (
	"encoding/json"
	"fmt"
	"time"
)

// complianceRecord is one line of a compliance log file: the fields every
// record has, then the type-specific ones (empty ones are left out).
type complianceRecord struct {
	EventID     string          `json:"event_id"`
	Type        string          `json:"type"`
	Timestamp   string          `json:"timestamp"`
	WorkspaceID string          `json:"workspace_id"`
	Actor       complianceActor `json:"actor"`
	// RequestMetadata is on every record: the client and where it called from.
	RequestMetadata requestMetadata `json:"request_metadata"`

	Action          string          `json:"action,omitempty"`
	ActionResult    string          `json:"action_result,omitempty"`
	ActionPrivilege string          `json:"action_privilege,omitempty"`
	ActionData      map[string]any  `json:"action_data,omitempty"`
	Conversation    *conversation   `json:"conversation,omitempty"`
	Message         *message        `json:"message,omitempty"`
	AppName         string          `json:"app_name,omitempty"`
	AppID           string          `json:"app_id,omitempty"`
	LogType         string          `json:"log_type,omitempty"`
	ConversationID  string          `json:"conversation_id,omitempty"`
	EventType       string          `json:"event_type,omitempty"`
	Agent           *agent          `json:"agent,omitempty"`
	ClientID        string          `json:"client_id,omitempty"`
	IPAddress       string          `json:"ip_address,omitempty"`
	UserAgent       string          `json:"user_agent,omitempty"`
	Spreadsheet     *spreadsheet    `json:"spreadsheet,omitempty"`
	Finding         *finding        `json:"finding,omitempty"`
	Repository      string          `json:"repository,omitempty"`
	Extra           json.RawMessage `json:"metadata,omitempty"`
}

type complianceActor struct {
	Type       string `json:"type"`
	UserID     string `json:"user_id"`
	UserEmail  string `json:"user_email,omitempty"`
	RedactedID string `json:"redacted_id"`
}

type conversation struct {
	ID   string `json:"id"`
	Mode string `json:"mode"`
}

type message struct {
	ID          string `json:"id"`
	Author      author `json:"author"`
	ContentType string `json:"content_type"`
}

type author struct {
	Type       string `json:"type"`
	ClientType string `json:"client_type"`
}

type agent struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	Name string `json:"name"`
}

type spreadsheet struct {
	FileID   string `json:"file_id"`
	FileName string `json:"file_name"`
}

type finding struct {
	Severity string `json:"severity"`
	Rule     string `json:"rule"`
}

var (
	users        = []string{"alice@example.com", "bob@example.com", "carol@example.org", "dave@example.net", "erin@example.com", "frank@contractor.example"}
	actorTypes   = []string{"ACCOUNT_USER", "ACCOUNT_USER", "ACCOUNT_USER", "API_KEY", "EXTERNAL_COLLABORATION_USER"}
	clientTypes  = []string{"web", "ios", "android", "desktop_macos", "desktop_windows"}
	apps         = []string{"Google Drive", "SharePoint", "GitHub", "Slack", "Box"}
	codexEvents  = []string{"task.created", "task.completed", "task.failed", "pull_request.opened", "environment.created"}
	auditActions = []string{"workspace.settings.updated", "user.role.changed", "gpt.published", "connector.enabled", "sso.configured"}
	authActions  = []string{"login", "logout", "sso_login", "mfa_challenge"}
	severities   = []string{"low", "medium", "high", "critical"}
)

func pick[T any](list []T, h uint64) T { return list[h%uint64(len(list))] }

// record renders unique compliance record k, which belongs to file f.
func (g *generator) record(f *logFile, k int32) []byte {
	h := g.h(int(k), 0x4ec)
	span := int64(f.endAt - f.startAt)
	ts := time.Unix(g.start+int64(f.startAt), 0).Add(time.Duration(int64(h>>8)%(span*1e6)) * time.Microsecond)
	typ := complianceTypes[f.typ]
	r := complianceRecord{
		EventID: g.eventUUID(k), Type: typ, Timestamp: ts.UTC().Format("2006-01-02T15:04:05.000000Z"),
		Actor: complianceActor{Type: pick(actorTypes, h>>3), RedactedID: fmt.Sprintf("user-%010x", h>>20&0xffffffffff)},
	}
	// An API key is attributed to the user who created it; only people
	// acting themselves show their email.
	r.Actor.UserID = userID(pick(users, h>>5))
	if r.Actor.Type != "API_KEY" {
		r.Actor.UserEmail = pick(users, h>>5)
	}
	client := pick(clientTypes, h>>11)
	r.RequestMetadata = metadata(h, r.Actor.Type, client)
	// Types that describe an action on the workspace also say whether it
	// succeeded and with which role (AUDIT_LOG picks its own below).
	result := pick([]string{"success", "success", "success", "failure"}, h>>29)
	privilege := pick([]string{"member", "member", "admin", "owner"}, h>>27)
	id := func(prefix string, salt uint64) string {
		return fmt.Sprintf("%s%012x", prefix, mix(h^salt)&0xffffffffffff)
	}
	switch typ {
	case "CONVERSATION_MESSAGE":
		r.Conversation = &conversation{ID: id("conv_", 1), Mode: pick([]string{"chat", "temporary", "project", "gpt"}, h>>7)}
		r.ConversationID = r.Conversation.ID
		r.Message = &message{ID: id("msg_", 2), Author: author{Type: pick([]string{"user", "assistant", "tool"}, h>>9), ClientType: client}, ContentType: "text"}
	case "APP_LOG":
		r.AppName = pick(apps, h>>7)
		r.AppID = id("app_", 3)
		r.LogType = pick([]string{"tool_call", "search", "file_read"}, h>>9)
		r.ConversationID = id("conv_", 1)
	case "APP_AUTH_LOG":
		r.Action = pick([]string{"connected", "disconnected", "token_refreshed"}, h>>7)
		r.ActionResult, r.ActionPrivilege = result, privilege
		r.AppID = id("app_", 3)
		r.AppName = pick(apps, h>>9)
	case "AUDIT_LOG":
		r.Action = pick(auditActions, h>>7)
		r.ActionResult = pick([]string{"success", "success", "success", "failure"}, h>>9)
		r.ActionPrivilege = pick([]string{"admin", "owner", "member"}, h>>11)
		r.ActionData = map[string]any{"target_id": id("user-", 4), "previous": pick([]string{"member", "admin", "disabled"}, h>>13)}
	case "AUTH_LOG":
		r.Action = pick(authActions, h>>7)
		r.ActionResult = pick([]string{"success", "success", "failure"}, h>>9)
		r.ActionPrivilege = privilege
		// The older top-level fields agree with request_metadata.
		r.IPAddress = r.RequestMetadata.ClientIP
		r.UserAgent = r.RequestMetadata.ClientUserAgent
	case "CODEX_LOG":
		r.EventType = pick(codexEvents, h>>7)
		r.Agent = &agent{Type: "codex", ID: id("agent_", 5), Name: "codex-" + pick([]string{"cloud", "cli", "ide"}, h>>9)}
		r.ClientID = id("client_", 6)
	case "CHATGPT_PLUGIN_SPREADSHEET":
		r.Action = pick([]string{"spreadsheet.opened", "spreadsheet.analyzed", "spreadsheet.exported"}, h>>7)
		r.ActionResult, r.ActionPrivilege = result, privilege
		r.ConversationID = id("conv_", 1)
		r.Spreadsheet = &spreadsheet{FileID: id("file-", 7), FileName: pick([]string{"q3-forecast.xlsx", "headcount.csv", "pipeline.xlsx"}, h>>9)}
	case "CODEX_SECURITY_LOG":
		r.Action = "finding.reported"
		r.ActionResult, r.ActionPrivilege = result, privilege
		r.Finding = &finding{Severity: pick(severities, h>>7), Rule: pick([]string{"hardcoded-secret", "sql-injection", "path-traversal"}, h>>9)}
		r.Repository = pick([]string{"acme/api", "acme/web", "acme/infra"}, h>>11)
	case "CUSTOM_AGENTS_LOG":
		r.Action = pick([]string{"agent.created", "agent.run", "agent.shared"}, h>>7)
		r.ActionResult, r.ActionPrivilege = result, privilege
		r.Agent = &agent{Type: "custom_agent", ID: id("g-", 8), Name: pick([]string{"Contract Reviewer", "HR Helper", "Triage Bot"}, h>>9)}
	}
	r.WorkspaceID = g.workspace
	b, _ := json.Marshal(r)
	return b
}
