package main

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
	"github.com/soarkit/openai-gpt/internal/host/state"
)

// hostSimBinary builds host-sim once, for benchmarks that need it as its
// own process (its memory is measured apart from the fake server's).
var hostSimBinary = sync.OnceValues(func() (string, error) {
	path := filepath.Join(filepath.Dir(pluginPath), "host-sim")
	out, err := exec.Command("go", "build", "-o", path, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("build host-sim: %v\n%s", err, out)
	}
	return path, nil
})

var peakRSSLine = regexp.MustCompile(`peak RSS host-sim ([0-9.]+) MiB, plugin ([0-9.]+) MiB`)

// BenchmarkFetchEndToEnd drains a backlog of n events (half audit, half
// compliance) from the fake server (in this process) through a host-sim
// process and its plugin into SQLite, with `fetch --drain --stats`, at the
// largest per-fetch caps. It reports events/s end to end and the peak
// resident memory of both processes, which should not grow with n.
// The fake server shares the machine's cores with them.
func BenchmarkFetchEndToEnd(b *testing.B) {
	bin, err := hostSimBinary()
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				srv := fakeopenai.New(fakeopenai.Config{AuditEvents: n / 2, ComplianceEvents: n / 2, Seed: 1})
				url, err := srv.Start("127.0.0.1:0")
				if err != nil {
					b.Fatal(err)
				}
				dir := b.TempDir()
				hs := benchHostSim(b, bin, dir, "30m")
				hs(append([]string{"instance", "set", "audit_max_fetch=100000", "compliance_max_fetch=100000"}, fakeInstance(url, srv.Config())...)...)
				b.StartTimer()
				out, took := hs("fetch", "--drain", "--stats")
				b.StopTimer()
				srv.Close()

				stored := countStored(b, dir)
				m := peakRSSLine.FindAllStringSubmatch(out, -1)
				if len(m) == 0 || stored == 0 {
					b.Fatalf("no events or no memory figures:\n%s", out)
				}
				last := m[len(m)-1]
				hostMiB, _ := strconv.ParseFloat(last[1], 64)
				pluginMiB, _ := strconv.ParseFloat(last[2], 64)
				b.ReportMetric(float64(stored)/took.Seconds(), "events/s")
				b.ReportMetric(float64(stored), "events")
				b.ReportMetric(hostMiB, "host-peak-MiB")
				b.ReportMetric(pluginMiB, "plugin-peak-MiB")
				b.StartTimer()
			}
		})
	}
}

// countStored counts the events stored, and fails on any stored twice: a
// figure for a run that repeated events would be worthless.
func countStored(b testing.TB, dir string) int {
	st, err := state.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	counts, err := st.Datasets(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	total := 0
	for dataset, n := range counts {
		distinct, err := st.DistinctEventIDs(context.Background(), dataset)
		if err != nil {
			b.Fatal(err)
		}
		if distinct != n {
			b.Fatalf("%s: %d events stored, %d distinct ids", dataset, n, distinct)
		}
		total += n
	}
	return total
}

// benchHostSim runs host-sim (bin) on the state directory dir with the
// given --timeout, failing b on a non-zero exit; it returns the output and
// how long the run took.
func benchHostSim(b *testing.B, bin, dir, timeout string) func(args ...string) (string, time.Duration) {
	return func(args ...string) (string, time.Duration) {
		cmd := exec.Command(bin, append([]string{"--state", dir, "--plugin", pluginPath, "--timeout", timeout}, args...)...)
		cmd.Env = []string{"HOME=" + dir}
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		start := time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatalf("host-sim %v: %v\n%s", args, err, out.String())
		}
		return out.String(), time.Since(start)
	}
}
