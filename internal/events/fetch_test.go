package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
)

// testNow is the fixed clock of the fake and the collectors.
var testNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return testNow }

func startFake(t testing.TB, fc fakeopenai.Config) (*fakeopenai.Server, Config) {
	t.Helper()
	if fc.Now == nil {
		fc.Now = clock
	}
	srv := fakeopenai.New(fc)
	url, err := srv.Start("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	c := srv.Config()
	return srv, Config{
		OpenAIBaseURL: url + "/v1/", AdminAPIKey: c.AdminKey,
		ChatGPTBaseURL: url + "/v1/", ComplianceAPIKey: c.ComplianceKey, WorkspaceID: c.WorkspaceID,
		EventTypes: Labels(), Now: clock,
	}
}

// hostSim plays the host: it stores a batch's events and cursor together,
// or nothing when the push fails.
type hostSim struct {
	mu      sync.Mutex
	cursors Cursors
	stored  map[string]map[string]int // stream -> id -> times stored
	pushes  int
	// failEvery makes every failEvery-th push fail (a crash mid-cycle).
	failEvery int
	datasets  map[string]string // stream -> dataset seen
}

func newHostSim() *hostSim {
	return &hostSim{cursors: Cursors{}, stored: map[string]map[string]int{}, datasets: map[string]string{}}
}

func (h *hostSim) Push(_ context.Context, b Batch) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.pushes++
	if h.failEvery > 0 && h.pushes%h.failEvery == 0 {
		return errors.New("host crashed")
	}
	if h.stored[b.Stream] == nil {
		h.stored[b.Stream] = map[string]int{}
	}
	for _, e := range b.Events {
		var v struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(e, &v); err != nil || v.ID == "" {
			return fmt.Errorf("event without id: %s", e)
		}
		h.stored[b.Stream][v.ID]++
	}
	h.datasets[b.Stream] = b.Dataset
	h.cursors[b.Stream] = append(json.RawMessage(nil), b.Cursor...)
	return nil
}

func (h *hostSim) lastRun() Cursors {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := Cursors{}
	for k, v := range h.cursors {
		out[k] = v
	}
	return out
}

// drain runs fetch cycles from the host's cursors until a cycle brings
// nothing new and fails nowhere, as the host's schedule would.
func drain(t *testing.T, cfg Config, host *hostSim, cycleTimeout time.Duration) (errs []error) {
	t.Helper()
	for cycle := 0; cycle < 400; cycle++ {
		ctx, cancel := context.WithTimeout(context.Background(), cycleTimeout)
		res := Fetch(ctx, cfg, host.lastRun(), host)
		cancel()
		idle := true
		for _, r := range res {
			if r.Err != nil {
				errs = append(errs, r.Err)
				idle = false
			}
			if r.Count > 0 {
				idle = false
			}
		}
		if idle {
			return errs
		}
	}
	t.Fatal("fetch never drained")
	return nil
}

func assertExactly(t *testing.T, host *hostSim, stream string, want []string) {
	t.Helper()
	got := host.stored[stream]
	if len(got) != len(want) {
		t.Errorf("%s: stored %d unique ids, seeded %d", stream, len(got), len(want))
	}
	for _, id := range want {
		if got[id] != 1 {
			t.Errorf("%s: id %s stored %d times", stream, id, got[id])
			return
		}
	}
}

