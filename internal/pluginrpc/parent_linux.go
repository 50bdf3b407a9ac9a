package pluginrpc

import (
	"errors"
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// dieWithParent asks the kernel to kill this process when the process that
// started it dies, even by SIGKILL (which gives a host no chance to stop
// its plugin). SIGKILL because an orphan has nobody to report to, and a
// handler installed for a gentler signal could swallow it.
func dieWithParent() error {
	parent := os.Getppid()
	if err := unix.Prctl(unix.PR_SET_PDEATHSIG, uintptr(unix.SIGKILL), 0, 0, 0); err != nil {
		return fmt.Errorf("set the parent-death signal: %w", err)
	}
	// The signal only covers a death after prctl: a host that died in
	// between, or before this process looked, must be caught here.
	if os.Getppid() != parent {
		return errHostGone
	}
	if host, err := strconv.Atoi(os.Getenv(HostPIDEnv)); err == nil && host > 0 && host != parent &&
		errors.Is(unix.Kill(host, 0), unix.ESRCH) {
		return errHostGone
	}
	return nil
}
