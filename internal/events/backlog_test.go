package events

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
)

// TestComplianceLargeFilesExactlyOnce: a large workspace writes files of
// about 1,000 records, and a file that repeats its predecessor's last
// records may be listed before it (they share an end_time), with a third
// file of that end_time in between: the repeat arrives two files (2,000
// records) or more before its first delivery, and must still be dropped.
// At 10^5 records a ring of two files failed; this seed's 3×10^5 has
// groups of three.
func TestComplianceLargeFilesExactlyOnce(t *testing.T) {
	srv, cfg := startFake(t, fakeopenai.Config{ComplianceEvents: 300_000, RecordsPerFile: 1000, Seed: 1})
	cfg.EventTypes = slices.DeleteFunc(Labels(), func(l string) bool { return l == AuditLabel })
	cfg.ComplianceMaxFetch = 120_000 // three cycles: the rings travel in the cursor
	host := newHostSim()
	if errs := drain(t, cfg, host, 2*time.Minute); len(errs) > 0 {
		t.Fatal(errors.Join(errs...))
	}
	assertExactly(t, host, StreamCompliance, srv.ComplianceEventIDs())
}

// TestSeenRingReserve: a wrapped ring that grows keeps every id it held,
// in order, and the grown size travels through the cursor.
func TestSeenRingReserve(t *testing.T) {
	r := newSeenRing("")
	for i := range seenCapacity + 10 { // full and wrapped
		r.add(fmt.Sprint(i))
	}
	r.reserve(3 * seenCapacity)
	for i := range seenCapacity { // the ring now holds 10 .. 3*seenCapacity+9
		r.add(fmt.Sprint("more", i))
	}
	if r.has("9") || !r.has("10") || !r.has(fmt.Sprint(seenCapacity+9)) || !r.has("more0") {
		t.Error("growing lost or kept the wrong ids")
	}
	back := newSeenRing(r.encode())
	if back.limit != 2*seenCapacity || back.encode() != r.encode() {
		t.Errorf("decoded ring: limit %d, want %d, same hashes %v", back.limit, 2*seenCapacity, back.encode() == r.encode())
	}
	back.reserve(10 * maxSeenCapacity)
	if back.limit != maxSeenCapacity {
		t.Errorf("reserve beyond the bound: limit %d, want %d", back.limit, maxSeenCapacity)
	}
}

// TestCapOnAFilesLastRecordEndsIt: a cycle whose per-fetch cap is reached
// on the last record of a file has read that file whole, and its cursor
// says so (the next cycle need not download it again: at the platform's
// rate limit, that one request can cost a whole window); reached earlier,
// the file is pending. Cycles end before files they are estimated to
// split (TestCycleEndsBeforeAFileItWouldSplit), so this is held on the
// file reader itself.
func TestCapOnAFilesLastRecordEndsIt(t *testing.T) {
	f := logFile{ID: "clf_1", EventType: "AUTH_LOG", EndTime: "2026-12-01T00:00:00Z"}
	records := `{"id":"a","timestamp":"2026-12-01T00:00:00Z"}
{"id":"b","timestamp":"2026-12-01T00:00:01Z"}
{"id":"c","timestamp":"2026-12-01T00:00:02Z"}
`
	for _, tc := range []struct {
		max       int
		wantEnded bool
	}{{3, true}, {2, false}} {
		r := &complianceRun{ctx: context.Background(), out: &pusher{sink: newHostSim(), stream: StreamCompliance},
			max: tc.max, seen: newSeenByType(nil), spread: 2}
		full, ended, n, err := r.readFile(f, strings.NewReader(records))
		if err != nil || !full || ended != tc.wantEnded || n != tc.max {
			t.Errorf("cap %d: full %v, ended %v, %d records, %v; want full, ended %v, %d records", tc.max, full, ended, n, err, tc.wantEnded, tc.max)
		}
	}
}

// TestCycleEndsBeforeAFileItWouldSplit: with a per-fetch cap that is not
// a whole number of files, each cycle ends before the file it would stop
// inside, so the next cycle does not download that file again: at the
// platform's rate limit, eleven requests too many over a thousand files
// cost a whole window. Every file is downloaded once, every record pushed
// once.
func TestCycleEndsBeforeAFileItWouldSplit(t *testing.T) {
	srv, cfg := startFake(t, fakeopenai.Config{ComplianceEvents: 12_000, RecordsPerFile: 1000, Seed: 1})
	cfg.EventTypes = slices.DeleteFunc(Labels(), func(l string) bool { return l == AuditLabel })
	cfg.ComplianceMaxFetch = 2_500 // two and a half files a cycle
	host := newHostSim()
	if errs := drain(t, cfg, host, 2*time.Minute); len(errs) > 0 {
		t.Fatal(errors.Join(errs...))
	}
	assertExactly(t, host, StreamCompliance, srv.ComplianceEventIDs())
	downloads := srv.Requests("/v1/compliance/workspaces/" + cfg.WorkspaceID + "/logs/")
	if len(downloads) != srv.ComplianceFiles() {
		t.Errorf("%d file requests for %d files: a file split between cycles is downloaded again", len(downloads), srv.ComplianceFiles())
	}
}
