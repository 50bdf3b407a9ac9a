package e2e

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
	"github.com/soarkit/openai-gpt/internal/pluginrpc"
	"github.com/soarkit/openai-gpt/internal/plugintest"
	"github.com/soarkit/openai-gpt/internal/protocol"
)

// benchRuns is the sample size of each latency figure.
const benchRuns = 60

// BenchmarkColdCall: the host spawns the plugin, handshakes, runs one
// command against the fake server, and the plugin exits.
func BenchmarkColdCall(b *testing.B) {
	_, url := startFake(b, fakeopenai.Config{})
	req := protocol.ExecuteRequest{Command: "gpt-send-message", Args: map[string]any{"message": "hi"}, Params: chatParams(url)}
	for range b.N {
		samples := make([]time.Duration, 0, benchRuns)
		for range benchRuns {
			start := time.Now()
			s, err := pluginrpc.Launch(pluginrpc.LaunchConfig{Path: pluginPath, Host: newMemHost()})
			if err != nil {
				b.Fatal(err)
			}
			res, err := s.Execute(context.Background(), "cold", req)
			if err != nil || res.Failed() {
				b.Fatalf("call failed: %v %+v", err, res.Entries)
			}
			s.Close()
			samples = append(samples, time.Since(start))
		}
		report(b, samples)
	}
}

// BenchmarkPluginInit: the plugin binary's package init (the sum of
// GODEBUG=inittrace=1's clock times), what every cold start pays before
// main whatever the command.
func BenchmarkPluginInit(b *testing.B) {
	for range b.N {
		samples := make([]time.Duration, 0, benchRuns)
		for range benchRuns {
			d, err := plugintest.InitClock(pluginPath)
			if err != nil {
				b.Fatal(err)
			}
			samples = append(samples, d)
		}
		report(b, samples)
	}
}

// BenchmarkWarmCall: one more command on a running plugin.
func BenchmarkWarmCall(b *testing.B) {
	_, url := startFake(b, fakeopenai.Config{})
	s, _ := launch(b, newMemHost())
	req := protocol.ExecuteRequest{Command: "gpt-send-message", Args: map[string]any{"message": "hi", "reset_conversation_history": "yes"}, Params: chatParams(url)}
	for range b.N {
		samples := make([]time.Duration, 0, benchRuns*5)
		for range benchRuns * 5 {
			start := time.Now()
			res, err := s.Execute(context.Background(), "warm", req)
			if err != nil || res.Failed() {
				b.Fatalf("call failed: %v %+v", err, res.Entries)
			}
			samples = append(samples, time.Since(start))
		}
		report(b, samples)
	}
}

// BenchmarkWarmOverhead: a call that never leaves the plugin (an argument
// error answered by the plugin itself): the boundary's own cost.
func BenchmarkWarmOverhead(b *testing.B) {
	s, _ := launch(b, newMemHost())
	req := protocol.ExecuteRequest{Command: "gpt-create-moderation", Args: map[string]any{}, Params: map[string]any{"apikey": "sk-x-123456"}}
	for range b.N {
		samples := make([]time.Duration, 0, benchRuns*10)
		for range benchRuns * 10 {
			start := time.Now()
			if _, err := s.Execute(context.Background(), "overhead", req); err != nil {
				b.Fatal(err)
			}
			samples = append(samples, time.Since(start))
		}
		report(b, samples)
	}
}

func report(b *testing.B, samples []time.Duration) {
	slices.Sort(samples)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(samples[len(samples)/2]), "median-ms")
	b.ReportMetric(ms(samples[(len(samples)*99)/100]), "p99-ms")
	b.ReportMetric(float64(len(samples)), "runs")
	b.ReportMetric(0, "ns/op")
}
