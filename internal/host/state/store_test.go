package state

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/protocol"
)

func openTest(t testing.TB) *Store {
	t.Helper()
	s, err := Open(t.TempDir())
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func TestParamsRoundTripAndDelete(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	require.NoError(t, s.SetParams(ctx, map[string]string{"url": "http://x", "apikey": "k"}))
	require.NoError(t, s.SetParams(ctx, map[string]string{"apikey": ""}))
	got, err := s.Params(ctx)
	require.NoError(t, err)
	require.Equal(t, map[string]string{"url": "http://x"}, got)
}

func TestContextUpdate(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	doc, err := s.Context(ctx, ScopeIncident)
	require.NoError(t, err)
	require.Empty(t, doc)
	require.NoError(t, s.UpdateContext(ctx, ScopeIncident, func(d map[string]any) error {
		d["A"] = map[string]any{"b": 1}
		return nil
	}))
	doc, err = s.Context(ctx, ScopeIncident)
	require.NoError(t, err)
	require.Equal(t, map[string]any{"A": map[string]any{"b": float64(1)}}, doc)

	// A failing update leaves the document as it was.
	err = s.UpdateContext(ctx, ScopeIncident, func(d map[string]any) error {
		d["A"] = "gone"
		return fmt.Errorf("boom")
	})
	require.ErrorContains(t, err, "boom")
	doc, _ = s.Context(ctx, ScopeIncident)
	require.Equal(t, map[string]any{"A": map[string]any{"b": float64(1)}}, doc)
}

func TestFilesAndWarRoom(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	id, err := s.AddFile(ctx, "mail.eml", []byte("Subject: hi\r\n\r\nbody"))
	require.NoError(t, err)
	require.Equal(t, "1@1", id)

	name, size, err := s.FileSize(ctx, id)
	require.NoError(t, err)
	require.Equal(t, "mail.eml", name)
	require.EqualValues(t, 19, size)
	_, data, err := s.File(ctx, id)
	require.NoError(t, err)
	require.Equal(t, "Subject: hi\r\n\r\nbody", string(data))
	for _, missing := range []string{"9@1", "1@2", "x", ""} {
		_, _, err := s.File(ctx, missing)
		require.ErrorIs(t, err, ErrNotFound, missing)
	}

	ids, err := s.AppendEntries(ctx, "!gpt-list-models", []protocol.Entry{
		{Type: protocol.EntryNote, ContentsFormat: protocol.FormatMarkdown, Contents: "x", HumanReadable: "### Models"},
	})
	require.NoError(t, err)
	require.Equal(t, []string{"2@1"}, ids)
	wr, err := s.WarRoom(ctx, 1)
	require.NoError(t, err)
	require.Len(t, wr, 1)
	require.Equal(t, "### Models", wr[0].HumanReadable)
	require.Equal(t, "!gpt-list-models", wr[0].Command)
}

func batch(stream string, n, from int, cursor string) protocol.Batch {
	b := protocol.Batch{Stream: stream, Dataset: stream + "_raw", Cursor: json.RawMessage(cursor)}
	for i := range n {
		b.Events = append(b.Events, json.RawMessage(fmt.Sprintf(`{"id":"e%d","_time":"2026-01-01T00:00:%02dZ","n":%d}`, from+i, (from+i)%60, from+i)))
	}
	return b
}

func TestPushBatchStoresEventsAndCursor(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	require.NoError(t, s.PushBatch(ctx, batch("audit", 3, 0, `{"after":"e2"}`)))
	require.NoError(t, s.PushBatch(ctx, batch("audit", 2, 3, `null`))) // no cursor: keep the last one

	cur, err := s.Cursors(ctx)
	require.NoError(t, err)
	require.JSONEq(t, `{"after":"e2"}`, string(cur["audit"]))
	n, err := s.CountEvents(ctx, "audit_raw")
	require.NoError(t, err)
	require.Equal(t, 5, n)

	evs, err := s.Events(ctx, "audit_raw", 2)
	require.NoError(t, err)
	require.Len(t, evs, 2)
	require.Equal(t, "e3", evs[0].ID)
	require.Equal(t, "e4", evs[1].ID)
	require.Equal(t, "2026-01-01T00:00:04Z", evs[1].Time)
}

// A batch whose insert fails part-way stores nothing and leaves the
// stream's cursor where it was: the atomicity fetch-events relies on.
func TestPushBatchFailureLeavesCursorUntouched(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	require.NoError(t, s.PushBatch(ctx, batch("audit", 2, 0, `{"after":"e1"}`)))

	bad := batch("audit", 3, 2, `{"after":"e4"}`)
	bad.Events[2] = json.RawMessage(`{"id":"broken"`) // fails the json_valid check after two good inserts
	err := s.PushBatch(ctx, bad)
	require.ErrorContains(t, err, "nothing was stored")

	cur, err := s.Cursors(ctx)
	require.NoError(t, err)
	require.JSONEq(t, `{"after":"e1"}`, string(cur["audit"]))
	n, err := s.CountEvents(ctx, "audit_raw")
	require.NoError(t, err)
	require.Equal(t, 2, n)

	// A cursor that is not JSON fails too, after the events went in.
	badCursor := batch("audit", 2, 2, `{"after":`)
	require.Error(t, s.PushBatch(ctx, badCursor))
	n, _ = s.CountEvents(ctx, "audit_raw")
	require.Equal(t, 2, n)
}

func TestReopenKeepsState(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(dir)
	require.NoError(t, err)
	require.NoError(t, s.PushBatch(ctx, batch("compliance", 1, 0, `{"after":"x"}`)))
	require.NoError(t, s.Close())
	s, err = Open(dir)
	require.NoError(t, err)
	defer s.Close()
	counts, err := s.Datasets(ctx)
	require.NoError(t, err)
	require.Equal(t, map[string]int{"compliance_raw": 1}, counts)
}

// BenchmarkPushBatch measures inserts per second through PushBatch in
// batches of 1000 realistic-sized events (the fetch target is ≥ 50k/s).
func BenchmarkPushBatch(b *testing.B) {
	ctx := context.Background()
	s := openTest(b)
	pad := fmt.Sprintf("%0300d", 0)
	events := make([]json.RawMessage, 1000)
	for i := range events {
		events[i] = json.RawMessage(fmt.Sprintf(`{"id":"evt_%08d","_time":"2026-01-01T00:00:00Z","type":"api_key.created","actor":{"type":"session"},"pad":"%s"}`, i, pad))
	}
	for i := 0; b.Loop(); i++ {
		if err := s.PushBatch(ctx, protocol.Batch{Stream: "audit", Dataset: "audit_raw", Events: events, Cursor: json.RawMessage(fmt.Sprintf(`{"n":%d}`, i))}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(events))/b.Elapsed().Seconds(), "events/s")
}

// TestEventsNewestByTime: the audit stream delivers newest first, so the
// events shown are the most recent by _time, not the last stored.
func TestEventsNewestByTime(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	ev := func(id, ts string) json.RawMessage {
		return json.RawMessage(`{"id":"` + id + `","_time":"` + ts + `"}`)
	}
	require.NoError(t, st.PushBatch(ctx, protocol.Batch{Stream: "audit", Dataset: "d", Events: []json.RawMessage{
		ev("c", "2026-11-25T09:00:03Z"), ev("b", "2026-11-25T09:00:02Z"),
	}}))
	require.NoError(t, st.PushBatch(ctx, protocol.Batch{Stream: "audit", Dataset: "d", Events: []json.RawMessage{
		ev("a", "2026-11-25T09:00:01Z"),
	}}))
	got, err := st.Events(ctx, "d", 2)
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, []string{"b", "c"}, []string{got[0].ID, got[1].ID})

	all, err := st.Events(ctx, "d", 0)
	require.NoError(t, err)
	assert.Len(t, all, 3)
	n, err := st.DistinctEventIDs(ctx, "d")
	require.NoError(t, err)
	assert.Equal(t, 3, n)
}
