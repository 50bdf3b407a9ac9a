package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/soarkit/openai-gpt/internal/protocol"
)

// progressEvery is how often a long fetch reports on stderr.
const progressEvery = 2 * time.Second

// progress counts events stored per stream during a fetch cycle and, when
// the cycle runs long, reports them on stderr.
type progress struct {
	w      io.Writer
	mu     sync.Mutex
	counts map[string]int
}

func newProgress(w io.Writer) *progress { return &progress{w: w, counts: map[string]int{}} }

// observe is the host's OnPush hook.
func (p *progress) observe(b protocol.Batch) {
	p.mu.Lock()
	p.counts[b.Stream] += len(b.Events)
	p.mu.Unlock()
}

// start resets the counts and reports every progressEvery until the
// returned stop is called; stop returns the number of events stored.
func (p *progress) start() (stop func() int) {
	p.mu.Lock()
	clear(p.counts)
	p.mu.Unlock()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		began := time.Now()
		t := time.NewTicker(progressEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				fmt.Fprintf(p.w, "fetching… %s (%s)\n", p.summary(), time.Since(began).Round(time.Second))
			}
		}
	}()
	return func() int {
		close(done)
		wg.Wait()
		p.mu.Lock()
		defer p.mu.Unlock()
		total := 0
		for _, n := range p.counts {
			total += n
		}
		return total
	}
}

func (p *progress) summary() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.counts) == 0 {
		return "no events yet"
	}
	names := make([]string, 0, len(p.counts))
	for k := range p.counts {
		names = append(names, k)
	}
	slices.Sort(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s %d", n, p.counts[n])
	}
	return strings.Join(parts, ", ") + " events stored"
}
