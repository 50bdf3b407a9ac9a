package main

import (
	"math"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
)

// Backlog catch-up figures: the platform's limits, not our CPU, bound
// collection. The Compliance API allows about 100 requests a minute per
// route, and every log file costs one request on the file route (its
// redirect to a signed URL), so with files of recordsPerFile records the
// rate limit allows at most 100 × recordsPerFile records a minute.
const (
	backlogPerFile = 1000
	backlogLatency = 80 * time.Millisecond
	backlogRPM     = 100
)

// BenchmarkBacklogCatchUp drains a one-day compliance backlog of
// BACKLOG_RECORDS records (default 3×10^5) in files of 1,000, with 80 ms
// of latency on every answer and download and the platform's rate limit
// on (100 requests a minute per route, as a one-minute window), through a
// host-sim process and its plugin into SQLite (`fetch --drain`). It
// reports the drain time as a fraction of the ceiling: the least time the
// rate limit allows for that many file requests.
//
// 10^6 records (1,000 files) take at least 9 minutes at that limit, too
// long for `make bench`: BACKLOG_RECORDS=1000000 measures it. 3×10^5 is
// the smallest backlog that spans several windows (300 files: the last
// request can go no sooner than 2 minutes in). BACKLOG_WINDOW_SECONDS
// applies the same rate in shorter windows; below about a minute the
// whole seconds of Retry-After dominate what is measured.
func BenchmarkBacklogCatchUp(b *testing.B) {
	bin, err := hostSimBinary()
	if err != nil {
		b.Fatal(err)
	}
	records := envInt(b, "BACKLOG_RECORDS", 300_000)
	window := time.Duration(envInt(b, "BACKLOG_WINDOW_SECONDS", 60)) * time.Second
	perWindow := int(math.Round(backlogRPM * window.Seconds() / 60))
	for b.Loop() {
		b.StopTimer()
		srv := fakeopenai.New(fakeopenai.Config{
			ComplianceEvents: records, RecordsPerFile: backlogPerFile, Seed: 1,
			Latency:             backlogLatency,
			ComplianceRateLimit: fakeopenai.RateLimit{Requests: perWindow, Window: window},
		})
		url, err := srv.Start("127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		dir := b.TempDir()
		hs := benchHostSim(b, bin, dir, "60m")
		hs(append([]string{"instance", "set", "compliance_max_fetch=100000"}, fakeInstance(url, srv.Config())...)...)
		b.StartTimer()
		out, took := hs("fetch", "--drain", "--stats")
		b.StopTimer()
		refused := srv.RateLimited()
		srv.Close()

		stored := countStored(b, dir)
		if stored != records {
			b.Fatalf("%d records stored of %d:\n%s", stored, records, out)
		}
		files := srv.ComplianceFiles()
		// A fixed window lets perWindow requests through at once, then
		// perWindow more each window: the last file request can go no
		// sooner than the start of window ceil(files/perWindow).
		floor := time.Duration(max(0, (files+perWindow-1)/perWindow-1)) * window
		b.ReportMetric(took.Seconds(), "drain-s")
		b.ReportMetric(floor.Seconds(), "ceiling-s")
		b.ReportMetric(100*floor.Seconds()/took.Seconds(), "%-of-ceiling")
		b.ReportMetric(float64(files), "files")
		b.ReportMetric(float64(refused), "429s")
		b.Logf("%d records in %d files, %v latency, %d requests per %v a route: drained in %v; the rate limit allows %v (%.0f%%); %d answers were 429",
			records, files, backlogLatency, perWindow, window, took.Round(time.Millisecond), floor, 100*floor.Seconds()/took.Seconds(), refused)
		b.StartTimer()
	}
}

func envInt(b *testing.B, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		b.Fatalf("%s=%q: want a positive integer", name, v)
	}
	return n
}
