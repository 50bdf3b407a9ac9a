package fakeopenai

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// auditTypes are the audit log types the generator draws from.
var auditTypes = []string{
	"api_key.created", "api_key.updated", "api_key.deleted",
	"login.succeeded", "login.failed", "logout.succeeded", "logout.failed",
	"invite.sent", "invite.accepted", "invite.deleted",
	"project.created", "project.updated", "project.archived",
	"service_account.created", "service_account.updated", "service_account.deleted",
	"user.added", "user.updated", "user.deleted",
	"organization.updated", "rate_limit.updated", "rate_limit.deleted",
}

var projects = []struct{ ID, Name string }{
	{"proj_abc123DefaultProject", "Default project"},
	{"proj_Xy7sSecOpsAutomation", "SecOps automation"},
	{"proj_Qm2pCustomerSupport", "Customer support bot"},
	{"proj_Lk9wDataScience", "Data science"},
}

type auditList struct {
	Object  string            `json:"object"`
	Data    []json.RawMessage `json:"data"`
	FirstID *string           `json:"first_id"`
	LastID  *string           `json:"last_id"`
	HasMore bool              `json:"has_more"`
}

// auditLogs serves GET /v1/organization/audit_logs: newest first, `after`
// paging toward older entries, `before` toward newer ones.
func (s *Server) auditLogs(w http.ResponseWriter, r *http.Request) {
	g := s.gen
	q, rerr := parseAuditQuery(g, r.URL.Query())
	if rerr != nil {
		rerr.write(w)
		return
	}
	var picked []int
	var hasMore bool
	switch {
	case q.before != "":
		p := g.auditPos(q.before)
		if p < 0 {
			invalidRequest("before", "", "Invalid 'before': no audit log with id %q.", q.before).write(w)
			return
		}
		picked, hasMore = q.pageBefore(g, p)
	default:
		from := q.lo
		if q.after != "" {
			p := g.auditPos(q.after)
			if p < 0 {
				invalidRequest("after", "", "Invalid 'after': no audit log with id %q.", q.after).write(w)
				return
			}
			from = max(from, p+1)
		}
		picked, hasMore = q.pageFrom(g, from)
	}
	res := auditList{Object: "list", Data: []json.RawMessage{}, HasMore: hasMore}
	for _, p := range picked {
		res.Data = append(res.Data, g.auditEntry(p))
	}
	if len(picked) > 0 {
		first, last := g.auditID(picked[0]), g.auditID(picked[len(picked)-1])
		res.FirstID, res.LastID = &first, &last
	}
	writeJSON(w, http.StatusOK, res)
}

// auditQuery is a checked audit logs request: positions [lo, hi) are the
// entries inside its effective_at bounds (the list is newest first).
type auditQuery struct {
	limit             int
	lo, hi            int
	types, projectIDs map[string]bool
	after, before     string
}

// parseAuditQuery checks the query as the API does.
func parseAuditQuery(g *generator, v url.Values) (auditQuery, *reqError) {
	q := auditQuery{limit: 20, lo: 0, hi: len(g.auditAt), after: v.Get("after"), before: v.Get("before")}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100 {
			return q, invalidRequest("limit", "", "Invalid 'limit': integer between 1 and 100 expected, got %q.", s)
		}
		q.limit = n
	}
	for _, op := range []string{"gt", "gte", "lt", "lte"} {
		s, ok := firstOf(v, "effective_at["+op+"]")
		if !ok {
			continue
		}
		t, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return q, invalidRequest("effective_at["+op+"]", "", "Invalid 'effective_at[%s]': Unix timestamp in seconds expected, got %q.", op, s)
		}
		off := t - g.start
		search := func(f func(at int64) bool) int {
			return sort.Search(len(g.auditAt), func(i int) bool { return f(int64(g.auditAt[i])) })
		}
		switch op {
		case "gt": // keep at > off: positions before the first at <= off
			q.hi = min(q.hi, search(func(at int64) bool { return at <= off }))
		case "gte":
			q.hi = min(q.hi, search(func(at int64) bool { return at < off }))
		case "lt": // keep at < off: positions from the first at < off
			q.lo = max(q.lo, search(func(at int64) bool { return at < off }))
		case "lte":
			q.lo = max(q.lo, search(func(at int64) bool { return at <= off }))
		}
	}
	q.types = setOf(v, "event_types")
	for t := range q.types {
		if !knownAuditType(t) {
			return q, invalidRequest("event_types", "", "Invalid 'event_types': unknown audit log type %q.", t)
		}
	}
	q.projectIDs = setOf(v, "project_ids")
	if q.after != "" && q.before != "" {
		return q, invalidRequest("after", "", "Only one of 'after' and 'before' may be given.")
	}
	return q, nil
}

