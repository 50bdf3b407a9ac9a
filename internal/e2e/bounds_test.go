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

	"github.com/soarkit/openai-gpt/internal/plugintest"
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

// chatAnswerServer answers every chat completion with one of about size
// bytes, streamed without announcing its length.
func chatAnswerServer(t *testing.T, size int) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		plugintest.WriteHugeChatAnswer(w, size)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// sendOnce runs gpt-send-message in a fresh plugin against url and returns
// the result and the plugin's peak RSS.
func sendOnce(t *testing.T, url string) (protocol.Result, int64) {
	t.Helper()
	s, _ := launch(t, newMemHost())
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	start := time.Now()
	res, err := s.Execute(ctx, "bounds-1", protocol.ExecuteRequest{
		Command: "gpt-send-message", Args: map[string]any{"message": "hi"},
		Params: map[string]any{"url": url, "apikey": "sk-e2e-bounds-0123456789"},
	})
	require.NoError(t, err)
	rss := peakRSS(t, s.Pid())
	t.Logf("answered after %v; plugin peak RSS %.1f MiB (cap %d MiB)", time.Since(start), float64(rss)/(1<<20), pluginMemoryCap>>20)
	return res, rss
}

// TestHugeAnswerBoundedInThePlugin: a 60 MB chat answer becomes an error
// entry naming the cap, and the largest answer under the cap is used; the
// plugin process stays under pluginMemoryCap either way.
func TestHugeAnswerBoundedInThePlugin(t *testing.T) {
	t.Run("60 MiB refused", func(t *testing.T) {
		res, rss := sendOnce(t, chatAnswerServer(t, 60<<20))
		require.True(t, res.Failed(), "an error entry")
		assert.Contains(t, fmt.Sprint(res.Entries[0].Contents), "over the 4 MiB cap for this answer")
		assert.Less(t, rss, int64(pluginMemoryCap))
	})
	t.Run("just under the cap used", func(t *testing.T) {
		res, rss := sendOnce(t, chatAnswerServer(t, 4<<20-256<<10))
		require.False(t, res.Failed(), "%v", res.Entries)
		assert.Less(t, rss, int64(pluginMemoryCap))
	})
}
