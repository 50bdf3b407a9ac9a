package fakeopenai

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var evNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func startEvents(t *testing.T, audit, compliance int) (*Server, string) {
	t.Helper()
	s := New(Config{AuditEvents: audit, ComplianceEvents: compliance, Seed: 42, Now: func() time.Time { return evNow }})
	u, err := s.Start("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s, u
}

func get(t *testing.T, rawURL, key string, into any) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, rawURL, nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	res.Body = io.NopCloser(bytes.NewReader(body))
	if into != nil && res.StatusCode == 200 {
		if err := json.Unmarshal(body, into); err != nil {
			t.Fatalf("%s: %v", body, err)
		}
	}
	return res
}

type auditEntry struct {
	ID          string `json:"id"`
	Type        string `json:"type"`
	EffectiveAt int64  `json:"effective_at"`
}

type auditPage struct {
	Object  string       `json:"object"`
	Data    []auditEntry `json:"data"`
	FirstID string       `json:"first_id"`
	LastID  string       `json:"last_id"`
	HasMore bool         `json:"has_more"`
}

func TestAuditLogsPaging(t *testing.T) {
	s, u := startEvents(t, 1000, 0)
	seen := map[string]bool{}
	after, prev := "", auditEntry{EffectiveAt: 1 << 62, ID: "~"}
	shared := 0
	types := map[string]bool{}
	for {
		q := "limit=37"
		if after != "" {
			q += "&after=" + after
		}
		var p auditPage
		if res := get(t, u+"/v1/organization/audit_logs?"+q, DefaultAdminKey, &p); res.StatusCode != 200 {
			t.Fatalf("status %d", res.StatusCode)
		}
		for _, e := range p.Data {
			if e.EffectiveAt > prev.EffectiveAt || (e.EffectiveAt == prev.EffectiveAt && e.ID >= prev.ID) {
				t.Fatalf("not newest first: %v after %v", e, prev)
			}
			if e.EffectiveAt == prev.EffectiveAt {
				shared++
			}
			if e.EffectiveAt <= evNow.Unix()-day || e.EffectiveAt >= evNow.Unix() {
				t.Fatalf("outside the day: %v", e)
			}
			seen[e.ID], prev = true, e
			types[e.Type] = true
		}
		if !p.HasMore {
			break
		}
		after = p.LastID
	}
	if len(seen) != 1000 || shared < 50 || len(types) < 15 {
		t.Errorf("%d entries, %d sharing a second, %d types", len(seen), shared, len(types))
	}
	for _, id := range s.AuditEventIDs() {
		if !seen[id] {
			t.Fatalf("seeded %s never listed", id)
		}
	}
	// Bounds and filters.
	mid := evNow.Unix() - day/2
	var p auditPage
	get(t, fmt.Sprintf("%s/v1/organization/audit_logs?limit=100&effective_at[gte]=%d&effective_at[lt]=%d&event_types[]=login.failed", u, mid, mid+3600), DefaultAdminKey, &p)
	for _, e := range p.Data {
		if e.EffectiveAt < mid || e.EffectiveAt >= mid+3600 || e.Type != "login.failed" {
			t.Errorf("filter broken: %v", e)
		}
	}
	// before pages back toward newer entries.
	var first, back auditPage
	get(t, u+"/v1/organization/audit_logs?limit=10", DefaultAdminKey, &first)
	get(t, u+"/v1/organization/audit_logs?limit=5&before="+first.Data[7].ID, DefaultAdminKey, &back)
	if len(back.Data) != 5 || back.Data[0].ID != first.Data[2].ID || !back.HasMore {
		t.Errorf("before: %+v", back)
	}
	for _, bad := range []string{"limit=0", "limit=101", "limit=x", "effective_at[gt]=soon", "after=audit_log-nope"} {
		res := get(t, u+"/v1/organization/audit_logs?"+bad, DefaultAdminKey, nil)
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != 400 || !strings.Contains(string(body), `"invalid_request_error"`) {
			t.Errorf("%s: %d %s", bad, res.StatusCode, body)
		}
	}
	if res := get(t, u+"/v1/organization/audit_logs", DefaultComplianceKey, nil); res.StatusCode != 401 {
		t.Errorf("wrong key: %d", res.StatusCode)
	}
}

