// Package ctxmerge merges command outputs into an incident context the way
// a SOAR host does:
//
//   - ReplaceExisting: the value replaces whatever is at the dot path;
//   - KeyField: each item replaces the stored item with the same key value,
//     or is appended;
//   - otherwise items are appended, and the path becomes a list.
//
// Values are normalised through JSON first, so the context holds only what
// encoding/json decodes into any (maps, slices, float64, string, bool, nil)
// and compares the same whether it came from the store or from the plugin.
package ctxmerge

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/soarkit/openai-gpt/internal/protocol"
)

// Apply merges outputs into doc, in order. On error doc may hold the
// outputs before the failing one; callers merge into a copy inside a
// transaction.
func Apply(doc map[string]any, outputs []protocol.Output) error {
	for _, o := range outputs {
		if err := apply(doc, o); err != nil {
			return err
		}
	}
	return nil
}

func apply(doc map[string]any, o protocol.Output) error {
	keys := strings.Split(o.Prefix, ".")
	for _, k := range keys {
		if k == "" {
			return fmt.Errorf("context path %q has an empty segment", o.Prefix)
		}
	}
	value, err := normalise(o.Value)
	if err != nil {
		return fmt.Errorf("context path %s: %w", o.Prefix, err)
	}
	parent := doc
	for i, k := range keys[:len(keys)-1] {
		switch next := parent[k].(type) {
		case map[string]any:
			parent = next
		case nil:
			m := map[string]any{}
			parent[k] = m
			parent = m
		default:
			return fmt.Errorf("context path %s: %s holds a %s, not an object, so nothing can be stored under it",
				o.Prefix, strings.Join(keys[:i+1], "."), kind(next))
		}
	}
	last := keys[len(keys)-1]
	if o.ReplaceExisting {
		parent[last] = value
		return nil
	}
	stored := asList(parent[last])
	for _, item := range asList(value) {
		stored = merge(stored, item, o.KeyField)
	}
	parent[last] = stored
	return nil
}

// merge replaces the first stored item whose keyField equals item's, or
// appends item.
func merge(stored []any, item any, keyField string) []any {
	if keyField != "" {
		if m, ok := item.(map[string]any); ok {
			if key, ok := m[keyField]; ok {
				for i, old := range stored {
					if om, ok := old.(map[string]any); ok && reflect.DeepEqual(om[keyField], key) {
						stored[i] = item
						return stored
					}
				}
			}
		}
	}
	return append(stored, item)
}

// asList views a context value as a list: nothing is empty, a list is
// itself, anything else is a list of one.
func asList(v any) []any {
	switch t := v.(type) {
	case nil:
		return []any{}
	case []any:
		return t
	}
	return []any{v}
}

func normalise(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("the value is not JSON: %w", err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return out, nil
}

func kind(v any) string {
	switch v.(type) {
	case []any:
		return "list"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	}
	return fmt.Sprintf("%T", v)
}
