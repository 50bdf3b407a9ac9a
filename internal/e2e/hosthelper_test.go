package e2e

import (
	"fmt"
	"os"

	"github.com/soarkit/openai-gpt/internal/pluginrpc"
)

// hostHelperEnv makes the test binary a host (see TestMain): it launches
// the plugin named by the variable, prints the plugin's pid and waits to
// be killed.
const hostHelperEnv = "E2E_HOST_HELPER_PLUGIN"

// runHostHelper is the host process the test kills with SIGKILL.
func runHostHelper() {
	var env []string
	if os.Getenv("E2E_HOST_HELPER_NO_PDEATHSIG") != "" {
		env = append(env, pluginrpc.NoParentDeathSignalEnv+"=1")
	}
	s, err := pluginrpc.Launch(pluginrpc.LaunchConfig{Path: os.Getenv(hostHelperEnv), Host: newMemHost(), Env: env})
	if err != nil {
		fmt.Fprintln(os.Stderr, "host helper:", err)
		os.Exit(1)
	}
	fmt.Printf("plugin %d\n", s.Pid())
	select {}
}