// match reports whether the entry at position p passes the filters.
func (q auditQuery) match(g *generator, p int) bool {
	h := g.h(p2k(g, p), 0xa7)
	if len(q.types) > 0 && !q.types[pick(auditTypes, h)] {
		return false
	}
	return len(q.projectIDs) == 0 || q.projectIDs[pick(projects, h>>9).ID]
}

// pageFrom is up to limit matching positions from i on, and whether more
// follow.
func (q auditQuery) pageFrom(g *generator, i int) (picked []int, more bool) {
	for ; i < q.hi && len(picked) < q.limit; i++ {
		if q.match(g, i) {
			picked = append(picked, i)
		}
	}
	for ; i < q.hi; i++ {
		if q.match(g, i) {
			return picked, true
		}
	}
	return picked, false
}

// pageBefore is up to limit matching positions just before p (newer), in
// list order, and whether more precede them.
func (q auditQuery) pageBefore(g *generator, p int) (picked []int, more bool) {
	i := min(p, q.hi) - 1
	for ; i >= q.lo && len(picked) < q.limit; i-- {
		if q.match(g, i) {
			picked = append(picked, i)
		}
	}
	for ; i >= q.lo; i-- {
		if q.match(g, i) {
			more = true
			break
		}
	}
	slices.Reverse(picked)
	return picked, more
}

func p2k(g *generator, p int) int { return len(g.auditAt) - 1 - p }

