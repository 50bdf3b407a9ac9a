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
	parent[last] = mergeList(asList(parent[last]), asList(value), o.KeyField, new(int))
	return nil
}

// mergeList merges items into stored: each keyed item replaces the first
// stored item with the same key value, or is appended (and later items may
// replace it); anything else is appended. The stored keys are indexed once,
// so a merge costs O(len(stored)+len(items)) key probes (counted in
// probes): comparing every item with every stored one took minutes and
// gigabytes for the 200k events of one openai-get-events.
func mergeList(stored, items []any, keyField string, probes *int) []any {
	if keyField == "" || len(items) == 0 {
		return append(stored, items...)
	}
	first := make(map[any]int, len(stored)+len(items)) // key → index of its first holder
	for i, old := range stored {
		if k, ok := keyOf(old, keyField); ok {
			*probes++
			if _, seen := first[k]; !seen {
				first[k] = i
			}
		}
	}
	for _, item := range items {
		if k, ok := keyOf(item, keyField); ok {
			*probes++
			if i, seen := first[k]; seen {
				stored[i] = item
				continue
			}
			first[k] = len(stored)
		}
		stored = append(stored, item)
	}
	return stored
}

// jsonKey is a key value that is an object or a list, by its JSON text
// (encoding/json sorts object keys), kept apart from string keys by type.
type jsonKey string

// keyOf is the map key of v's keyField: the value itself when it is a
// JSON scalar (string, float64, bool, nil: comparable, and of distinct
// types, so "1" and 1 stay apart, as reflect.DeepEqual kept them), its
// JSON text otherwise.
func keyOf(v any, keyField string) (any, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	k, ok := m[keyField]
	if !ok {
		return nil, false
	}
	switch k.(type) {
	case string, float64, bool, nil:
		return k, true
	}
	b, err := json.Marshal(k)
	if err != nil {
		return nil, false
	}
	return jsonKey(b), true
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