// TestFetchExactlyOnce is the collectors' contract: whatever fails and
// whenever the host crashes, cycles from the acknowledged cursors end up
// storing every seeded event exactly once.
func TestFetchExactlyOnce(t *testing.T) {
	const n = 1200
	cases := []struct {
		name         string
		script       func(s *fakeopenai.Server)
		failEvery    int
		cycleTimeout time.Duration
	}{
		{name: "clean"},
		{name: "429 with Retry-After", script: func(s *fakeopenai.Server) {
			s.Script("audit_logs", fakeopenai.Fault{}, fakeopenai.Fault{Status: 429, RetryAfter: "0.2"})
			s.Script("compliance.logs", fakeopenai.Fault{Status: 429, RetryAfter: "0.2"})
			s.Script("compliance.file", fakeopenai.Fault{}, fakeopenai.Fault{Status: 429, RetryAfter: "0.1"})
			s.Script("blob", fakeopenai.Fault{}, fakeopenai.Fault{}, fakeopenai.Fault{Status: 429, RetryAfter: "0.1"})
		}},
		{name: "500 mid-pagination beyond retries", script: func(s *fakeopenai.Server) {
			f := fakeopenai.Fault{Status: 500, RetryAfter: "0.01"}
			s.Script("audit_logs", fakeopenai.Fault{}, fakeopenai.Fault{}, f, f, f, f, f)
			s.Script("compliance.logs", fakeopenai.Fault{}, f, f, f, f, f)
			s.Script("compliance.file", fakeopenai.Fault{}, fakeopenai.Fault{}, fakeopenai.Fault{}, f, f, f, f, f)
		}},
		{name: "truncated bodies", script: func(s *fakeopenai.Server) {
			cut := fakeopenai.Fault{Truncate: true}
			s.Script("audit_logs", fakeopenai.Fault{}, cut, fakeopenai.Fault{}, cut, cut, cut)
			s.Script("compliance.logs", cut)
			// Files download several at once and each takes whichever
			// fault comes next: 13 cuts in a row exhaust one file's 4
			// attempts however the downloadsAhead files share them.
			s.Script("blob", append([]fakeopenai.Fault{{}, cut, {}}, slices.Repeat([]fakeopenai.Fault{cut}, 13)...)...)
		}},
		{name: "slow page past the deadline", cycleTimeout: 1500 * time.Millisecond, script: func(s *fakeopenai.Server) {
			slow := fakeopenai.Fault{Delay: time.Minute}
			s.Script("audit_logs", fakeopenai.Fault{}, slow)
			s.Script("blob", fakeopenai.Fault{}, fakeopenai.Fault{}, slow)
		}},
		{name: "401 on audit only", script: func(s *fakeopenai.Server) {
			s.Script("audit_logs", fakeopenai.Fault{Status: 401, Message: "Incorrect API key provided"})
		}},
		{name: "host crashes every 3rd push", failEvery: 3},
		{name: "host crashes every 7th push, with faults", failEvery: 7, script: func(s *fakeopenai.Server) {
			s.Script("audit_logs", fakeopenai.Fault{}, fakeopenai.Fault{Truncate: true})
			s.Script("blob", fakeopenai.Fault{Truncate: true})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, cfg := startFake(t, fakeopenai.Config{AuditEvents: n, ComplianceEvents: n, Seed: 7})
			cfg.AuditMaxFetch, cfg.ComplianceMaxFetch = 350, 300
			if tc.script != nil {
				tc.script(srv)
			}
			host := newHostSim()
			host.failEvery = tc.failEvery
			timeout := tc.cycleTimeout
			if timeout == 0 {
				timeout = 20 * time.Second
			}
			errs := drain(t, cfg, host, timeout)
			t.Logf("%d failed stream cycles, %d pushes; first: %v", len(errs), host.pushes, errors.Join(errs...))
			if tc.script != nil || tc.failEvery > 0 {
				if len(errs) == 0 && !strings.HasPrefix(tc.name, "429") {
					t.Errorf("expected at least one failed cycle")
				}
			} else if len(errs) > 0 {
				t.Errorf("clean run failed: %v", errs)
			}
			for _, err := range errs {
				for _, key := range []string{cfg.AdminAPIKey, cfg.ComplianceAPIKey} {
					if strings.Contains(err.Error(), key) {
						t.Errorf("error shows a key: %v", err)
					}
				}
			}
			assertExactly(t, host, StreamAudit, srv.AuditEventIDs())
			assertExactly(t, host, StreamCompliance, srv.ComplianceEventIDs())
			if host.datasets[StreamAudit] != DatasetAudit || host.datasets[StreamCompliance] != DatasetCompliance {
				t.Errorf("datasets: %v", host.datasets)
			}
		})
	}
}

// TestComplianceRepeatsFarApart: at 50,000 records the files of one type
// are thousands of records apart in the listing (the other types come in
// between), and the repeats the platform delivers at a file's start must
// still be dropped. A single window over all types let three through.
func TestComplianceRepeatsFarApart(t *testing.T) {
	srv, cfg := startFake(t, fakeopenai.Config{ComplianceEvents: 50_000, Seed: 1})
	cfg.ComplianceMaxFetch = 20_000 // three cycles: the rings travel in the cursor
	host := newHostSim()
	if errs := drain(t, cfg, host, time.Minute); len(errs) > 0 {
		t.Fatal(errors.Join(errs...))
	}
	assertExactly(t, host, StreamCompliance, srv.ComplianceEventIDs())
}

