package events

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
)

// downloadsAhead bounds the log files downloaded ahead of the one being
// read: in flight or waiting, each held in memory up to spoolThreshold
// (larger ones wait in a temporary file). With 80 ms of latency a file
// costs two round trips (redirect, signed GET); four at once keep the
// platform's request budget busy while records are pushed in order.
const downloadsAhead = 4

// fetched is one log file of the listing, in listing order, and its
// download (body or err) once done is closed. A listing error comes as
// an item with err and no file.
type fetched struct {
	f     logFile
	group int // files of f's type in its page sharing its end_time, f included
	body  io.ReadCloser
	err   error
	done  chan struct{}
}

// prefetcher lists pages (one ahead) and downloads files (downloadsAhead
// ahead) while the run reads the files in listing order, so the cursor
// moves exactly as it would one file at a time: records are pushed in
// order, and a failure stops the run after the files before it.
type prefetcher struct {
	ctx    context.Context
	cancel context.CancelFunc
	client *complianceClient
	files  chan *fetched  // in listing order
	slots  chan struct{}  // one per file fetched ahead and not yet read
	read   chan struct{}  // a file was read (the estimate moved)
	wg     sync.WaitGroup // every goroutine started

	// budget is how many more records the run may push. Files are not
	// fetched ahead of what it is estimated to need (recordBytes: the
	// fewest bytes per record of the files read, so that the estimate errs
	// towards more records a file), so a per-fetch cap does not spend
	// rate-limited requests on files the run will not read.
	budget      atomic.Int64
	recordBytes atomic.Int64
	aheadBytes  atomic.Int64 // listed sizes of the files fetched, not yet read
	aheadFiles  atomic.Int64 // and their number
}

// pageOrErr is one listing page, or the error that ends the listing.
type pageOrErr struct {
	page logsPage
	err  error
}

// startPrefetch lists from after and fetches the files not in done, for
// a run that may push budget more records. Call stop when done.
func startPrefetch(ctx context.Context, client *complianceClient, after string, done map[string]string, budget int) *prefetcher {
	ctx, cancel := context.WithCancel(ctx)
	p := &prefetcher{ctx: ctx, cancel: cancel, client: client,
		files: make(chan *fetched, downloadsAhead), slots: make(chan struct{}, downloadsAhead),
		read: make(chan struct{}, 1)}
	p.budget.Store(int64(budget))
	skip := make(map[string]bool, len(done))
	for id := range done {
		skip[id] = true // a copy: the run updates done as it reads
	}
	pages := make(chan pageOrErr, 1)
	p.wg.Add(2)
	go p.listPages(after, pages)
	go p.schedule(pages, skip)
	return p
}

// listPages sends the listing page by page, a page ahead of schedule.
func (p *prefetcher) listPages(after string, pages chan<- pageOrErr) {
	defer p.wg.Done()
	defer close(pages)
	send := func(x pageOrErr) bool {
		select {
		case pages <- x:
			return true
		case <-p.ctx.Done():
			return false
		}
	}
	defer func() {
		if r := recover(); r != nil {
			send(pageOrErr{err: internalError("listing compliance logs", r)})
		}
	}()
	for {
		page, err := p.client.list(p.ctx, after, listPageSize)
		if err != nil {
			send(pageOrErr{err: err})
			return
		}
		if !send(pageOrErr{page: page}) || !page.HasMore || len(page.Data) == 0 {
			return
		}
		next := nextAfter(page)
		if !laterTime(next, after) {
			send(pageOrErr{err: fmt.Errorf("the compliance listing after %s said has_more but did not move past it (last end_time %s); stopping this cycle", after, next)})
			return
		}
		after = next
	}
}

// schedule starts the download of each file not done yet, in listing
// order, and queues it for the reader; a listing error is queued after
// the files listed before it.
func (p *prefetcher) schedule(pages <-chan pageOrErr, skip map[string]bool) {
	defer p.wg.Done()
	defer close(p.files)
	defer func() {
		if r := recover(); r != nil {
			it := &fetched{err: internalError("scheduling compliance log downloads", r), done: make(chan struct{})}
			close(it.done)
			p.queue(it)
		}
	}()
	for pe := range pages {
		if pe.err != nil {
			it := &fetched{err: pe.err, done: make(chan struct{})}
			close(it.done)
			p.queue(it)
			return
		}
		groups := map[[2]string]int{}
		for _, f := range pe.page.Data {
			groups[[2]string{f.EventType, f.EndTime}]++
		}
		for _, f := range pe.page.Data {
			if skip[f.ID] {
				continue // done earlier, or listed again (the next page starts a group back)
			}
			skip[f.ID] = true
			if !p.reserve(f) {
				return
			}
			it := &fetched{f: f, group: groups[[2]string{f.EventType, f.EndTime}], done: make(chan struct{})}
			p.wg.Add(1)
			go func() {
				defer p.wg.Done()
				defer close(it.done)
				it.err = recovering("downloading compliance log file "+f.ID, func() (err error) {
					it.body, err = p.client.download(p.ctx, f)
					return err
				})
			}()
			if !p.queue(it) {
				return
			}
		}
	}
}

