package events

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
)

// complianceLabels are every Compliance event type label.
func complianceLabels() []string {
	return slices.DeleteFunc(Labels(), func(l string) bool { return l == AuditLabel })
}

// TestComplianceDownloadEitherWay: the file route may answer 307 to a
// signed URL or 200 with the JSON Lines itself (the reference integration
// accepts both); either way every record lands exactly once, and only the
// redirect sends the collector to the blob host.
func TestComplianceDownloadEitherWay(t *testing.T) {
	for _, direct := range []bool{false, true} {
		name := map[bool]string{false: "307 redirect", true: "200 with the file"}[direct]
		t.Run(name, func(t *testing.T) {
			srv, cfg := startFake(t, fakeopenai.Config{ComplianceEvents: 300, Seed: 4, DirectDownloads: direct})
			cfg.EventTypes = complianceLabels()
			// A file cut off mid-body is fetched again, whichever host served it.
			if direct {
				srv.Script("compliance.file", fakeopenai.Fault{Truncate: true})
			} else {
				srv.Script("blob", fakeopenai.Fault{Truncate: true})
			}
			host := newHostSim()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			for _, r := range Fetch(ctx, cfg, Cursors{}, host) { // one cycle: 300 records are under the cap
				if r.Err != nil {
					t.Fatalf("fetch failed: %v", r.Err)
				}
			}
			assertExactly(t, host, StreamCompliance, srv.ComplianceEventIDs())
			blob := len(srv.Requests("/compliance-files/"))
			if direct && blob != 0 {
				t.Errorf("%d downloads went to the blob host although the API answered 200", blob)
			}
			if !direct && blob == 0 {
				t.Error("no download went to the blob host: the redirect was not exercised")
			}
		})
	}
}

// TestComplianceRecordKeptAsWritten: a record's own fields are never
// overwritten (its id above all); id is added only where there is none
// (event_id, else file id and line), and the file's end_time is added as
// the reference integration adds it.
func TestComplianceRecordKeptAsWritten(t *testing.T) {
	f := logFile{ID: "clf_9", EventType: "AUTH_LOG", EndTime: "2026-11-24T10:00:00Z"}
	cases := []struct {
		name, rec, wantID, wantDedupe, wantEnd string
	}{
		{"own id kept", `{"id":"rec-own","event_id":"e1","type":"AUTH_LOG","timestamp":"2026-11-24T09:00:00Z"}`, "rec-own", "e1", f.EndTime},
		{"id from event_id", `{"event_id":"e2","type":"AUTH_LOG"}`, "e2", "e2", f.EndTime},
		{"id from file and line", `{"type":"AUTH_LOG"}`, "clf_9:7", "clf_9:7", f.EndTime},
		{"own end_time kept", `{"event_id":"e3","end_time":"2026-11-24T09:30:00Z"}`, "e3", "e3", "2026-11-24T09:30:00Z"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ev, dedupe, err := complianceEvent([]byte(tc.rec), true, f, 7, "ws-config")
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(ev, &m); err != nil {
				t.Fatal(err)
			}
			if m["id"] != tc.wantID || dedupe != tc.wantDedupe || m["end_time"] != tc.wantEnd {
				t.Errorf("id %v (want %s), dedupe id %s (want %s), end_time %v (want %s): %s",
					m["id"], tc.wantID, dedupe, tc.wantDedupe, m["end_time"], tc.wantEnd, ev)
			}
			var rec map[string]any
			json.Unmarshal([]byte(tc.rec), &rec) //nolint:errcheck // a test literal
			for k, v := range rec {
				if m[k] != v {
					t.Errorf("field %s: %v, the API wrote %v", k, m[k], v)
				}
			}
			if m["source_log_type"] != "auth_log" || m["_event_type"] != "AUTH_LOG" || m["_time"] == nil || m["workspace_id"] != "ws-config" {
				t.Errorf("enrichment missing: %s", ev)
			}
		})
	}
}

// TestWorkspaceIDForm: any well-formed workspace id serves the Compliance
// calls (not only a UUID); a malformed one fails the compliance stream
// with an error naming workspace_id, and the audit stream still runs.
func TestWorkspaceIDForm(t *testing.T) {
	srv, cfg := startFake(t, fakeopenai.Config{AuditEvents: 20, ComplianceEvents: 50, WorkspaceID: "ws_Org-42.prod"})
	host := newHostSim()
	if errs := drain(t, cfg, host, time.Minute); len(errs) > 0 {
		t.Fatalf("a non-UUID workspace id failed: %v", errs)
	}
	assertExactly(t, host, StreamCompliance, srv.ComplianceEventIDs())

	cfg.WorkspaceID = "ws 42/../other"
	before := len(srv.Requests("/v1/compliance/"))
	res := Fetch(context.Background(), cfg, Cursors{}, newHostSim())
	for _, r := range res {
		switch r.Stream {
		case StreamAudit:
			if r.Err != nil || r.Count == 0 {
				t.Errorf("audit stream: %d events, %v", r.Count, r.Err)
			}
		case StreamCompliance:
			if r.Err == nil || !strings.Contains(r.Err.Error(), "workspace_id") {
				t.Errorf("compliance stream: %v, want an error naming workspace_id", r.Err)
			}
		}
	}
	if err := Probe(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "workspace_id") {
		t.Errorf("probe: %v", err)
	}
	if n := len(srv.Requests("/v1/compliance/")) - before; n > 0 {
		t.Errorf("%d compliance calls were sent with a malformed workspace id", n)
	}
}