// TestFetchOneStreamFailsAlone: a 401 on the audit stream leaves the
// compliance stream's cycle whole, and the error names the parameter.
func TestFetchOneStreamFailsAlone(t *testing.T) {
	srv, cfg := startFake(t, fakeopenai.Config{AuditEvents: 50, ComplianceEvents: 50, Seed: 1})
	cfg.AdminAPIKey = "sk-admin-wrong-key-000000"
	host := newHostSim()
	res := Fetch(context.Background(), cfg, Cursors{}, host)
	if len(res) != 2 {
		t.Fatalf("results: %+v", res)
	}
	byStream := map[string]StreamResult{}
	for _, r := range res {
		byStream[r.Stream] = r
	}
	a, c := byStream[StreamAudit], byStream[StreamCompliance]
	if a.Err == nil || !strings.Contains(a.Err.Error(), "401") || !strings.Contains(a.Err.Error(), "admin_api_key") {
		t.Errorf("audit error = %v, want a 401 naming admin_api_key", a.Err)
	}
	if strings.Contains(a.Err.Error(), cfg.AdminAPIKey) {
		t.Errorf("audit error shows the key: %v", a.Err)
	}
	if a.Count != 0 || a.Cursor != nil {
		t.Errorf("audit pushed %d, cursor %s", a.Count, a.Cursor)
	}
	if c.Err != nil || c.Count != 50 {
		t.Errorf("compliance: %d events, err %v", c.Count, c.Err)
	}
	assertExactly(t, host, StreamCompliance, srv.ComplianceEventIDs())
}

// TestFetchOnlySelectedStreams runs the compliance stream alone, for the
// selected types only.
func TestFetchOnlySelectedStreams(t *testing.T) {
	srv, cfg := startFake(t, fakeopenai.Config{AuditEvents: 30, ComplianceEvents: 90, Seed: 3})
	cfg.EventTypes = []string{"Auth", "Codex"}
	host := newHostSim()
	res := Fetch(context.Background(), cfg, Cursors{}, host)
	if len(res) != 1 || res[0].Stream != StreamCompliance || res[0].Err != nil {
		t.Fatalf("results: %+v", res)
	}
	if res[0].Count != 20 { // 90 records over 9 types
		t.Errorf("count = %d, want 20", res[0].Count)
	}
	for _, r := range srv.Requests("/v1/compliance/") {
		if strings.HasSuffix(r.Path, "/logs") && (!strings.Contains(r.Query, "event_type=AUTH_LOG") || !strings.Contains(r.Query, "event_type=CODEX_LOG") || strings.Contains(r.Query, "APP_LOG")) {
			t.Errorf("listing query %q", r.Query)
		}
	}
	if len(host.stored[StreamAudit]) != 0 {
		t.Error("audit fetched although not selected")
	}
}

// TestGetNeverTouchesCursors: openai-get-events takes limit events per
// stream, from start, and leaves the saved cursors alone.
func TestGetNeverTouchesCursors(t *testing.T) {
	srv, cfg := startFake(t, fakeopenai.Config{AuditEvents: 300, ComplianceEvents: 300, Seed: 5})
	got, res := Get(context.Background(), cfg, GetOptions{Limit: 7})
	if len(got) != 14 {
		t.Errorf("got %d events, want 7 per stream", len(got))
	}
	for _, r := range res {
		if r.Err != nil || r.Count != 7 || r.Cursor != nil {
			t.Errorf("%+v", r)
		}
	}
	// A start time after every seeded event brings nothing.
	got, _ = Get(context.Background(), cfg, GetOptions{Limit: 7, Start: testNow.Add(-time.Second), EventTypes: []string{AuditLabel}})
	if len(got) != 0 {
		t.Errorf("got %d audit events after the last one", len(got))
	}
	// Only audit asked: no compliance request.
	before := len(srv.Requests("/v1/compliance/"))
	Get(context.Background(), cfg, GetOptions{Limit: 1, EventTypes: []string{AuditLabel}})
	if after := len(srv.Requests("/v1/compliance/")); after != before {
		t.Errorf("compliance called for an audit-only get")
	}
	// And a fetch after the gets still starts from scratch and gets all.
	host := newHostSim()
	drain(t, cfg, host, 20*time.Second)
	assertExactly(t, host, StreamAudit, srv.AuditEventIDs())
	assertExactly(t, host, StreamCompliance, srv.ComplianceEventIDs())
}

