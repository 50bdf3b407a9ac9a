package fakeopenai

import (
	"net/http"
	"testing"
	"time"
)

// TestLatencyDelaysEveryAnswer: with Config.Latency, an API route and a
// signed download each answer no sooner than the latency (a lower bound:
// a timer never fires early, so this holds on a loaded machine).
func TestLatencyDelaysEveryAnswer(t *testing.T) {
	const latency = 150 * time.Millisecond
	s := New(Config{ComplianceEvents: 100, Seed: 42, Latency: latency, Now: func() time.Time { return evNow }})
	u, err := s.Start("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	base := u + "/v1/compliance/workspaces/" + DefaultWorkspaceID + "/logs"
	var l listing
	start := time.Now()
	if res := get(t, base+"?event_type=AUTH_LOG&after=2026-11-24T00:00:00Z", DefaultComplianceKey, &l); res.StatusCode != http.StatusOK || len(l.Data) == 0 {
		t.Fatalf("list: %d, %d files", res.StatusCode, len(l.Data))
	}
	if took := time.Since(start); took < latency {
		t.Errorf("the listing answered in %v, before the latency %v", took, latency)
	}
	start = time.Now()
	res := get(t, base+"/"+l.Data[0].ID, DefaultComplianceKey, nil)
	if res.StatusCode != http.StatusTemporaryRedirect {
		t.Fatalf("file: %d", res.StatusCode)
	}
	mid := time.Now()
	if blob := get(t, res.Header.Get("Location"), "", nil); blob.StatusCode != http.StatusOK {
		t.Fatalf("signed download: %d", blob.StatusCode)
	}
	if took := mid.Sub(start); took < latency {
		t.Errorf("the file redirect answered in %v, before the latency %v", took, latency)
	}
	if took := time.Since(mid); took < latency {
		t.Errorf("the signed download answered in %v, before the latency %v", took, latency)
	}
}

// TestRecordsPerFile: a backlog of 10^5 records in files of about 1,000
// makes about 100 files, where the default (about 60 a file) makes ~1,600.
func TestRecordsPerFile(t *testing.T) {
	g := newGenerator(1, DefaultWorkspaceID, evNow, 0, 100_000, 1000)
	if n := len(g.files); n < 90 || n > 110 {
		t.Errorf("%d files for 10^5 records at 1,000 a file, want about 100", n)
	}
	total := 0
	for _, f := range g.files {
		total += int(f.n)
		if f.n < 500 || f.n > 1500 {
			t.Errorf("file %s holds %d records, want about 1,000", f.id, f.n)
		}
	}
	if total != 100_000 {
		t.Errorf("%d records in all, want 100000", total)
	}
	if d := newGenerator(1, DefaultWorkspaceID, evNow, 0, 100_000, 0); len(d.files) < 1000 {
		t.Errorf("the default makes %d files for 10^5 records, want about 60 records a file", len(d.files))
	}
}
