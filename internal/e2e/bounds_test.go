package e2e

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/protocol"
)

// pluginMemoryCap is the plugin's stated bound for one answer, whatever
// the server sends: peak resident memory of the whole process.
const pluginMemoryCap = 256 << 20

// peakRSS is a process's VmHWM in bytes (Linux).
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc here: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			require.NoError(t, err)
			return kb << 10
		}
	}
	t.Skip("no VmHWM in /proc status")
	return 0
}

// TestHugeAnswerBoundedInThePlugin: a 60 MB chat answer (streamed, no
// length announced) becomes an error entry naming the cap, and the plugin
// process stays under pluginMemoryCap.
func TestHugeAnswerBoundedInThePlugin(t *testing.T) {
	const size = 60 << 20
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id":"c1","object":"chat.completion","model":"gpt-4o-mini","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"`))
		chunk := []byte(strings.Repeat("a", 64<<10))
		for sent := 0; sent < size; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
		w.Write([]byte(`"}}]}`))
	}))
	t.Cleanup(srv.Close)
	s, _ := launch(t, newMemHost())
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	start := time.Now()
	res, err := s.Execute(ctx, "huge-1", protocol.ExecuteRequest{
		Command: "gpt-send-message", Args: map[string]any{"message": "hi"},
		Params: map[string]any{"url": srv.URL, "apikey": "sk-e2e-bounds-0123456789"},
	})
	elapsed := time.Since(start)
	require.NoError(t, err)
	rss := peakRSS(t, s.Pid())
	t.Logf("60 MiB answer: error entry after %v; plugin peak RSS %.1f MiB (cap %d MiB)", elapsed, float64(rss)/(1<<20), pluginMemoryCap>>20)
	require.True(t, res.Failed(), "an error entry")
	assert.Contains(t, fmt.Sprint(res.Entries[0].Contents), "the cap for this answer is 16 MiB")
	assert.Less(t, rss, int64(pluginMemoryCap))
}