// TestEnrichment checks the fields SPEC "Event types" adds.
func TestEnrichment(t *testing.T) {
	_, cfg := startFake(t, fakeopenai.Config{AuditEvents: 40, ComplianceEvents: 400, Seed: 9})
	got, res := Get(context.Background(), cfg, GetOptions{Limit: 1000})
	for _, r := range res {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	types := map[string]string{}
	for _, raw := range got {
		var e map[string]any
		if err := json.Unmarshal(raw, &e); err != nil {
			t.Fatal(err)
		}
		ts, err := time.Parse(time.RFC3339Nano, fmt.Sprint(e["_time"]))
		if err != nil || ts.Location() != time.UTC || ts.Before(testNow.Add(-lookBack)) || !ts.Before(testNow) {
			t.Errorf("_time %v: %v", e["_time"], err)
		}
		slt, et := fmt.Sprint(e["source_log_type"]), e["_event_type"]
		if slt == "openai_audit_logs" {
			if et != "" || !strings.HasPrefix(fmt.Sprint(e["id"]), "audit_log-") || e["workspace_id"] != nil {
				t.Errorf("audit event %v", e)
			}
			continue
		}
		types[fmt.Sprint(et)] = slt
		if e["id"] != e["event_id"] || e["workspace_id"] != cfg.WorkspaceID || e["type"] != et {
			t.Errorf("compliance event %v", e)
		}
	}
	want := map[string]string{}
	for _, ct := range complianceTypes {
		want[ct.APIType] = ct.SourceLogType
	}
	if fmt.Sprint(types) != fmt.Sprint(want) {
		t.Errorf("types seen %v, want %v", types, want)
	}
}

func TestCheckCredentials(t *testing.T) {
	full := Config{AdminAPIKey: "a", ComplianceAPIKey: "c", WorkspaceID: "w"}
	cases := []struct {
		name   string
		labels []string
		edit   func(*Config)
		want   []string // substrings; none means no error
		absent []string
	}{
		{"all set", Labels(), nil, nil, nil},
		{"audit without admin key", []string{AuditLabel}, func(c *Config) { c.AdminAPIKey = "" }, []string{"admin_api_key"}, []string{"compliance_api_key"}},
		{"audit only needs admin key", []string{AuditLabel}, func(c *Config) { c.ComplianceAPIKey, c.WorkspaceID = "", "" }, nil, nil},
		{"compliance without key", []string{"Codex"}, func(c *Config) { c.ComplianceAPIKey = "" }, []string{"compliance_api_key", "Codex"}, []string{"workspace_id", "admin_api_key"}},
		{"compliance without workspace", []string{"Auth", "Apps"}, func(c *Config) { c.WorkspaceID = "" }, []string{"workspace_id"}, []string{"compliance_api_key"}},
		{"nothing set", Labels(), func(c *Config) { *c = Config{} }, []string{"admin_api_key", "compliance_api_key", "workspace_id"}, nil},
		{"unknown label", []string{"Bogus"}, nil, []string{"event_types_to_fetch", "Bogus"}, nil},
		{"no types", nil, func(c *Config) { *c = Config{} }, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := full
			if tc.edit != nil {
				tc.edit(&c)
			}
			c.EventTypes = tc.labels
			err := CheckCredentials(c)
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q lacks %q", err, w)
				}
			}
			for _, a := range tc.absent {
				if strings.Contains(err.Error(), a) {
					t.Errorf("%q names %q", err, a)
				}
			}
		})
	}
}

