// Command benchparse times the plugin's .eml parse and forensics path
// (email.Parse, then Message.Facts) in-process over every .eml of a folder,
// the way `make bench-parse` reports it next to Python's stdlib parser
// (scripts/bench_parse.py) on the same files.
//
// Each email is read once and parsed -passes times; its time is the fastest
// pass, which on a shared machine is the closest to its real cost. Emails are
// processed one at a time, so the peak RSS printed is what the largest single
// email costs on top of the program. The last line of output is exactly:
//
//	parse: N emails, mean X ms, median X ms, p99 X ms, max X ms, failures N, peak RSS X MiB
package main

import (
	"cmp"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"syscall"
	"time"

	"github.com/soarkit/openai-gpt/internal/email"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "benchparse:", err)
		os.Exit(1)
	}
}

type result struct {
	name  string
	size  int
	took  time.Duration
	alloc uint64 // bytes allocated by one parse
	err   error
}

func run() error {
	dir := flag.String("dir", "../shared/corpus/eml", "folder of .eml files")
	passes := flag.Int("passes", 3, "parses per email; the fastest counts")
	slowest := flag.Int("slowest", 5, "list this many slowest emails before the summary")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the parses to this file")
	memProfile := flag.String("memprofile", "", "write an allocation profile to this file")
	flag.Parse()
	if *passes < 1 {
		return fmt.Errorf("-passes must be at least 1, got %d", *passes)
	}

	files, err := filepath.Glob(filepath.Join(*dir, "*.eml"))
	if err != nil {
		return fmt.Errorf("list %s: %w", *dir, err)
	}
	if len(files) == 0 {
		return fmt.Errorf("no .eml files in %s: pass DIR=folder (make) or -dir folder", *dir)
	}
	slices.Sort(files)

	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return fmt.Errorf("create CPU profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("start CPU profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}

	results := make([]result, 0, len(files))
	for _, path := range files {
		r, err := measure(path, *passes)
		if err != nil {
			return err
		}
		results = append(results, r)
	}

	if *memProfile != "" {
		if err := writeHeapProfile(*memProfile); err != nil {
			return err
		}
	}
	report(os.Stdout, results, *slowest)
	return nil
}

// measure reads one email (no more than the parser accepts, plus one byte so
// an oversized file still reaches Parse and is counted as refused) and times
// its parses.
func measure(path string, passes int) (result, error) {
	f, err := os.Open(path)
	if err != nil {
		return result{}, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return result{}, fmt.Errorf("stat %s: %w", path, err)
	}
	raw := make([]byte, min(st.Size(), email.DefaultMaxBytes+1))
	if _, err := io.ReadFull(f, raw); err != nil {
		return result{}, fmt.Errorf("read %s (%d bytes): %w", path, len(raw), err)
	}
	r := result{name: filepath.Base(path), size: len(raw), took: time.Duration(1<<63 - 1)}
	var before, after runtime.MemStats
	for i := range passes {
		if i == 0 {
			runtime.ReadMemStats(&before)
		}
		start := time.Now()
		m, err := email.Parse(raw)
		if err == nil {
			_ = m.Facts()
		}
		r.took = min(r.took, time.Since(start))
		r.err = err
		if i == 0 {
			runtime.ReadMemStats(&after)
			r.alloc = after.TotalAlloc - before.TotalAlloc
		}
	}
	return r, nil
}

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create allocation profile: %w", err)
	}
	defer f.Close()
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		return fmt.Errorf("write allocation profile: %w", err)
	}
	return nil
}

func report(w io.Writer, results []result, slowest int) {
	times := make([]float64, len(results))
	var sum float64
	failures := 0
	for i, r := range results {
		times[i] = ms(r.took)
		sum += times[i]
		if r.err != nil {
			failures++
			fmt.Fprintf(w, "refused: %s: %v\n", r.name, shortErr(r.err))
		}
	}
	byTime := slices.Clone(results)
	slices.SortFunc(byTime, func(a, b result) int { return cmp.Compare(b.took, a.took) })
	for _, r := range byTime[:min(slowest, len(byTime))] {
		fmt.Fprintf(w, "slow: %s %.2f ms (%.2f MB, %.1f MiB allocated)\n", r.name, ms(r.took), float64(r.size)/1e6, mib(r.alloc))
	}
	most := slices.MaxFunc(results, func(a, b result) int { return cmp.Compare(a.alloc, b.alloc) })
	fmt.Fprintf(w, "most allocated by one email: %.1f MiB, %s (%.2f MB file)\n", mib(most.alloc), most.name, float64(most.size)/1e6)

	slices.Sort(times)
	fmt.Fprintf(w, "parse: %d emails, mean %.2f ms, median %.2f ms, p99 %.2f ms, max %.2f ms, failures %d, peak RSS %.1f MiB\n",
		len(results), sum/float64(len(results)), percentile(times, 50), percentile(times, 99), times[len(times)-1], failures, peakRSS())
}

// percentile is the nearest-rank percentile of sorted values, the same
// definition the Python script uses.
func percentile(sorted []float64, p int) float64 {
	rank := (p*len(sorted) + 99) / 100 // ceil(p/100 * n)
	return sorted[max(rank, 1)-1]
}

// peakRSS is this process's resident set high-water mark in MiB (Linux
// reports ru_maxrss in KiB).
func peakRSS() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024
}

// shortErr keeps a refusal to one readable line.
func shortErr(err error) string {
	s := err.Error()
	return s[:min(len(s), 160)]
}

func ms(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }
func mib(n uint64) float64       { return float64(n) / (1 << 20) }
