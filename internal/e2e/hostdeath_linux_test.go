package e2e

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/plugintest"
)

// TestPluginEndsWithItsHost kills the host with SIGKILL (no chance to stop
// its plugin) and waits for the plugin to end by itself: through the
// parent-death signal on Linux, and through the host connection check
// alone (what other systems rely on).
func TestPluginEndsWithItsHost(t *testing.T) {
	for _, tt := range []struct {
		name string
		env  []string
	}{
		{"parent-death signal and connection check", nil},
		{"connection check alone", []string{"E2E_HOST_HELPER_NO_PDEATHSIG=1"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			host := exec.Command(os.Args[0], "-test.run=^$")
			host.Env = append(append(os.Environ(), hostHelperEnv+"="+pluginPath), tt.env...)
			var stderr plugintest.SyncBuffer // written by exec's copying goroutine
			host.Stderr = &stderr
			out, err := host.StdoutPipe()
			require.NoError(t, err)
			require.NoError(t, host.Start())
			t.Cleanup(func() { _ = host.Process.Kill(); _ = host.Wait() })
			line, err := bufio.NewReader(out).ReadString('\n')
			require.NoError(t, err, "host helper: %s", stderr.String())
			pid, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "plugin ")))
			require.NoError(t, err, "host helper said %q", line)
			require.True(t, alive(pid), "the plugin runs before its host dies")
			t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGKILL) })

			require.NoError(t, host.Process.Signal(syscall.SIGKILL))
			killed := time.Now()
			_ = host.Wait()
			// A generous limit, not a speed requirement: the figure is logged.
			for alive(pid) && time.Since(killed) < 20*time.Second {
				time.Sleep(10 * time.Millisecond)
			}
			took := time.Since(killed)
			require.False(t, alive(pid), "plugin %d still runs %s after its host was killed", pid, took.Round(time.Millisecond))
			t.Logf("the plugin ended %s after its host was killed", took.Round(time.Millisecond))
		})
	}
}

// alive reports whether pid runs: it exists and is not a zombie waiting
// for a reaper (in a container, PID 1 may never reap it).
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The state follows the parenthesised command name.
	i := bytes.LastIndexByte(stat, ')')
	return i < 0 || i+2 >= len(stat) || stat[i+2] != 'Z'
}
