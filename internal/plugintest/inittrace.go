package plugintest

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// MaxInitBytes bounds what any of this module's packages may allocate in
// its package init. A cold start pays for every package's init whatever
// the command, so work done there (compiling regexps, schemas, tables)
// belongs behind a sync.Once at first use. Allocated bytes stand in for
// time: they are what the work costs and, unlike time, do not vary with
// the machine's load.
const MaxInitBytes = 64 << 10

// modulePath prefixes this module's packages in an init trace.
const modulePath = "github.com/soarkit/openai-gpt"

// InitBytes runs binary with args under GODEBUG=inittrace=1 and returns
// the bytes each of this module's packages allocated in its init. The
// binary's exit status is ignored (the plugin, started by hand, exits
// non-zero at once, after its init).
func InitBytes(binary string, args ...string) (map[string]int, error) {
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, _ := cmd.CombinedOutput()
	bytes, traced := map[string]int{}, 0
	for line := range strings.SplitSeq(string(out), "\n") {
		// init PKG @T ms, C ms clock, B bytes, A allocs
		f := strings.Fields(line)
		if len(f) < 10 || f[0] != "init" || f[8] != "bytes," {
			continue
		}
		traced++
		if n, err := strconv.Atoi(f[7]); err == nil && strings.HasPrefix(f[1], modulePath) {
			bytes[f[1]] = n
		}
	}
	if traced == 0 {
		return nil, fmt.Errorf("no inittrace lines in the output of %s:\n%s", binary, out)
	}
	return bytes, nil
}