// firstOf reads a query value; name is also accepted without its brackets'
// URL escaping, as clients differ.
func firstOf(q url.Values, name string) (string, bool) {
	v, ok := q[name]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

// setOf collects name[] (the SDK's bracket style) and plain name values.
func setOf(q url.Values, name string) map[string]bool {
	out := map[string]bool{}
	for _, k := range []string{name + "[]", name} {
		for _, v := range q[k] {
			out[v] = true
		}
	}
	return out
}

type auditUser struct {
	ID    string `json:"id"`
	Email string `json:"email"`
}

// projectScoped reports whether events of typ carry a project: the
// description's "absent for actions not scoped to projects" (sign-ins,
// invitations and the organization's own settings are the organization's).
func projectScoped(typ string) bool {
	switch kind, _, _ := strings.Cut(typ, "."); kind {
	case "login", "logout", "invite", "organization":
		return false
	}
	return true
}

// auditEntry renders the entry at list position p.
func (g *generator) auditEntry(p int) json.RawMessage {
	k := p2k(g, p)
	h := g.h(k, 0xa7)
	typ := pick(auditTypes, h)
	proj := pick(projects, h>>9)
	email := pick(users, h>>13)
	user := auditUser{ID: fmt.Sprintf("user-%012x", mix(h^11)&0xffffffffffff), Email: email}
	var actor map[string]any
	if h>>17%3 == 0 {
		key := map[string]any{"id": fmt.Sprintf("key_%016x", mix(h^12)), "type": "user", "user": user}
		if h>>19%2 == 0 {
			key = map[string]any{"id": fmt.Sprintf("key_%016x", mix(h^12)), "type": "service_account",
				"service_account": map[string]string{"id": fmt.Sprintf("svc_acct_%012x", mix(h^13)&0xffffffffffff)}}
		}
		actor = map[string]any{"type": "api_key", "api_key": key}
	} else {
		actor = map[string]any{"type": "session", "session": map[string]any{
			"user":       user,
			"ip_address": fmt.Sprintf("198.51.100.%d", h>>21%250+1),
			"user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36",
			"ip_address_details": map[string]string{
				"country": pick([]string{"US", "FR", "DE", "GB"}, h>>23), "city": pick([]string{"Austin", "Paris", "Berlin", "London"}, h>>23),
			},
		}}
	}
	target := func(prefix string) string { return fmt.Sprintf("%s%012x", prefix, mix(h^14)&0xffffffffffff) }
	var payload map[string]any
	switch typ {
	case "api_key.created":
		payload = map[string]any{"id": target("key_"), "data": map[string]any{"scopes": []string{"/v1/*"}}}
	case "api_key.updated":
		payload = map[string]any{"id": target("key_"), "changes_requested": map[string]any{"scopes": []string{"/v1/models", "/v1/chat/completions"}}}
	case "login.failed", "logout.failed":
		payload = map[string]any{"error_code": "invalid_credentials", "error_message": "The password is incorrect."}
	case "login.succeeded", "logout.succeeded":
		payload = map[string]any{}
	case "invite.sent":
		payload = map[string]any{"id": target("invite-"), "data": map[string]any{"email": pick(users, h>>25), "role": "member"}}
	// As OpenAI's description has them: what was created or added is in
	// `data`, what an update asked for in `changes_requested`; a role is
	// owner or member.
	case "project.created":
		payload = map[string]any{"id": proj.ID, "data": map[string]any{"name": proj.Name, "title": proj.Name}}
	case "project.updated":
		payload = map[string]any{"id": proj.ID, "changes_requested": map[string]any{"title": proj.Name}}
	case "user.added":
		payload = map[string]any{"id": user.ID, "data": map[string]any{"role": pick([]string{"owner", "member"}, h>>25)}}
	case "user.updated":
		payload = map[string]any{"id": user.ID, "changes_requested": map[string]any{"role": pick([]string{"owner", "member"}, h>>25)}}
	case "organization.updated":
		payload = map[string]any{"id": "org-fakeOrg123", "changes_requested": map[string]any{"title": "Acme", "threads_ui_visibility": "NONE"}}
	case "rate_limit.updated":
		payload = map[string]any{"id": target("rl-"), "changes_requested": map[string]any{"max_requests_per_1_minute": 500}}
	// The id of the thing the event is about: a project's, a user's, a
	// service account's, an API key's tracking id.
	case "project.archived", "project.deleted":
		payload = map[string]any{"id": proj.ID}
	case "user.deleted":
		payload = map[string]any{"id": user.ID}
	case "service_account.created":
		payload = map[string]any{"id": target("svc_acct_"), "data": map[string]any{"role": pick([]string{"owner", "member"}, h>>25)}}
	case "service_account.updated":
		payload = map[string]any{"id": target("svc_acct_"), "changes_requested": map[string]any{"role": pick([]string{"owner", "member"}, h>>25)}}
	case "service_account.deleted":
		payload = map[string]any{"id": target("svc_acct_")}
	case "api_key.deleted":
		payload = map[string]any{"id": target("key_")}
	case "invite.accepted", "invite.deleted":
		payload = map[string]any{"id": target("invite-")}
	case "rate_limit.deleted":
		payload = map[string]any{"id": target("rl-")}
	default:
		payload = map[string]any{"id": target("obj_")}
	}
	entry := map[string]any{
		"id":           g.auditID(p),
		"type":         typ,
		"effective_at": g.start + int64(g.auditAt[p]),
		"actor":        actor,
		typ:            payload,
	}
	if projectScoped(typ) {
		entry["project"] = map[string]string{"id": proj.ID, "name": proj.Name}
	}
	b, _ := json.Marshal(entry)
	return b
}