// queue hands it to the reader, or releases it when the run has stopped.
func (p *prefetcher) queue(it *fetched) bool {
	select {
	case p.files <- it:
		return true
	case <-p.ctx.Done():
		release(it)
		return false
	}
}

// release waits for it's download and frees its body (a temporary file
// when large).
func release(it *fetched) {
	<-it.done
	if it.body != nil {
		it.body.Close()
	}
}

// reserve takes a download slot for f, first waiting for the reader while
// the files ahead already hold about the records the run may still push.
func (p *prefetcher) reserve(f logFile) bool {
	for p.enoughAhead() {
		select {
		case <-p.read:
		case <-p.ctx.Done():
			return false
		}
	}
	if p.wouldSplit(f) {
		return false
	}
	select {
	case p.slots <- struct{}{}:
		p.aheadBytes.Add(max(f.FileSize, 0))
		p.aheadFiles.Add(1)
		return true
	case <-p.ctx.Done():
		return false
	}
}

// enoughAhead reports whether the files fetched ahead are estimated to
// hold the records the run may still push. Until a file is read there is
// no estimate, and one file ahead is enough: a small cap (get-events
// with limit 7) costs one download, not downloadsAhead.
func (p *prefetcher) enoughAhead() bool {
	per, ahead, files := p.recordBytes.Load(), p.aheadBytes.Load(), p.aheadFiles.Load()
	if per == 0 {
		return files > 0
	}
	return ahead > 0 && ahead/per >= p.budget.Load()
}

// splitMargin (splitMargin/2) scales a file's estimated records before wouldSplit weighs
// them: the estimate comes from the files read so far, often one file of
// another event type, and record sizes differ by type (683 to 796 bytes a
// record in the fake's files). With half again as many, a cycle stops
// inside a file only when that file's records are a third smaller than
// any read before; the cost is a cycle ending up to half a file early.
const splitMargin = 3

// wouldSplit reports whether f is estimated to hold more records than the
// run may push after the files ahead of it. The run then ends before f
// instead of stopping inside it: a file split between two cycles is
// downloaded again by the second, one more request on the rate-limited
// route each cycle, and a backlog drained in large cycles pays for those
// in whole windows (1,010 requests for 999 files: eleven windows instead
// of ten). Until a file is read there is no estimate and no refusal, so a
// run always reads its first file, split or not: a cap smaller than one
// file still moves.
func (p *prefetcher) wouldSplit(f logFile) bool {
	per := p.recordBytes.Load()
	if per == 0 || f.FileSize <= 0 {
		return false
	}
	room := p.budget.Load() - p.aheadBytes.Load()/per
	return f.FileSize/per*splitMargin/2 > room
}

// next is the next file in listing order, its download done, or nil at
// the end of the listing or when ctx ends. The caller closes its body
// and calls taken.
func (p *prefetcher) next() *fetched {
	select {
	case it, ok := <-p.files:
		if !ok {
			return nil
		}
		<-it.done // a download ends with the context too
		return it
	case <-p.ctx.Done():
		return nil
	}
}

// taken frees the slot of a file read: its records and size update the
// estimate; budget is how many records the run may still push.
func (p *prefetcher) taken(it *fetched, records, budget int) {
	p.aheadFiles.Add(-1)
	if it.f.FileSize > 0 {
		p.aheadBytes.Add(-it.f.FileSize)
		if records > 0 {
			per := max(1, it.f.FileSize/int64(records))
			if old := p.recordBytes.Load(); old == 0 || per < old {
				p.recordBytes.Store(per) // only this goroutine stores it
			}
		}
	}
	p.budget.Store(int64(budget))
	<-p.slots
	select {
	case p.read <- struct{}{}:
	default:
	}
}

// stop cancels what is in flight and releases every file fetched ahead
// and not read.
func (p *prefetcher) stop() {
	p.cancel()
	for it := range p.files {
		release(it)
	}
	p.wg.Wait()
}
