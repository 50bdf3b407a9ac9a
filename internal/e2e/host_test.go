package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/pluginrpc"
	"github.com/soarkit/openai-gpt/internal/plugintest"
	"github.com/soarkit/openai-gpt/internal/protocol"
)

// pluginPath is the plugin binary built once for the whole test binary.
var pluginPath string

func TestMain(m *testing.M) {
	if os.Getenv(hostHelperEnv) != "" {
		runHostHelper() // the test binary as a host (hostdeath_test.go)
		return
	}
	plugintest.Main(m, &pluginPath)
}

// memHost is a host kept in memory: incident and integration contexts,
// file entries, datasets and cursors.
type memHost struct {
	mu       sync.Mutex
	contexts map[protocol.Scope]map[string]any
	files    map[string]protocol.File
	events   map[string][]json.RawMessage
	cursors  map[string]json.RawMessage
	onPush   func() // called after a batch is stored (tests kill the plugin here)
}

func newMemHost() *memHost {
	return &memHost{
		contexts: map[protocol.Scope]map[string]any{},
		files:    map[string]protocol.File{},
		events:   map[string][]json.RawMessage{},
		cursors:  map[string]json.RawMessage{},
	}
}

func (h *memHost) GetContext(_ context.Context, _ string, scope protocol.Scope) (map[string]any, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return clone(h.contexts[scope]), nil
}

func (h *memHost) SetContext(_ context.Context, _ string, scope protocol.Scope, doc map[string]any) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.contexts[scope] = clone(doc)
	return nil
}

func (h *memHost) ReadFile(_ context.Context, _, entryID string, maxBytes int64) (protocol.File, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f, ok := h.files[entryID]
	if !ok {
		return protocol.File{}, fmt.Errorf("file entry %s not found", entryID)
	}
	if maxBytes > 0 && int64(len(f.Data)) > maxBytes {
		return protocol.File{}, fmt.Errorf("file entry %s is %d bytes, over the limit of %d", entryID, len(f.Data), maxBytes)
	}
	return f, nil
}

func (h *memHost) PushEvents(_ context.Context, _ string, b protocol.Batch) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events[b.Dataset] = append(h.events[b.Dataset], b.Events...)
	if len(b.Cursor) > 0 && string(b.Cursor) != "null" {
		h.cursors[b.Stream] = b.Cursor
	}
	if h.onPush != nil {
		h.onPush()
	}
	return nil
}

// lastRun is the stored cursor of every stream.
func (h *memHost) lastRun() map[string]json.RawMessage {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := map[string]json.RawMessage{}
	for k, v := range h.cursors {
		out[k] = v
	}
	return out
}

// apply merges a result's outputs into the incident context the way a
// host does (replace, merge by key, or append).
func (h *memHost) apply(res protocol.Result) {
	h.mu.Lock()
	defer h.mu.Unlock()
	doc := h.contexts[protocol.ScopeIncident]
	if doc == nil {
		doc = map[string]any{}
		h.contexts[protocol.ScopeIncident] = doc
	}
	for _, o := range res.Outputs {
		keys := strings.Split(o.Prefix, ".")
		parent := doc
		for _, k := range keys[:len(keys)-1] {
			next, ok := parent[k].(map[string]any)
			if !ok {
				next = map[string]any{}
				parent[k] = next
			}
			parent = next
		}
		last := keys[len(keys)-1]
		items := asList(roundTrip(o.Value))
		if o.ReplaceExisting {
			parent[last] = items
			continue
		}
		existing := asList(parent[last])
	next:
		for _, it := range items {
			if o.KeyField != "" {
				for i, old := range existing {
					if om, ok := old.(map[string]any); ok && om[o.KeyField] == it.(map[string]any)[o.KeyField] {
						existing[i] = it
						continue next
					}
				}
			}
			existing = append(existing, it)
		}
		parent[last] = existing
	}
}

func (h *memHost) incident() map[string]any {
	h.mu.Lock()
	defer h.mu.Unlock()
	return clone(h.contexts[protocol.ScopeIncident])
}

func asList(v any) []any {
	switch t := v.(type) {
	case nil:
		return nil
	case []any:
		return t
	default:
		return []any{t}
	}
}

func roundTrip(v any) any {
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

func clone(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	out, _ := roundTrip(m).(map[string]any)
	return out
}

// launch starts the plugin for one test with a debug-level log captured.
func launch(t testing.TB, host protocol.HostService, env ...string) (*pluginrpc.Session, *plugintest.SyncBuffer) {
	t.Helper()
	logs := &plugintest.SyncBuffer{}
	logger := hclog.New(&hclog.LoggerOptions{Name: "host", Level: hclog.Trace, Output: logs})
	s, err := pluginrpc.Launch(pluginrpc.LaunchConfig{
		Path: pluginPath, Host: host, Logger: logger,
		Env: append([]string{"OPENAI_GPT_LOG_LEVEL=debug"}, env...),
	})
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s, logs
}