func TestProbe(t *testing.T) {
	_, cfg := startFake(t, fakeopenai.Config{AuditEvents: 5, ComplianceEvents: 5})
	if err := Probe(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	bad := cfg
	bad.WorkspaceID = "00000000-0000-0000-0000-000000000000"
	err := Probe(context.Background(), bad)
	if err == nil || !strings.Contains(err.Error(), "workspace_id") || !strings.Contains(err.Error(), "404") {
		t.Errorf("unknown workspace: %v", err)
	}
	bad = cfg
	bad.ComplianceAPIKey = "sk-compliance-wrong-1234567"
	err = Probe(context.Background(), bad)
	if err == nil || !strings.Contains(err.Error(), "compliance_api_key") || strings.Contains(err.Error(), bad.ComplianceAPIKey) {
		t.Errorf("wrong key: %v", err)
	}
}

// TestEnvironmentIgnored: a stray OPENAI_BASE_URL or OPENAI_ADMIN_KEY must
// not redirect the collectors or swap their key.
func TestEnvironmentIgnored(t *testing.T) {
	t.Setenv("OPENAI_BASE_URL", "http://127.0.0.1:1/v1/")
	t.Setenv("OPENAI_ADMIN_KEY", "sk-from-env")
	t.Setenv("OPENAI_API_KEY", "sk-from-env")
	_, cfg := startFake(t, fakeopenai.Config{AuditEvents: 5, ComplianceEvents: 5})
	got, res := Get(context.Background(), cfg, GetOptions{})
	for _, r := range res {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	if len(got) != 10 {
		t.Errorf("got %d events", len(got))
	}
}

func TestCursorsResumeAfterTheLastPushed(t *testing.T) {
	// Page boundaries inside groups of entries sharing a second: cap the
	// fetch at odd sizes so cycles end mid-page and mid-file.
	srv, cfg := startFake(t, fakeopenai.Config{AuditEvents: 700, ComplianceEvents: 700, Seed: 11})
	for _, capN := range []int{1, 7, 99, 101} {
		cfg.AuditMaxFetch, cfg.ComplianceMaxFetch = capN, capN
		host := newHostSim()
		if capN == 1 {
			// One event per cycle would take too long: three cycles, then
			// the rest with a bigger cap, checking a cycle pushes exactly cap.
			for range 3 {
				for _, r := range Fetch(context.Background(), cfg, host.lastRun(), host) {
					if r.Count != 1 {
						t.Fatalf("cap 1: %+v", r)
					}
				}
			}
			cfg.AuditMaxFetch, cfg.ComplianceMaxFetch = 250, 250
		}
		drain(t, cfg, host, 20*time.Second)
		assertExactly(t, host, StreamAudit, srv.AuditEventIDs())
		assertExactly(t, host, StreamCompliance, srv.ComplianceEventIDs())
		var cur complianceCursor
		json.Unmarshal(host.cursors[StreamCompliance], &cur) //nolint:errcheck
		if cur.File != "" || len(cur.Done) == 0 || len(host.cursors[StreamCompliance]) > 40<<10 {
			t.Errorf("final compliance cursor %d bytes: %+v", len(host.cursors[StreamCompliance]), cur.Done)
		}
		for id, end := range cur.Done {
			if !laterTime(end, cur.After) {
				t.Errorf("final compliance cursor keeps file %s ending %s, not after %s", id, end, cur.After)
			}
		}
		var ac auditCursor
		json.Unmarshal(host.cursors[StreamAudit], &ac) //nolint:errcheck
		if ac.From != testNow.Unix() || ac.To != 0 {
			t.Errorf("final audit cursor %s", host.cursors[StreamAudit])
		}
	}
	// A window opened later picks up only new entries: the next cycle with
	// a later clock asks from the old upper bound.
	later := testNow.Add(time.Hour)
	cfg.Now = func() time.Time { return later }
	host := newHostSim()
	host.cursors[StreamAudit] = mustJSON(auditCursor{V: 1, From: testNow.Unix()})
	res := Fetch(context.Background(), cfg, host.lastRun(), host)
	for _, r := range res {
		if r.Stream == StreamAudit && (r.Err != nil || r.Count != 0) {
			t.Errorf("%+v", r)
		}
	}
	last := srv.Requests("/v1/organization/audit_logs")
	q := last[len(last)-1].Query
	if !strings.Contains(q, fmt.Sprintf("effective_at%%5Bgte%%5D=%d", testNow.Unix())) || !strings.Contains(q, fmt.Sprintf("effective_at%%5Blt%%5D=%d", later.Unix())) {
		t.Errorf("window query %q", q)
	}
}

func TestBadCursor(t *testing.T) {
	_, cfg := startFake(t, fakeopenai.Config{AuditEvents: 5, ComplianceEvents: 5})
	res := Fetch(context.Background(), cfg, Cursors{StreamAudit: json.RawMessage(`{"v":9}`), StreamCompliance: json.RawMessage(`[1]`)}, newHostSim())
	for _, r := range res {
		if r.Err == nil || !strings.Contains(r.Err.Error(), "cursor") {
			t.Errorf("%s: %v", r.Stream, r.Err)
		}
	}
}

func TestLabels(t *testing.T) {
	l := Labels()
	if len(l) != 10 || l[0] != AuditLabel || l[9] != "Workspace Agents" || !slices.Contains(l, "Compliance Audit") {
		t.Errorf("%v", l)
	}
	if SourceLogType("NEW_THING_LOG") != "new_thing_log" || SourceLogType("AUDIT_LOG") != "compliance_audit_log" {
		t.Error("SourceLogType")
	}
	if DatasetFor("openai_audit_logs") != DatasetAudit || DatasetFor("new_thing_log") != DatasetCompliance {
		t.Error("DatasetFor")
	}
}

func TestReadyEventTypes(t *testing.T) {
	compliance := Labels()[1:]
	cases := []struct {
		name        string
		cfg         Config
		labels      []string
		wantReady   []string
		wantMissing []string // MissingCredentials.String() of each group
	}{
		{"everything set", Config{AdminAPIKey: "a", ComplianceAPIKey: "c", WorkspaceID: "w"}, Labels(), Labels(), nil},
		{"admin key only", Config{AdminAPIKey: "a"}, Labels(), []string{AuditLabel},
			[]string{strings.Join(compliance, ", ") + ": set compliance_api_key (Compliance API Key) and workspace_id (Workspace ID)"}},
		{"compliance only", Config{ComplianceAPIKey: "c", WorkspaceID: "w"}, []string{"Apps", AuditLabel, "Auth"}, []string{"Apps", "Auth"},
			[]string{AuditLabel + ": set admin_api_key (Admin API Key)"}},
		{"workspace missing", Config{AdminAPIKey: "a", ComplianceAPIKey: "c"}, []string{"Auth", AuditLabel}, []string{AuditLabel},
			[]string{"Auth: set workspace_id (Workspace ID)"}},
		{"nothing set", Config{}, []string{AuditLabel, "Codex"}, nil,
			[]string{AuditLabel + ": set admin_api_key (Admin API Key)", "Codex: set compliance_api_key (Compliance API Key) and workspace_id (Workspace ID)"}},
		{"unknown and repeated labels ignored", Config{AdminAPIKey: "a"}, []string{"Bogus", AuditLabel, AuditLabel}, []string{AuditLabel}, nil},
		{"no types", Config{AdminAPIKey: "a"}, nil, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg
			cfg.EventTypes = tc.labels
			ready, missing := ReadyEventTypes(cfg)
			if !slices.Equal(ready, tc.wantReady) {
				t.Errorf("ready = %q, want %q", ready, tc.wantReady)
			}
			var got []string
			for _, m := range missing {
				got = append(got, m.String())
			}
			if !slices.Equal(got, tc.wantMissing) {
				t.Errorf("missing = %q, want %q", got, tc.wantMissing)
			}
		})
	}
}

// TestGetStartAppliesToComplianceRecords: openai-get-events' start holds
// for every compliance record's own _time, not only for the end_time of
// the log file holding it (a file ending after the start holds records of
// its earlier window, and repeats records of earlier files). The records
// it returns are exactly those of a full get stamped at or after start.
func TestGetStartAppliesToComplianceRecords(t *testing.T) {
	_, cfg := startFake(t, fakeopenai.Config{AuditEvents: 200, ComplianceEvents: 1800, Seed: 11})
	cfg.EventTypes = Labels()[1:]

	// Every compliance record with its _time, from a get over the whole day.
	all, res := Get(context.Background(), cfg, GetOptions{Limit: 100000})
	for _, r := range res {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	stamped := map[string]time.Time{} // id -> _time
	for _, raw := range all {
		id, ts := idAndTime(t, raw)
		stamped[id] = ts
	}
	if len(stamped) != 1800 {
		t.Fatalf("full get: %d unique records, want 1800", len(stamped))
	}

	cases := []struct {
		name  string
		types []string
		start time.Duration // before testNow; off the files' five-minute end times
		limit int
	}{
		{"2 hours, Apps and Auth", []string{"Apps", "Auth"}, 2*time.Hour + 17*time.Second, 100000},
		{"6 hours, every type", nil, 6*time.Hour + 17*time.Second, 100000},
		{"23 hours, every type", nil, 23*time.Hour + 17*time.Second, 100000},
		{"12 hours, limit 25", []string{"Auth"}, 12*time.Hour + 17*time.Second, 25},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			start := testNow.Add(-tc.start)
			got, res := Get(context.Background(), cfg, GetOptions{EventTypes: tc.types, Limit: tc.limit, Start: start})
			if len(res) != 1 || res[0].Err != nil {
				t.Fatalf("results: %+v", res)
			}
			types := tc.types
			if types == nil {
				types = cfg.EventTypes
			}
			var apiTypes []string
			for _, ct := range complianceTypes {
				if slices.Contains(types, ct.Label) {
					apiTypes = append(apiTypes, ct.APIType)
				}
			}
			want := map[string]bool{}
			for _, raw := range all {
				var e struct {
					ID   string `json:"id"`
					Type string `json:"_event_type"`
				}
				if err := json.Unmarshal(raw, &e); err != nil {
					t.Fatal(err)
				}
				if slices.Contains(apiTypes, e.Type) && !stamped[e.ID].Before(start) {
					want[e.ID] = true
				}
			}
			seen := map[string]bool{}
			for _, raw := range got {
				id, ts := idAndTime(t, raw)
				if ts.Before(start) {
					t.Errorf("record %s stamped %s, before the start %s", id, ts.Format(time.RFC3339), start.Format(time.RFC3339))
				}
				if !want[id] || seen[id] {
					t.Errorf("record %s: unexpected or repeated", id)
				}
				seen[id] = true
			}
			if wantN := min(len(want), tc.limit); len(got) != wantN || res[0].Count != wantN {
				t.Errorf("got %d records (count %d), want %d", len(got), res[0].Count, wantN)
			}
		})
	}

	// The scheduled fetch is not filtered: its cursor decides, and a fetch
	// still stores every seeded record exactly once (TestFetchExactlyOnce).
	t.Run("fetch unfiltered", func(t *testing.T) {
		host := newHostSim()
		drain(t, cfg, host, 20*time.Second)
		if n := len(host.stored[StreamCompliance]); n != 1800 {
			t.Errorf("fetch stored %d records, want 1800", n)
		}
	})
}

