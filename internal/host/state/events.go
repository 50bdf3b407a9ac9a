package state

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/tidwall/gjson"

	"github.com/soarkit/openai-gpt/internal/protocol"
)

// Event is one stored dataset event.
type Event struct {
	ID   string
	Time string
	JSON json.RawMessage
}

// Cursors returns the last stored cursor of every stream.
func (s *Store) Cursors(ctx context.Context) (map[string]json.RawMessage, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT stream, cursor FROM cursors`)
	if err != nil {
		return nil, fmt.Errorf("state: read cursors: %w", err)
	}
	defer rows.Close()
	out := map[string]json.RawMessage{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("state: read cursors: %w", err)
		}
		out[k] = json.RawMessage(v)
	}
	return out, rows.Err()
}

// PushBatch stores a batch's events and its stream's cursor in one
// transaction: after an error nothing of the batch is stored and the
// cursor is the one before, so the stream resumes where it was. A batch
// with no cursor (empty or null) stores its events and keeps the cursor.
//
// Each event's id and _time are copied into their own columns so
// `events` can list them without parsing every document.
func (s *Store) PushBatch(ctx context.Context, b protocol.Batch) error {
	if b.Stream == "" || b.Dataset == "" {
		return errors.New("state: a batch needs a stream and a dataset")
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		ins := tx.StmtContext(ctx, s.insertEvent)
		defer ins.Close()
		for i, ev := range b.Events {
			if _, err := ins.ExecContext(ctx, b.Dataset, gjson.GetBytes(ev, "id").String(),
				gjson.GetBytes(ev, "_time").String(), string(ev)); err != nil {
				return fmt.Errorf("event %d of %d: %w", i, len(b.Events), err)
			}
		}
		if len(b.Cursor) == 0 || string(b.Cursor) == "null" {
			return nil
		}
		up := tx.StmtContext(ctx, s.upsertCursor)
		defer up.Close()
		if _, err := up.ExecContext(ctx, b.Stream, string(b.Cursor), time.Now().UTC().Format(time.RFC3339)); err != nil {
			return fmt.Errorf("cursor: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("state: store a batch of %d events for stream %s (nothing was stored): %w", len(b.Events), b.Stream, err)
	}
	return nil
}

// Events returns the limit most recent events of dataset by _time (all
// when limit ≤ 0), oldest first. Arrival order would not do: the audit
// stream delivers newest first, so the last stored are the oldest.
func (s *Store) Events(ctx context.Context, dataset string, limit int) ([]Event, error) {
	if limit <= 0 {
		limit = -1
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, time, json FROM
		(SELECT rowid, id, time, json FROM events WHERE dataset = ? ORDER BY time DESC, rowid DESC LIMIT ?)
		ORDER BY time, rowid`, dataset, limit)
	if err != nil {
		return nil, fmt.Errorf("state: read dataset %s: %w", dataset, err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var doc string
		if err := rows.Scan(&e.ID, &e.Time, &doc); err != nil {
			return nil, fmt.Errorf("state: read dataset %s: %w", dataset, err)
		}
		e.JSON = json.RawMessage(doc)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Datasets returns the number of events in each dataset.
func (s *Store) Datasets(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT dataset, count(*) FROM events GROUP BY dataset`)
	if err != nil {
		return nil, fmt.Errorf("state: count events: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, fmt.Errorf("state: count events: %w", err)
		}
		out[k] = n
	}
	return out, rows.Err()
}

// CountEvents returns the number of events in dataset.
func (s *Store) CountEvents(ctx context.Context, dataset string) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE dataset = ?`, dataset).Scan(&n); err != nil {
		return 0, fmt.Errorf("state: count events in %s: %w", dataset, err)
	}
	return n, nil
}

// DistinctEventIDs returns the number of different ids in dataset: equal
// to CountEvents when no event was stored twice.
func (s *Store) DistinctEventIDs(ctx context.Context, dataset string) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(DISTINCT id) FROM events WHERE dataset = ?`, dataset).Scan(&n); err != nil {
		return 0, fmt.Errorf("state: count ids in %s: %w", dataset, err)
	}
	return n, nil
}
