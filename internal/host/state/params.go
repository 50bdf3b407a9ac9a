package state

import (
	"context"
	"database/sql"
	"fmt"
)

// Params returns the stored instance parameters, as typed by the user.
func (s *Store) Params(ctx context.Context) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, value FROM params`)
	if err != nil {
		return nil, fmt.Errorf("state: read instance params: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("state: read instance params: %w", err)
		}
		out[k] = v
	}
	return out, rows.Err()
}

// SetParams stores parameters in one transaction; an empty value removes
// the parameter (so its default applies again).
func (s *Store) SetParams(ctx context.Context, set map[string]string) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for k, v := range set {
			var err error
			if v == "" {
				_, err = tx.ExecContext(ctx, `DELETE FROM params WHERE name = ?`, k)
			} else {
				_, err = tx.ExecContext(ctx, `INSERT INTO params(name, value) VALUES (?, ?)
					ON CONFLICT(name) DO UPDATE SET value = excluded.value`, k, v)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("state: store instance params: %w", err)
	}
	return nil
}
