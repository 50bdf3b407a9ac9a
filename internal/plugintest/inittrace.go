package plugintest

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
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

// phonenumbersInitBytes bounds the init of github.com/nyaruka/phonenumbers,
// patched under third_party/ to load its metadata on first use (2.4 MB and
// about 20 ms of every cold start before): what is left is its exported
// regexps (about 290 KB), which are public API.
const phonenumbersInitBytes = 512 << 10

// InitBound is the most pkg may allocate in its package init: MaxInitBytes
// for this module's packages, and a bound for each dependency patched under
// third_party/ to be lazy. ok is false for every other package, whose init
// is its own.
func InitBound(pkg string) (bound int, ok bool) {
	switch {
	case strings.HasPrefix(pkg, modulePath):
		return MaxInitBytes, true
	case pkg == "github.com/nyaruka/phonenumbers":
		return phonenumbersInitBytes, true
	case pkg == "github.com/santhosh-tekuri/jsonschema/v5":
		// Patched under third_party/ to compile each draft's metaschema
		// on first use: 1 MB and 4-10 ms of every process start before.
		return MaxInitBytes, true
	}
	return 0, false
}

// CheckInit runs binary with args under GODEBUG=inittrace=1 and fails t
// for each package whose init allocates more than its InitBound.
func CheckInit(t testing.TB, binary string, args ...string) {
	t.Helper()
	bytes, err := InitBytes(binary, args...)
	if err != nil {
		t.Fatal(err)
	}
	for pkg, n := range bytes {
		if bound, _ := InitBound(pkg); n > bound {
			t.Errorf("package %s allocates %d bytes in its init (bound %d): make that work lazy (sync.OnceValue, lazyregexp)", pkg, n, bound)
		}
	}
}

// InitClock runs binary with args under GODEBUG=inittrace=1 and returns
// the sum of every package's init clock time: what a cold start pays
// before main. The figure includes the runtime's own tracing of each
// line, so it slightly overstates an untraced start.
func InitClock(binary string, args ...string) (time.Duration, error) {
	inits, err := traceInit(binary, args...)
	if err != nil {
		return 0, err
	}
	var sum time.Duration
	for _, in := range inits {
		sum += in.clock
	}
	return sum, nil
}

// InitBytes runs binary with args under GODEBUG=inittrace=1 and returns
// the bytes each package with an InitBound allocated in its init.
func InitBytes(binary string, args ...string) (map[string]int, error) {
	inits, err := traceInit(binary, args...)
	if err != nil {
		return nil, err
	}
	bytes := map[string]int{}
	for _, in := range inits {
		if _, bounded := InitBound(in.pkg); bounded {
			bytes[in.pkg] = in.bytes
		}
	}
	return bytes, nil
}

// packageInit is one line of an init trace.
type packageInit struct {
	pkg   string
	clock time.Duration
	bytes int
}

// traceInit runs binary with args under GODEBUG=inittrace=1 and returns
// its packages' inits. The binary's exit status is ignored (the plugin,
// started by hand, exits non-zero at once, after its init).
func traceInit(binary string, args ...string) ([]packageInit, error) {
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, _ := cmd.CombinedOutput()
	var inits []packageInit
	for line := range strings.SplitSeq(string(out), "\n") {
		// init PKG @T ms, C ms clock, B bytes, A allocs
		f := strings.Fields(line)
		if len(f) < 10 || f[0] != "init" || f[6] != "clock," || f[8] != "bytes," {
			continue
		}
		ms, errClock := strconv.ParseFloat(f[4], 64)
		n, errBytes := strconv.Atoi(f[7])
		if errClock != nil || errBytes != nil {
			continue
		}
		inits = append(inits, packageInit{pkg: f[1], clock: time.Duration(ms * float64(time.Millisecond)), bytes: n})
	}
	if len(inits) == 0 {
		return nil, fmt.Errorf("no inittrace lines in the output of %s:\n%s", binary, out)
	}
	return inits, nil
}
