package state

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/soarkit/openai-gpt/internal/protocol"
)

// IncidentID is the one incident the simulator keeps: entry ids read
// "<entry>@1", as XSOAR's "<entry>@<incident>".
const IncidentID = 1

// EntryFile is the war-room entry type of a file entry.
const EntryFile = "file"

// ErrNotFound reports a missing file entry.
var ErrNotFound = errors.New("not found")

// Entry is one stored war-room entry.
type Entry struct {
	ID            string
	At            time.Time
	Command       string // the war-room line that produced it
	Type          string // note, error or file
	Format        string
	Contents      json.RawMessage
	HumanReadable string
}

// EntryID formats a war-room row id as an entry id.
func EntryID(n int64) string { return strconv.FormatInt(n, 10) + "@" + strconv.Itoa(IncidentID) }

// parseEntryID accepts "N@1" (and a bare "N"), returning N.
func parseEntryID(id string) (int64, bool) {
	num, inc, found := strings.Cut(strings.TrimSpace(id), "@")
	if found && inc != strconv.Itoa(IncidentID) {
		return 0, false
	}
	n, err := strconv.ParseInt(num, 10, 64)
	return n, err == nil && n > 0
}

// AppendEntries stores a command's entries in the war room, returning
// their entry ids.
func (s *Store) AppendEntries(ctx context.Context, command string, entries []protocol.Entry) ([]string, error) {
	ids := make([]string, 0, len(entries))
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, e := range entries {
			contents, err := json.Marshal(e.Contents)
			if err != nil {
				return fmt.Errorf("encode entry contents: %w", err)
			}
			id, err := insertEntry(ctx, tx, command, e.Type, e.ContentsFormat, contents, e.HumanReadable)
			if err != nil {
				return err
			}
			ids = append(ids, EntryID(id))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("state: store war-room entries: %w", err)
	}
	return ids, nil
}

func insertEntry(ctx context.Context, tx *sql.Tx, command, typ, format string, contents []byte, human string) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO warroom(at, command, type, format, contents, human) VALUES (?, ?, ?, ?, ?, ?)`,
		time.Now().UTC().Format(time.RFC3339Nano), command, typ, format, string(contents), human)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// WarRoom returns the last limit entries (all when limit ≤ 0), oldest first.
func (s *Store) WarRoom(ctx context.Context, limit int) ([]Entry, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, at, command, type, format, contents, human
		FROM (SELECT * FROM warroom ORDER BY id DESC LIMIT ?) ORDER BY id`, limit)
	if err != nil {
		return nil, fmt.Errorf("state: read the war room: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		var id int64
		var at, contents string
		if err := rows.Scan(&id, &at, &e.Command, &e.Type, &e.Format, &contents, &e.HumanReadable); err != nil {
			return nil, fmt.Errorf("state: read the war room: %w", err)
		}
		e.ID = EntryID(id)
		e.At, _ = time.Parse(time.RFC3339Nano, at)
		e.Contents = json.RawMessage(contents)
		out = append(out, e)
	}
	return out, rows.Err()
}

// AddFile stores a file entry (a war-room entry of type file) and returns
// its entry id, such as "3@1".
func (s *Store) AddFile(ctx context.Context, name string, data []byte) (string, error) {
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		contents, _ := json.Marshal(name)
		var err error
		id, err = insertEntry(ctx, tx, "file add "+name, EntryFile, protocol.FormatText, contents,
			fmt.Sprintf("File %s (%d bytes)", name, len(data)))
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO files(entry_id, name, data) VALUES (?, ?, ?)`, id, name, data)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("state: store file %s: %w", name, err)
	}
	return EntryID(id), nil
}

// FileSize returns a file entry's name and size without reading its data.
// A missing entry is ErrNotFound.
func (s *Store) FileSize(ctx context.Context, entryID string) (string, int64, error) {
	n, ok := parseEntryID(entryID)
	if !ok {
		return "", 0, ErrNotFound
	}
	var name string
	var size int64
	err := s.db.QueryRowContext(ctx, `SELECT name, length(data) FROM files WHERE entry_id = ?`, n).Scan(&name, &size)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, ErrNotFound
	}
	return name, size, err
}

// File returns a file entry's name and bytes. A missing entry is ErrNotFound.
func (s *Store) File(ctx context.Context, entryID string) (string, []byte, error) {
	n, ok := parseEntryID(entryID)
	if !ok {
		return "", nil, ErrNotFound
	}
	var name string
	var data []byte
	err := s.db.QueryRowContext(ctx, `SELECT name, data FROM files WHERE entry_id = ?`, n).Scan(&name, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, ErrNotFound
	}
	return name, data, err
}