type listing struct {
	Data []struct {
		ID, EventType, EndTime, FileName, FileSHA256 string
		FileSize                                     int64
	} `json:"data"`
	HasMore     bool    `json:"has_more"`
	LastEndTime *string `json:"last_end_time"`
}

func (l *listing) UnmarshalJSON(b []byte) error {
	var raw struct {
		Data []struct {
			ID         string `json:"id"`
			EventType  string `json:"event_type"`
			EndTime    string `json:"end_time"`
			FileName   string `json:"file_name"`
			FileSize   int64  `json:"file_size"`
			FileSHA256 string `json:"file_sha256"`
		} `json:"data"`
		HasMore     bool    `json:"has_more"`
		LastEndTime *string `json:"last_end_time"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	l.HasMore, l.LastEndTime = raw.HasMore, raw.LastEndTime
	for _, d := range raw.Data {
		l.Data = append(l.Data, struct {
			ID, EventType, EndTime, FileName, FileSHA256 string
			FileSize                                     int64
		}{d.ID, d.EventType, d.EndTime, d.FileName, d.FileSHA256, d.FileSize})
	}
	return nil
}

func TestComplianceLogsAndFiles(t *testing.T) {
	s, u := startEvents(t, 0, 3000)
	base := u + "/v1/compliance/workspaces/" + DefaultWorkspaceID + "/logs"
	q := url.Values{"after": {evNow.Add(-48 * time.Hour).Format(time.RFC3339)}, "limit": {"30"}}
	for _, typ := range complianceTypes {
		q.Add("event_type", typ)
	}
	records := map[string]int{}
	ends := map[string]int{}
	types := map[string]bool{}
	formats := map[string]bool{}
	seenFiles := map[string]bool{}
	files, splits, pageEnd := 0, 0, ""
	for {
		var l listing
		if res := get(t, base+"?"+q.Encode(), DefaultComplianceKey, &l); res.StatusCode != 200 {
			t.Fatalf("list: %d", res.StatusCode)
		}
		prevEnd := ""
		for _, f := range l.Data {
			if f.EndTime < prevEnd {
				t.Fatalf("not ascending: %s after %s", f.EndTime, prevEnd)
			}
			prevEnd = f.EndTime
			if seenFiles[f.ID] {
				continue // listed again: this client pages as the plugin does
			}
			seenFiles[f.ID] = true
			if f.EndTime == pageEnd {
				splits++ // the page boundary split a group sharing an end_time
			}
			files++
			ends[f.EndTime]++
			res := get(t, base+"/"+f.ID, DefaultComplianceKey, nil)
			loc := res.Header.Get("Location")
			if res.StatusCode != 307 || !strings.Contains(loc, "sig=") {
				t.Fatalf("redirect: %d %q", res.StatusCode, loc)
			}
			if r := get(t, loc, DefaultComplianceKey, nil); r.StatusCode != 400 {
				t.Errorf("blob accepted an Authorization header: %d", r.StatusCode)
			}
			if r := get(t, strings.Replace(loc, "sig=", "sig=0", 1), "", nil); r.StatusCode != 403 {
				t.Errorf("blob accepted a bad signature: %d", r.StatusCode)
			}
			r := get(t, loc, "", nil)
			body, _ := io.ReadAll(r.Body)
			sum := sha256.Sum256(body)
			if r.StatusCode != 200 || hex.EncodeToString(sum[:]) != f.FileSHA256 || int64(len(body)) != f.FileSize {
				t.Fatalf("file %s: %d, checksum or size wrong", f.ID, r.StatusCode)
			}
			switch {
			case bytes.Contains(body, []byte("}{")):
				formats["concat"] = true
			case bytes.Contains(body, []byte("{\n  ")):
				formats["pretty"] = true
			default:
				formats["jsonl"] = true
			}
			dec := json.NewDecoder(bytes.NewReader(body))
			for dec.More() {
				var rec struct {
					EventID   string `json:"event_id"`
					Type      string `json:"type"`
					Timestamp string `json:"timestamp"`
					Actor     struct {
						Type, RedactedID string
					} `json:"actor"`
				}
				if err := dec.Decode(&rec); err != nil {
					t.Fatal(err)
				}
				if rec.Type != f.EventType || rec.EventID == "" || rec.Actor.Type == "" {
					t.Fatalf("record %+v in a %s file", rec, f.EventType)
				}
				if ts, err := time.Parse(time.RFC3339Nano, rec.Timestamp); err != nil || !ts.Before(evNow) || !ts.After(evNow.Add(-day*time.Second-time.Second)) {
					t.Fatalf("timestamp %q", rec.Timestamp)
				}
				records[rec.EventID]++
				types[rec.Type] = true
			}
		}
		if !l.HasMore {
			break
		}
		if len(l.Data) != 30 {
			t.Fatalf("a page with more to come holds %d files, not the limit", len(l.Data))
		}
		// Resume after the page's last end_time but one: `after` is
		// exclusive, and the boundary may have split the last group.
		pageEnd = *l.LastEndTime
		next := pageEnd
		for i := len(l.Data) - 2; i >= 0; i-- {
			if l.Data[i].EndTime != pageEnd {
				next = l.Data[i].EndTime
				break
			}
		}
		q.Set("after", next)
	}
	if splits == 0 {
		t.Error("no page boundary split files sharing an end_time")
	}
	dups, sharedEnds := 0, 0
	for _, n := range records {
		if n > 1 {
			dups++
		}
	}
	for _, n := range ends {
		if n > 1 {
			sharedEnds++
		}
	}
	if len(records) != 3000 || len(types) != 9 || dups == 0 || sharedEnds == 0 || len(formats) != 3 || files != s.ComplianceFiles() {
		t.Errorf("%d unique records, %d types, %d repeated, %d shared end_times, formats %v, %d/%d files",
			len(records), len(types), dups, sharedEnds, formats, files, s.ComplianceFiles())
	}
	ids := s.ComplianceEventIDs()
	if len(ids) != 3000 {
		t.Errorf("%d seeded ids", len(ids))
	}
	for _, id := range ids {
		if records[id] == 0 {
			t.Fatalf("seeded %s never delivered", id)
		}
	}
}

func TestComplianceErrors(t *testing.T) {
	_, u := startEvents(t, 0, 10)
	base := u + "/v1/compliance/workspaces/" + DefaultWorkspaceID + "/logs"
	cases := []struct {
		query, want string
		status      int
	}{
		{"event_type=AUTH_LOG", `"loc":["query","after"]`, 422},
		{"after=2026-11-24T00:00:00Z", `"loc":["query","event_type"]`, 422},
		{"event_type=AUTH_LOG&after=2026-11-24T00:00:00", "datetime", 422},
		{"event_type=NOPE&after=2026-11-24T00:00:00Z", "enum", 422},
		{"event_type=AUTH_LOG&after=2026-11-24T00:00:00Z&limit=101", "less_than_equal", 422},
	}
	for _, tc := range cases {
		res := get(t, base+"?"+tc.query, DefaultComplianceKey, nil)
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != tc.status || !strings.Contains(string(body), tc.want) || !strings.Contains(string(body), `"detail"`) {
			t.Errorf("%s: %d %s", tc.query, res.StatusCode, body)
		}
	}
	if res := get(t, u+"/v1/compliance/workspaces/other/logs?event_type=AUTH_LOG&after=2026-11-24T00:00:00Z", DefaultComplianceKey, nil); res.StatusCode != 404 {
		t.Errorf("unknown workspace: %d", res.StatusCode)
	}
	if res := get(t, base+"/clf_nope", DefaultComplianceKey, nil); res.StatusCode != 404 {
		t.Errorf("unknown file: %d", res.StatusCode)
	}
	if res := get(t, base+"?event_type=AUTH_LOG&after=2026-11-24T00:00:00Z", DefaultAdminKey, nil); res.StatusCode != 401 {
		t.Errorf("admin key on compliance: %d", res.StatusCode)
	}
}

// TestGeneratorScalesAndIsDeterministic: a million events of each kind
// start quickly and small; the same seed gives the same data.
func TestGeneratorScalesAndIsDeterministic(t *testing.T) {
	start := time.Now()
	g := newGenerator(1, DefaultWorkspaceID, evNow, 1_000_000, 1_000_000, 0)
	t.Logf("seeded 2e6 events in %v, %d files", time.Since(start), len(g.files))
	if len(g.auditAt) != 1_000_000 || g.auditPos(g.auditID(123456)) != 123456 {
		t.Error("audit positions")
	}
	a := newGenerator(5, DefaultWorkspaceID, evNow, 100, 100, 0)
	b := newGenerator(5, DefaultWorkspaceID, evNow, 100, 100, 0)
	if fmt.Sprint(a.auditIDs(), a.complianceIDs()) != fmt.Sprint(b.auditIDs(), b.complianceIDs()) || string(a.auditEntry(3)) != string(b.auditEntry(3)) {
		t.Error("same seed, different data")
	}
	c := newGenerator(6, DefaultWorkspaceID, evNow, 100, 100, 0)
	if fmt.Sprint(a.auditIDs()) == fmt.Sprint(c.auditIDs()) {
		t.Error("different seeds, same data")
	}
}

// TestGeneratedAuditTypesAreDocumented: the generator draws only types the
// API documents.
func TestGeneratedAuditTypesAreDocumented(t *testing.T) {
	for _, typ := range auditTypes {
		if !knownAuditType(typ) {
			t.Errorf("generated audit type %q is not documented", typ)
		}
	}
}

// TestAuditPayloadsFollowTheDescription: each generated event's payload has
// the shape OpenAI's description gives its type: the id of what the event
// is about (a project's for project.*, a user's for user.*, ...), and a
// project only on actions scoped to one.
func TestAuditPayloadsFollowTheDescription(t *testing.T) {
	s := New(Config{AuditEvents: 3000, Seed: 3})
	prefix := map[string]string{"project": "proj_", "user": "user-", "service_account": "svc_acct_",
		"api_key": "key_", "invite": "invite-", "rate_limit": "rl-", "organization": "org-"}
	allowed := map[string]bool{"id": true, "data": true, "changes_requested": true, "error_code": true, "error_message": true}
	seen := map[string]bool{}
	for p := range len(s.gen.auditAt) {
		var e map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(s.gen.auditEntry(p), &e))
		var typ string
		require.NoError(t, json.Unmarshal(e["type"], &typ))
		seen[typ] = true
		var payload map[string]any
		require.NoError(t, json.Unmarshal(e[typ], &payload), typ)
		for k := range payload {
			assert.True(t, allowed[k], "%s: payload field %q", typ, k)
		}
		kind, _, _ := strings.Cut(typ, ".")
		if want, ok := prefix[kind]; ok {
			id, _ := payload["id"].(string)
			assert.True(t, strings.HasPrefix(id, want), "%s: payload id %q, want %s…", typ, id, want)
		}
		var project struct{ ID string }
		if raw, ok := e["project"]; ok {
			assert.True(t, projectScoped(typ), "%s carries a project", typ)
			require.NoError(t, json.Unmarshal(raw, &project))
			if kind == "project" {
				assert.Equal(t, project.ID, payload["id"], typ)
			}
		} else {
			assert.False(t, projectScoped(typ), "%s has no project", typ)
		}
	}
	for _, typ := range auditTypes {
		assert.True(t, seen[typ], "no %s generated", typ)
	}
}
