package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// ErrFetchRunning means another fetch of this instance holds the fetch lock.
var ErrFetchRunning = errors.New("a fetch is already running for this instance")

// FetchLockName is the file in the state directory whose SQLite write lock
// marks a running fetch.
const FetchLockName = "fetch.lock"

// sqliteBusy is SQLITE_BUSY, the primary result code of a lock held
// elsewhere.
const sqliteBusy = 5

// FetchLock is a held fetch lock; Release it when the fetch is over.
type FetchLock struct {
	s    *Store
	db   *sql.DB
	conn *sql.Conn
	tx   *sql.Tx
}

// LockFetch takes the instance's fetch lock, or fails at once with
// ErrFetchRunning (naming the holder) when another fetch holds it: two
// fetches from the same cursors would store the same events twice.
//
// The lock is SQLite's own: an exclusive transaction held open on a small
// database beside the state. SQLite locks through the operating system
// (POSIX advisory locks on Unix, LockFileEx on Windows), so the lock holds
// across processes and dies with its holder: a fetch killed with SIGKILL
// blocks nothing, with no lease to expire and no clock to trust. The state
// database itself cannot carry it: the fetch writes there meanwhile.
func (s *Store) LockFetch(ctx context.Context) (*FetchLock, error) {
	path := filepath.Join(s.dir, FetchLockName)
	// _txlock=exclusive: BEGIN takes the exclusive lock up front.
	// busy_timeout(200): a lock held by a running fetch answers SQLITE_BUSY
	// after 200 ms instead of waiting for it. Not 0: two fetches starting at
	// the same instant both hold SQLite's shared lock on the way to the
	// exclusive one, and with no busy handler each fails on the other's
	// shared lock, so both would be refused and neither run; with one, the
	// loser lets go and the winner takes the lock.
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(200)&_txlock=exclusive")
	if err != nil {
		return nil, fmt.Errorf("state: open the fetch lock %s: %w", path, err)
	}
	l := &FetchLock{s: s, db: db}
	if l.conn, err = db.Conn(ctx); err == nil {
		l.tx, err = l.conn.BeginTx(ctx, nil)
	}
	if err != nil {
		l.close()
		if isBusy(err) {
			return nil, fmt.Errorf("%w%s; wait for it to finish or stop it, then fetch again", ErrFetchRunning, s.fetchHolder(ctx))
		}
		return nil, fmt.Errorf("state: take the fetch lock %s: %w", path, err)
	}
	// Who holds the lock, for the message of a fetch refused meanwhile.
	host, _ := os.Hostname()
	_, err = s.db.ExecContext(ctx, `INSERT INTO fetch_holder(id, pid, host, since) VALUES (1, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET pid = excluded.pid, host = excluded.host, since = excluded.since`,
		os.Getpid(), host, time.Now().UTC().Format(time.RFC3339))
	if err != nil {
		l.close()
		return nil, fmt.Errorf("state: record the fetch lock's holder: %w", err)
	}
	return l, nil
}

// Release gives the fetch lock up.
func (l *FetchLock) Release() {
	// Best effort and uncancelled: a stale holder row is only shown while
	// the lock is held, by its next holder's own row.
	_, _ = l.s.db.ExecContext(context.Background(), `DELETE FROM fetch_holder WHERE id = 1 AND pid = ?`, os.Getpid())
	l.close()
}

func (l *FetchLock) close() {
	if l.tx != nil {
		_ = l.tx.Rollback()
	}
	if l.conn != nil {
		_ = l.conn.Close()
	}
	_ = l.db.Close()
}

// fetchHolder describes the lock's holder, as it recorded itself.
func (s *Store) fetchHolder(ctx context.Context) string {
	var pid int
	var host, since string
	err := s.db.QueryRowContext(ctx, `SELECT pid, host, since FROM fetch_holder WHERE id = 1`).Scan(&pid, &host, &since)
	if err != nil {
		return ""
	}
	return fmt.Sprintf(" (process %d on %s, since %s)", pid, host, since)
}

// isBusy reports whether err is SQLite's SQLITE_BUSY (extended codes keep
// the primary code in their low byte).
func isBusy(err error) bool {
	var coded interface{ Code() int }
	return errors.As(err, &coded) && coded.Code()&0xff == sqliteBusy
}
