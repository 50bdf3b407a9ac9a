package events

import (
	"context"
	"errors"
	"fmt"
	"slices"
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

// TestCapAtAFilesEndFinishesIt: a cycle whose per-fetch cap is reached on
// the last record of a file has read that file whole; the next cycle must
// not download it again (at the platform's rate limit, that one request
// can cost a whole window).
func TestCapAtAFilesEndFinishesIt(t *testing.T) {
	const n = 300
	srv, cfg := startFake(t, fakeopenai.Config{ComplianceEvents: n, Seed: 3})
	cfg.EventTypes = slices.DeleteFunc(Labels(), func(l string) bool { return l == AuditLabel })
	cfg.ComplianceMaxFetch = n // reached on the last record of the last file
	host := newHostSim()
	if res := Fetch(context.Background(), cfg, host.lastRun(), host); res[0].Err != nil || res[0].Count != n {
		t.Fatalf("first cycle: %+v", res)
	}
	files := "/v1/compliance/workspaces/" + cfg.WorkspaceID + "/logs/"
	before := len(srv.Requests(files))
	if res := Fetch(context.Background(), cfg, host.lastRun(), host); res[0].Err != nil || res[0].Count != 0 {
		t.Fatalf("second cycle: %+v", res)
	}
	if again := len(srv.Requests(files)) - before; again != 0 {
		t.Errorf("the second cycle downloaded %d file(s) again", again)
	}
	assertExactly(t, host, StreamCompliance, srv.ComplianceEventIDs())
}
