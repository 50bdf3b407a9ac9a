package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/soarkit/openai-gpt/internal/host"
)

func (a *app) fetch(g *globals, args []string) int {
	o := a.fetchFlags(g.flagSet("fetch", a.stderr), args)
	if o == nil {
		return exitRefused
	}
	// SIGINT/SIGTERM cancel the cycle: the plugin stops after the batch in
	// flight, which the host still commits with its cursor (see
	// host.Services), so the next run resumes exactly there.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	prog := newProgress(a.stderr)
	s, code := a.openHost(context.Background(), g, prog.observe)
	if s == nil {
		return code
	}
	defer s.close()
	return a.fetchLoop(ctx, s.host, prog, o)
}

// fetchLoop runs the cycles o asks for until they are done or ctx ends;
// prog must observe h's pushes.
func (a *app) fetchLoop(ctx context.Context, h *host.Host, prog *progress, o *fetchOptions) int {
	every, err := a.interval(ctx, h, o)
	if err != nil {
		return a.fail(exitRefused, "fetch --every: %v", err)
	}
	if o.every.instance {
		fmt.Fprintf(a.stdout, "fetching every %s (the instance's eventFetchInterval)\n", every)
	}
	began, total, code := time.Now(), 0, exitOK
	for cycle := 1; ; cycle++ {
		if every > 0 || o.drain {
			fmt.Fprintf(a.stdout, "cycle %d at %s\n", cycle, time.Now().Format(time.TimeOnly))
		}
		start := time.Now()
		var n int
		n, code = a.fetchCycle(ctx, h, prog)
		total += n
		if o.stats {
			a.printStats("stats", n, time.Since(start), h.PluginPID())
		}
		switch {
		case ctx.Err() != nil || (every == 0 && !o.drain):
			return code
		case o.drain:
			if n == 0 || code != exitOK {
				if o.stats && cycle > 1 {
					a.printStats("total", total, time.Since(began), h.PluginPID())
				}
				return code
			}
			continue
		}
		if !a.sleep(ctx, every) {
			return code
		}
	}
}

// fetchCycle runs one fetch-events call, prints what each stream did and
// returns the number of events stored.
func (a *app) fetchCycle(ctx context.Context, h *host.Host, prog *progress) (int, int) {
	stopProgress := prog.start()
	res, err := h.Fetch(ctx)
	stored := stopProgress()
	if err != nil {
		if errors.Is(ctx.Err(), context.Canceled) {
			fmt.Fprintf(a.stderr, "host-sim: fetch interrupted; the batches stored so far are kept with their cursors\n")
			return stored, exitOK
		}
		var te *host.TimeoutError
		if errors.As(err, &te) {
			return stored, a.fail(exitFailed, "%v; the batches stored so far are kept with their cursors", err)
		}
		return stored, a.fail(exitRefused, "%v", err)
	}
	code := exitOK
	if len(res.Streams) == 0 {
		fmt.Fprintln(a.stdout, "no event streams ran (is isFetchEvents=true and are event_types_to_fetch configured?)")
	}
	for _, st := range res.Streams {
		line := fmt.Sprintf("%s: %d %s", st.Stream, st.Count, plural(st.Count, "event", "events"))
		if ms, ok := h.Manifest().EventStream(st.Stream); ok {
			line += " → " + ms.Dataset
		}
		if st.Error != "" {
			// The cursor is where the stream resumes: what was pushed
			// before the failure is kept.
			line += "\n  ERROR: " + st.Error
			code = exitFailed
		}
		fmt.Fprintln(a.stdout, line)
		fmt.Fprintln(a.stdout, "  cursor: "+cursorSummary(st.Cursor))
	}
	if counts, err := h.Store().Datasets(ctx); err == nil {
		var totals []string
		for _, ds := range h.Manifest().Datasets() {
			totals = append(totals, fmt.Sprintf("%s %d", ds, counts[ds]))
		}
		fmt.Fprintln(a.stdout, "stored in all: "+strings.Join(totals, ", "))
	}
	return stored, code
}

// printStats reports a cycle's throughput and the peak resident memory of
// both processes (Linux only; "n/a" elsewhere). The plugin is still
// running, so its peak covers the cycle.
func (a *app) printStats(label string, events int, took time.Duration, pluginPID int) {
	rate := 0.0
	if took > 0 {
		rate = float64(events) / took.Seconds()
	}
	hostRSS, hostOK := peakRSS(0)
	pluginRSS, pluginOK := int64(0), false
	if pluginPID > 0 {
		pluginRSS, pluginOK = peakRSS(pluginPID)
	}
	fmt.Fprintf(a.stdout, "%s: %d events in %s (%.0f events/s); peak RSS host-sim %s, plugin %s\n",
		label, events, took.Round(time.Millisecond), rate, mib(hostRSS, hostOK), mib(pluginRSS, pluginOK))
}

// shorten cuts s to about n bytes for display, saying how long it was.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return fmt.Sprintf("%s… (%d bytes)", strings.ToValidUTF8(s[:n], ""), len(s))
}