func idAndTime(t *testing.T, raw json.RawMessage) (string, time.Time) {
	t.Helper()
	var e struct {
		ID   string `json:"id"`
		Time string `json:"_time"`
	}
	if err := json.Unmarshal(raw, &e); err != nil {
		t.Fatal(err)
	}
	ts, err := time.Parse(time.RFC3339Nano, e.Time)
	if err != nil {
		t.Fatalf("record %s: _time %q: %v", e.ID, e.Time, err)
	}
	return e.ID, ts
}

// TestComplianceLateFiles: log files appear in the listing up to 45
// minutes after their end_time, after files that end later. Each turns up
// in a later cycle and is pushed then: nothing is lost or repeated.
func TestComplianceLateFiles(t *testing.T) {
	var now atomic.Int64
	now.Store(testNow.UnixNano())
	clockNow := func() time.Time { return time.Unix(0, now.Load()).UTC() }
	srv, cfg := startFake(t, fakeopenai.Config{ComplianceEvents: 3000, Seed: 5, PublishDelay: 45 * time.Minute, Now: clockNow})
	cfg.Now, cfg.EventTypes = clockNow, slices.DeleteFunc(Labels(), func(l string) bool { return l == AuditLabel })
	host := newHostSim()

	drain(t, cfg, host, 20*time.Second)
	if got := len(host.stored[StreamCompliance]); got == 3000 {
		t.Fatal("every file was listed at once: the delay was not simulated")
	}
	for range 4 { // the clock moves on: late files appear, 15 minutes at a time
		now.Add(int64(15 * time.Minute))
		drain(t, cfg, host, 20*time.Second)
	}
	assertExactly(t, host, StreamCompliance, srv.ComplianceEventIDs())
}

