package events

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
)

// discard acknowledges every batch without keeping it.
type discard struct{}

func (discard) Push(context.Context, Batch) error { return nil }

// BenchmarkFetch measures events/s in-process: fake server on loopback ->
// collectors -> a sink that discards, each iteration a full drain of n
// audit and n compliance events (one cycle, caps above n).
func BenchmarkFetch(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			_, cfg := startFake(b, fakeopenai.Config{AuditEvents: n, ComplianceEvents: n, Seed: 1})
			cfg.AuditMaxFetch, cfg.ComplianceMaxFetch = 2*n, 2*n
			total := 0
			start := time.Now()
			for b.Loop() {
				for _, r := range Fetch(context.Background(), cfg, Cursors{}, discard{}) {
					if r.Err != nil {
						b.Fatal(r.Err)
					}
					total += r.Count
				}
			}
			b.ReportMetric(float64(total)/time.Since(start).Seconds(), "events/s")
		})
	}
}
