package e2e

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// maxInitBytes bounds what any of this module's packages allocates in its
// package init. A cold start pays for every package's init whatever the
// command, so work done there (compiling regexps, schemas, tables) belongs
// behind a sync.Once at first use. Allocated bytes stand in for time:
// they are what the work costs and, unlike time, do not vary with the
// machine's load.
const maxInitBytes = 64 << 10

// TestPluginInitIsLazy runs the plugin with GODEBUG=inittrace=1 (it exits
// at once, not started by a host) and checks the init of each of its own
// packages against maxInitBytes.
func TestPluginInitIsLazy(t *testing.T) {
	cmd := exec.Command(pluginPath)
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, _ := cmd.CombinedOutput() // exits non-zero: no host handshake
	seen := 0
	for line := range strings.SplitSeq(string(out), "\n") {
		// init PKG @T ms, C ms clock, B bytes, A allocs
		f := strings.Fields(line)
		if len(f) < 10 || f[0] != "init" || f[8] != "bytes," {
			continue
		}
		seen++
		if !strings.HasPrefix(f[1], "github.com/soarkit/openai-gpt") {
			continue
		}
		if n, err := strconv.Atoi(f[7]); err == nil && n > maxInitBytes {
			t.Errorf("package %s allocates %d bytes in its init (bound %d): make that work lazy (sync.OnceValue at first use)", f[1], n, maxInitBytes)
		}
	}
	if seen == 0 {
		t.Fatalf("no inittrace lines in the plugin's output:\n%s", out)
	}
}