// TestDownloadRefusalNotRetried: a 401 on the download-URL step fails the
// stream at once with OpenAI's answer, where a 503 would be retried.
func TestDownloadRefusalNotRetried(t *testing.T) {
	srv, cfg := startFake(t, fakeopenai.Config{ComplianceEvents: 50})
	cfg.EventTypes = []string{"Conversation Messages"}
	srv.Script("compliance.file", fakeopenai.Fault{Status: 401, Message: "Invalid API key"})
	res := Fetch(context.Background(), cfg, Cursors{}, newHostSim())
	if len(res) != 1 || res[0].Err == nil || !strings.Contains(res[0].Err.Error(), "HTTP 401: Invalid API key") {
		t.Fatalf("%+v", res)
	}
	var apiErr *openai.Error
	if !errors.As(res[0].Err, &apiErr) || apiErr.StatusCode != 401 {
		t.Errorf("the API's error is not reachable with errors.As: %v", res[0].Err)
	}
	if n := len(srv.Requests("/v1/compliance/workspaces/" + cfg.WorkspaceID + "/logs/")); n != 1 {
		t.Errorf("download URL asked for %d times, want 1", n)
	}
}

// TestComplianceUnderRateLimit: the platform's per-route limit (here 15
// requests a second, so the test stays short) answers 429 with
// Retry-After; the collector waits as told and still lands every record
// exactly once.
func TestComplianceUnderRateLimit(t *testing.T) {
	srv, cfg := startFake(t, fakeopenai.Config{ComplianceEvents: 2000, Seed: 9,
		ComplianceRateLimit: fakeopenai.RateLimit{Requests: 15, Window: time.Second}})
	cfg.EventTypes = slices.DeleteFunc(Labels(), func(l string) bool { return l == AuditLabel })
	host := newHostSim()
	drain(t, cfg, host, time.Minute)
	assertExactly(t, host, StreamCompliance, srv.ComplianceEventIDs())
	if srv.RateLimited() == 0 {
		t.Error("the limit never refused a request: the test proves nothing")
	}
}

