package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// LastFile returns the entry id of the file entry added last, or
// ErrNotFound when there is none.
func (s *Store) LastFile(ctx context.Context) (string, error) {
	var n sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT max(entry_id) FROM files`).Scan(&n); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return "", ErrNotFound
		}
		return "", fmt.Errorf("state: find the last file entry: %w", err)
	}
	if !n.Valid {
		return "", ErrNotFound
	}
	return EntryID(n.Int64), nil
}
