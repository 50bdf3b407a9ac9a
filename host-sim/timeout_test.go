package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
)

// TestTimeoutExitsOne: a command or fetch past --timeout exits 1 (the
// command failed; 2 is for refusals), saying so once, with the timeout and
// the flag to change.
func TestTimeoutExitsOne(t *testing.T) {
	fake := fakeopenai.New(fakeopenai.Config{})
	url, err := fake.Start("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(fake.Close)
	c := newCLI(t)
	code, _, errOut := c.run("", append([]string{"instance", "set"}, fakeInstance(url, fake.Config())...)...)
	require.Equal(t, 0, code, errOut)

	fake.Script("chat", fakeopenai.Fault{Delay: time.Minute})
	code, out, errOut := c.run("", "--timeout", "2s", "run", "!gpt-send-message message=hi")
	all := out + errOut
	assert.Equal(t, 1, code, all)
	assert.Equal(t, 1, strings.Count(all, "gpt-send-message did not finish within the host's 2s timeout for a plugin call; raise it (host-sim --timeout) or try again"), all)
	assert.NotContains(t, all, "context deadline exceeded")

	fake.Script("audit_logs", fakeopenai.Fault{Delay: time.Minute})
	code, out, errOut = c.run("", "--timeout", "2s", "fetch", "--once")
	all = out + errOut
	assert.Equal(t, 1, code, all)
	assert.Contains(t, all, "fetch-events did not finish within the host's 2s timeout")
	assert.NotContains(t, all, "context deadline exceeded")
}
