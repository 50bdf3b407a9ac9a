// Package state is the host simulator's persistent state: one SQLite
// database (pure Go, modernc.org/sqlite) in a state directory holding the
// instance parameters, the incident and integration contexts, the war room,
// file entries, the last-run cursor of each event stream and the datasets.
//
// Several host-sim processes may share a directory (a REPL and a scheduled
// fetch, say): the database runs in WAL mode with a busy timeout, and every
// write transaction takes the write lock up front (BEGIN IMMEDIATE) so two
// writers queue instead of failing on a lock upgrade.
package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// FileName is the database's name inside the state directory.
const FileName = "state.db"

// schema creates the tables; every statement is idempotent so Open can run
// it on each start.
const schema = `
CREATE TABLE IF NOT EXISTS params (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS contexts (
	scope TEXT PRIMARY KEY,
	doc   TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS warroom (
	id       INTEGER PRIMARY KEY AUTOINCREMENT,
	at       TEXT NOT NULL,
	command  TEXT NOT NULL,
	type     TEXT NOT NULL,
	format   TEXT NOT NULL,
	contents TEXT NOT NULL,
	human    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS files (
	entry_id INTEGER PRIMARY KEY REFERENCES warroom(id),
	name     TEXT NOT NULL,
	data     BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS cursors (
	stream  TEXT PRIMARY KEY,
	cursor  TEXT NOT NULL CHECK (json_valid(cursor)),
	updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
	dataset TEXT NOT NULL,
	id      TEXT NOT NULL,
	time    TEXT NOT NULL,
	json    TEXT NOT NULL CHECK (json_valid(json))
);
CREATE INDEX IF NOT EXISTS events_by_dataset ON events(dataset);
CREATE TABLE IF NOT EXISTS fetch_holder (
	id    INTEGER PRIMARY KEY CHECK (id = 1),
	pid   INTEGER NOT NULL,
	host  TEXT NOT NULL,
	since TEXT NOT NULL
);
`

// Store is an open state directory. It is safe for concurrent use.
type Store struct {
	dir string
	db  *sql.DB

	// Prepared once: the fetch path runs them for every event.
	insertEvent  *sql.Stmt
	upsertCursor *sql.Stmt
}

// Open opens (creating if needed) the state database in dir.
func Open(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("state: no state directory given")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("state: create the state directory: %w", err)
	}
	path := filepath.Join(dir, FileName)
	// busy_timeout lets concurrent writers wait for each other; WAL lets
	// readers run while a fetch writes; synchronous=NORMAL is durable
	// across process crashes in WAL mode, which is what a simulator needs.
	dsn := "file:" + path +
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("state: open %s: %w", path, err)
	}
	s := &Store{dir: dir, db: db}
	if err := s.init(); err != nil {
		db.Close()
		return nil, fmt.Errorf("state: open %s: %w", path, err)
	}
	return s, nil
}

func (s *Store) init() error {
	if _, err := s.db.Exec(schema); err != nil {
		return fmt.Errorf("create tables: %w", err)
	}
	var err error
	if s.insertEvent, err = s.db.Prepare(`INSERT INTO events(dataset, id, time, json) VALUES (?, ?, ?, ?)`); err != nil {
		return err
	}
	s.upsertCursor, err = s.db.Prepare(`INSERT INTO cursors(stream, cursor, updated) VALUES (?, ?, ?)
		ON CONFLICT(stream) DO UPDATE SET cursor = excluded.cursor, updated = excluded.updated`)
	return err
}

// Dir is the state directory.
func (s *Store) Dir() string { return s.dir }

// Close closes the database.
func (s *Store) Close() error {
	s.insertEvent.Close()
	s.upsertCursor.Close()
	return s.db.Close()
}

// inTx runs fn in one write transaction, committing if fn succeeds.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
