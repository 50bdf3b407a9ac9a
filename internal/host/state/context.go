package state

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// Context scopes as stored; they match protocol.Scope values.
const (
	ScopeIncident    = "incident"
	ScopeIntegration = "integration"
)

// Context returns the context document of scope, or an empty map.
func (s *Store) Context(ctx context.Context, scope string) (map[string]any, error) {
	doc, err := readContext(ctx, s.db, scope)
	if err != nil {
		return nil, fmt.Errorf("state: read the %s context: %w", scope, err)
	}
	return doc, nil
}

// SetContext replaces the context document of scope.
func (s *Store) SetContext(ctx context.Context, scope string, doc map[string]any) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error { return writeContext(ctx, tx, scope, doc) })
	if err != nil {
		return fmt.Errorf("state: store the %s context: %w", scope, err)
	}
	return nil
}

// UpdateContext reads the context document of scope, lets fn change it and
// stores the result, all in one transaction, so concurrent updates from
// two processes do not lose each other's writes.
func (s *Store) UpdateContext(ctx context.Context, scope string, fn func(doc map[string]any) error) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		doc, err := readContext(ctx, tx, scope)
		if err != nil {
			return err
		}
		if err := fn(doc); err != nil {
			return err
		}
		return writeContext(ctx, tx, scope, doc)
	})
	if err != nil {
		return fmt.Errorf("state: update the %s context: %w", scope, err)
	}
	return nil
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func readContext(ctx context.Context, q queryer, scope string) (map[string]any, error) {
	var raw string
	err := q.QueryRowContext(ctx, `SELECT doc FROM contexts WHERE scope = ?`, scope).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return map[string]any{}, nil
	}
	if err != nil {
		return nil, err
	}
	doc := map[string]any{}
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		return nil, fmt.Errorf("stored document is not a JSON object: %w", err)
	}
	return doc, nil
}

func writeContext(ctx context.Context, tx *sql.Tx, scope string, doc map[string]any) error {
	if doc == nil {
		doc = map[string]any{}
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("encode the document: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO contexts(scope, doc) VALUES (?, ?)
		ON CONFLICT(scope) DO UPDATE SET doc = excluded.doc`, scope, string(b))
	return err
}