// TestDownloadRetryAfterPastTheDeadline: a storage host asking for a wait
// that would outlast the cycle ends the cycle with its own answer (503 and
// the wait) instead of sleeping into a bare deadline error.
func TestDownloadRetryAfterPastTheDeadline(t *testing.T) {
	srv, cfg := startFake(t, fakeopenai.Config{ComplianceEvents: 30, Seed: 1})
	srv.Script("blob", fakeopenai.Fault{Status: 503, RetryAfter: "600"})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, r := range Fetch(ctx, cfg, Cursors{}, newHostSim()) {
		if r.Stream != StreamCompliance {
			continue
		}
		switch {
		case r.Err == nil:
			t.Fatal("the cycle succeeded through a 503")
		case errors.Is(r.Err, context.DeadlineExceeded):
			t.Errorf("the cycle slept into its deadline: %v", r.Err)
		case !strings.Contains(r.Err.Error(), "HTTP 503") || !strings.Contains(r.Err.Error(), "after this cycle's deadline"):
			t.Errorf("error = %v, want the 503 and why no retry", r.Err)
		}
		return
	}
	t.Fatal("no compliance result")
}

// panickySink panics on every push.
type panickySink struct{}

func (panickySink) Push(context.Context, Batch) error { panic("sink exploded") }

// TestFetchRecoversAPanickingStream: a stream runs on its own goroutine,
// out of the plugin's handler guard; a panic there becomes that stream's
// error instead of ending the plugin and every call in flight.
func TestFetchRecoversAPanickingStream(t *testing.T) {
	_, cfg := startFake(t, fakeopenai.Config{AuditEvents: 10, ComplianceEvents: 10, Seed: 1})
	res := Fetch(context.Background(), cfg, Cursors{}, panickySink{})
	if len(res) != 2 {
		t.Fatalf("results: %+v", res)
	}
	for _, r := range res {
		if r.Err == nil || !strings.Contains(r.Err.Error(), "internal error while collecting "+r.Stream) || !strings.Contains(r.Err.Error(), "sink exploded") {
			t.Errorf("%s: error = %v, want the recovered panic", r.Stream, r.Err)
		}
	}
}
