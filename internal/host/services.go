package host

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/soarkit/openai-gpt/internal/host/state"
	"github.com/soarkit/openai-gpt/internal/protocol"
)

// services answers the plugin's callbacks from the store.
type services struct{ h *Host }

// Services is the protocol.HostService the plugin calls back into.
func (h *Host) Services() protocol.HostService { return services{h} }

func checkScope(scope protocol.Scope) error {
	switch scope {
	case protocol.ScopeIncident, protocol.ScopeIntegration:
		return nil
	}
	return fmt.Errorf("unknown context scope %q; use incident or integration", scope)
}

func (s services) GetContext(ctx context.Context, _ string, scope protocol.Scope) (map[string]any, error) {
	if err := checkScope(scope); err != nil {
		return nil, err
	}
	return s.h.cfg.Store.Context(ctx, string(scope))
}

func (s services) SetContext(ctx context.Context, _ string, scope protocol.Scope, doc map[string]any) error {
	if err := checkScope(scope); err != nil {
		return err
	}
	return s.h.cfg.Store.SetContext(ctx, string(scope), doc)
}

// ReadFile refuses an entry larger than maxBytes (when positive) before
// reading it, so a huge attachment never travels.
func (s services) ReadFile(ctx context.Context, _ string, entryID string, maxBytes int64) (protocol.File, error) {
	_, size, err := s.h.cfg.Store.FileSize(ctx, entryID)
	if errors.Is(err, state.ErrNotFound) {
		return protocol.File{}, fmt.Errorf("file entry %s not found", entryID)
	}
	if err != nil {
		return protocol.File{}, err
	}
	if maxBytes > 0 && size > maxBytes {
		return protocol.File{}, fmt.Errorf("file entry %s is %d bytes, over the limit of %d", entryID, size, maxBytes)
	}
	name, data, err := s.h.cfg.Store.File(ctx, entryID)
	if errors.Is(err, state.ErrNotFound) {
		return protocol.File{}, fmt.Errorf("file entry %s not found", entryID)
	}
	if err != nil {
		return protocol.File{}, err
	}
	return protocol.File{Name: name, Data: data}, nil
}

// PushEvents checks the batch and stores it with its cursor atomically,
// while the call it belongs to is live (see liveCalls).
// A batch that reached the host is committed even if the call is being
// cancelled (context.WithoutCancel): stopping a fetch then finishes the
// batch in flight instead of leaving the plugin unsure whether it landed.
func (s services) PushEvents(ctx context.Context, callID string, b protocol.Batch) error {
	if err := s.checkBatch(b); err != nil {
		return err
	}
	done, err := s.h.live.admit(callID)
	if err != nil {
		return err
	}
	defer done()
	if err := s.h.cfg.Store.PushBatch(context.WithoutCancel(ctx), b); err != nil {
		return err
	}
	if s.h.cfg.OnPush != nil {
		s.h.cfg.OnPush(b)
	}
	return nil
}

// checkBatch is schemas/batch.json checked by hand: the schema validator
// would convert every event to a Go value, which costs more than storing
// it. The dataset must be one the manifest declares.
func (s services) checkBatch(b protocol.Batch) error {
	if datasets := s.h.manifest.Datasets(); !slices.Contains(datasets, b.Dataset) {
		return fmt.Errorf("batch.dataset: %q is not a dataset of this integration (it declares %v)", b.Dataset, datasets)
	}
	if b.Stream == "" {
		return errors.New("batch.stream: missing")
	}
	if strings.TrimFunc(b.Stream, isStreamRune) != "" {
		return fmt.Errorf("batch.stream: %q is not a stream id (lower-case letters, digits, _ and -)", b.Stream)
	}
	for i, ev := range b.Events {
		if t := bytes.TrimLeft(ev, " \t\r\n"); len(t) == 0 || t[0] != '{' {
			return fmt.Errorf("batch.events[%d]: expected an object", i)
		}
	}
	if c := bytes.TrimSpace(b.Cursor); len(c) > 0 && string(c) != "null" && c[0] != '{' {
		return errors.New("batch.cursor: expected an object or null")
	}
	return nil
}

// isStreamRune reports whether r may appear in a stream id (see
// schemas/batch.json).
func isStreamRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-'
}
