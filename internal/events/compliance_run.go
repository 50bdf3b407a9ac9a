package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// runComplianceSince is runCompliance that also drops every record whose
// own time (the enriched _time) is before notBefore, unless notBefore is
// zero. The listing only filters files by end_time, and a file ending
// after the start may hold older records (its window began earlier, or it
// repeats records of an earlier file: delivery is at-least-once).
// openai-get-events uses it so start_time holds for every record; the
// scheduled fetch does not, its cursor decides what comes next.
func runComplianceSince(ctx context.Context, cfg Config, last json.RawMessage, max int, start, notBefore time.Time, out *pusher) error {
	cur, err := decodeComplianceCursor(last)
	if err != nil {
		return err
	}
	if cur.After == "" {
		cur.After = start.UTC().Format(time.RFC3339Nano)
	}
	client, err := newComplianceClient(cfg)
	if err != nil {
		return err
	}
	r := &complianceRun{ctx: ctx, client: client, workspaceID: cfg.WorkspaceID, out: out,
		max: max, notBefore: notBefore, cur: cur, seen: newSeenByType(cur.Seen)}
	return r.finish(r.run())
}

// complianceRun is one pass of the compliance stream: the cursor as it
// moves, the records waiting to be pushed with it, and the records that
// did not parse.
type complianceRun struct {
	ctx         context.Context
	client      *complianceClient
	workspaceID string
	out         *pusher
	max         int       // records to push at most
	notBefore   time.Time // drop records stamped before it; zero keeps all

	cur          complianceCursor
	seen         seenByType
	pending      []json.RawMessage
	pendingBytes int
	dirty        bool // the cursor moved since the last push
	malformed    int
	firstBad     string
	// spread is how many files of the current file's type a repeat may
	// be apart from its first delivery: two, or the files of its type
	// sharing its end_time on the listing page.
	spread int
}

// run works through the listing, file by file, until the per-fetch cap or
// the end of the listing. Pages and files are fetched ahead (prefetcher)
// and read in listing order.
func (r *complianceRun) run() error {
	p := startPrefetch(r.ctx, r.client, r.cur.After, r.cur.Done, r.budget())
	defer p.stop()
	for {
		it := p.next()
		if it == nil {
			return r.ctx.Err() // the end of the listing, or the cycle's end
		}
		if it.err != nil {
			return it.err
		}
		r.spread = max(2, it.group)
		full, ended, records, err := r.readFile(it.f, it.body)
		it.body.Close()
		if err != nil {
			return err
		}
		if ended {
			r.cur.markDone(it.f)
			r.cur.File, r.cur.Offset, r.dirty = "", 0, true
		}
		if full {
			return nil // before taken: nothing more is fetched ahead
		}
		p.taken(it, records, r.budget())
	}
}

// budget is how many more records this run may push.
func (r *complianceRun) budget() int { return r.max - r.out.count - len(r.pending) }

// readFile takes f's records from body after those an earlier pass
// consumed. full reports that the per-fetch cap was reached inside it,
// ended that every record of the file is taken (a cap reached on its last
// record included: the next cycle need not download it again, which at
// the rate limit can cost a whole window), records how many records it
// read.
func (r *complianceRun) readFile(f logFile, body io.Reader) (full, ended bool, records int, err error) {
	skip := 0
	if r.cur.File == f.ID {
		skip = r.cur.Offset
	}
	sc := newRecordScanner(body)
	for n := 1; ; n++ {
		rec, complete, err := sc.next()
		if errors.Is(err, io.EOF) {
			return false, true, n - 1, nil
		}
		if err != nil {
			return false, false, n - 1, fmt.Errorf("read log file %s: %w", f.ID, err)
		}
		if n <= skip {
			continue
		}
		r.cur.File, r.cur.Offset, r.dirty = f.ID, n, true
		full, err := r.take(rec, complete, f, n)
		if err != nil {
			return false, false, n, err
		}
		if full {
			_, _, err := sc.next()
			return true, errors.Is(err, io.EOF), n, nil
		}
	}
}

// take queues record n of f, enriched, unless it is a repeat or before
// notBefore, and pushes the queue when it makes a batch; full reports
// that the per-fetch cap is reached. A record that does not parse is
// pushed raw and counted, never dropped.
func (r *complianceRun) take(rec []byte, complete bool, f logFile, n int) (full bool, err error) {
	ev, id, perr := complianceEvent(rec, complete, f, n, r.workspaceID)
	if perr != nil {
		r.malformed++
		if r.firstBad == "" {
			r.firstBad = fmt.Sprintf("file %s record %d (%v)", f.ID, n, perr)
		}
	} else if r.seen.ring(f.EventType).has(id) {
		return false, nil // delivered again: at-least-once
	}
	// A repeat comes in the next file of its type, and files sharing an
	// end_time are listed in no defined order: it may come before its
	// first delivery with the rest of that group in between. The ring
	// holds spread files of this size.
	r.seen.ring(f.EventType).reserve(r.spread*n + 64)
	r.seen.ring(f.EventType).add(id)
	if !r.notBefore.IsZero() && stampedBefore(ev, r.notBefore) {
		return false, nil
	}
	r.pending = append(r.pending, ev)
	r.pendingBytes += len(ev)
	if r.out.count+len(r.pending) >= r.max {
		return true, nil
	}
	if len(r.pending) >= complianceBatch || r.pendingBytes >= complianceBatchBytes {
		return false, r.flush()
	}
	return false, nil
}

// flush pushes the queued records with the cursor that follows them.
func (r *complianceRun) flush() error {
	if len(r.pending) == 0 && !r.dirty {
		return nil
	}
	snap := r.cur.snapshot()
	snap.Seen = r.seen.encode()
	if err := r.out.push(r.ctx, r.pending, mustJSON(snap)); err != nil {
		return err
	}
	r.pending, r.pendingBytes, r.dirty = r.pending[:0], 0, false
	return nil
}

// finish pushes what is queued, and reports the error that stopped the
// run or the records that did not parse.
func (r *complianceRun) finish(stop error) error {
	if err := r.flush(); err != nil {
		return errors.Join(stop, err)
	}
	if stop == nil && r.malformed > 0 {
		return fmt.Errorf("%d compliance record(s) did not parse as JSON and were pushed raw (field _raw, with _parse_error), first at %s", r.malformed, r.firstBad)
	}
	return stop
}
