package ctxmerge

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

func keyed(from, to int) []any {
	out := make([]any, 0, to-from)
	for i := from; i < to; i++ {
		out = append(out, map[string]any{"id": fmt.Sprintf("ev-%d", i), "n": float64(i)})
	}
	return out
}

// TestMergeIsLinear: merging n keyed items into a list of n (half of them
// replacing stored ones) costs O(n) key probes, not O(n²): 200k events
// from openai-get-events used 2.7 GiB and minutes in the quadratic merge.
func TestMergeIsLinear(t *testing.T) {
	for _, n := range []int{1000, 200000} {
		var probes int
		got := mergeList(keyed(0, n), keyed(n/2, n/2+n), "id", &probes)
		t.Logf("n=%d: %d probes", n, probes)
		require.LessOrEqual(t, probes, 4*n, "probes for n=%d", n)
		require.Len(t, got, n+n/2)
		require.Equal(t, map[string]any{"id": "ev-0", "n": 0.0}, got[0])
		require.Equal(t, fmt.Sprintf("ev-%d", n/2+n-1), got[len(got)-1].(map[string]any)["id"])
	}
}

// TestMergeKeepsFirstMatchSemantics: the first stored item with the key is
// replaced, later duplicates stay; an item without the key, or not an
// object, is appended; keys compare as normalised JSON values.
func TestMergeKeepsFirstMatchSemantics(t *testing.T) {
	var probes int
	stored := []any{
		map[string]any{"id": "a", "v": 1.0}, map[string]any{"id": "a", "v": 2.0},
		"scalar", map[string]any{"id": 1.0, "v": 3.0}, map[string]any{"id": map[string]any{"x": 1.0}, "v": 4.0},
	}
	items := []any{
		map[string]any{"id": "a", "v": 9.0}, map[string]any{"id": 1.0, "v": 8.0},
		map[string]any{"id": map[string]any{"x": 1.0}, "v": 7.0}, map[string]any{"v": 6.0},
		map[string]any{"id": "new", "v": 5.0}, map[string]any{"id": "new", "v": 4.5}, "scalar",
	}
	got := mergeList(stored, items, "id", &probes)
	require.Equal(t, []any{
		map[string]any{"id": "a", "v": 9.0}, map[string]any{"id": "a", "v": 2.0},
		"scalar", map[string]any{"id": 1.0, "v": 8.0}, map[string]any{"id": map[string]any{"x": 1.0}, "v": 7.0},
		map[string]any{"v": 6.0}, map[string]any{"id": "new", "v": 4.5}, "scalar",
	}, got)
}
