package events

import (
	"encoding/json"
	"fmt"
	"maps"
	"time"
)

// cursorVersion is bumped if a cursor's meaning ever changes; a cursor from
// another version is refused rather than misread.
const cursorVersion = 1

// auditCursor is where the audit stream resumes.
//
// The Admin API lists newest first and pages toward older entries with
// after=<id>; it has no ascending order. So the stream works through a
// window of effective_at, [From, To), whose upper bound is fixed when the
// window opens: new entries arriving meanwhile fall at or after To and wait
// for the next window, so the pages of the window never shift. Inside the
// window, After is the id of the last entry pushed; paging by id (not by
// time) is exact even when many entries share a second at a page boundary.
// When the window is exhausted the next one starts at the old upper bound:
// {From: To}, To == 0 meaning "no window open".
type auditCursor struct {
	V     int    `json:"v"`
	From  int64  `json:"from"`            // effective_at >= From (Unix seconds)
	To    int64  `json:"to,omitempty"`    // effective_at < To; 0 = open a window up to now
	After string `json:"after,omitempty"` // last id pushed in the open window
}

// complianceCursor is where the compliance stream resumes.
//
// Files are listed in ascending end_time and a listing's `after` is
// exclusive, while several files may share one end_time, and a file can be
// published well after its end_time (p99 about 30 minutes): a later listing
// may show a file ending before others already pushed. So the stream lists
// from After, which trails the newest end_time pushed by settleLag, and
// names the files it fully pushed since in Done (id -> end_time), to skip
// them when they are listed again; a file that turns up late is pushed when
// it appears. A file cut short (per-fetch cap, failure) is named in File
// with the number of its records already consumed in Offset, and its next
// download skips them. Seen holds, per event type, hashes of the most
// recent event_ids, to drop the records the platform delivers twice
// (at-least-once) in a later file.
type complianceCursor struct {
	V      int               `json:"v"`
	After  string            `json:"after"`            // RFC 3339; every file with end_time <= After is done or given up
	Done   map[string]string `json:"done,omitempty"`   // files ending after After that are fully pushed: id -> end_time
	File   string            `json:"file,omitempty"`   // file partly pushed
	Offset int               `json:"offset,omitempty"` // records of File already consumed
	Seen   map[string]string `json:"seen,omitempty"`   // event type -> recent event_id hashes (see seenRing)
}

// settleLag is how long after its end_time a log file may still appear in
// the listing and be collected: twice the platform's p99 publishing delay.
const settleLag = time.Hour

// markDone records f as fully pushed and moves After up to settleLag
// before the newest end_time done, forgetting the files it passes.
func (c *complianceCursor) markDone(f logFile) {
	if c.Done == nil {
		c.Done = map[string]string{}
	}
	c.Done[f.ID] = f.EndTime
	end, err := time.Parse(time.RFC3339Nano, f.EndTime)
	if err != nil {
		return // kept in Done; After moves with the next file that parses
	}
	settled := end.Add(-settleLag).UTC().Format(time.RFC3339Nano)
	if !laterTime(settled, c.After) {
		return
	}
	c.After = settled
	for id, e := range c.Done {
		if !laterTime(e, settled) {
			delete(c.Done, id)
		}
	}
}

// snapshot is a copy of c that later changes to c do not touch.
func (c complianceCursor) snapshot() complianceCursor {
	c.Done = maps.Clone(c.Done)
	return c
}

func decodeCursor(stream string, raw json.RawMessage, into any, version *int) error {
	if len(raw) == 0 || string(raw) == "null" || string(raw) == "{}" {
		return nil
	}
	if err := json.Unmarshal(raw, into); err != nil {
		return fmt.Errorf("the saved %s cursor is unreadable (%w): clear the instance's last run to start over from one day back", stream, err)
	}
	if *version != cursorVersion {
		return fmt.Errorf("the saved %s cursor has version %d, this collector reads version %d: clear the instance's last run", stream, *version, cursorVersion)
	}
	return nil
}

func decodeAuditCursor(raw json.RawMessage) (auditCursor, error) {
	var c auditCursor
	err := decodeCursor(StreamAudit, raw, &c, &c.V)
	c.V = cursorVersion
	return c, err
}

func decodeComplianceCursor(raw json.RawMessage) (complianceCursor, error) {
	var c complianceCursor
	err := decodeCursor(StreamCompliance, raw, &c, &c.V)
	c.V = cursorVersion
	if err == nil && c.After != "" {
		if _, perr := time.Parse(time.RFC3339Nano, c.After); perr != nil {
			err = fmt.Errorf("the saved compliance cursor has a bad time %q: clear the instance's last run", c.After)
		}
	}
	return c, err
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain structs are marshalled
	}
	return b
}
