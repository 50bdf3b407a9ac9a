package commands

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
	"github.com/soarkit/openai-gpt/internal/protocol"
)

// TestWarmPluginReusesConnections: a plugin kept warm serves call after
// call over the connections it already has, instead of a TCP (and TLS)
// handshake a call and an idle connection left behind by each one.
func TestWarmPluginReusesConnections(t *testing.T) {
	fake := fakeopenai.New(fakeopenai.Config{})
	var opened atomic.Int32
	srv := httptest.NewUnstartedServer(fake)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			opened.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)

	p := New(nil, nil)
	params := map[string]any{"url": srv.URL, "apikey": fake.Config().APIKey}
	const calls = 10
	for range calls {
		res, err := p.Execute(context.Background(), nullHostClient{}, protocol.ExecuteRequest{Command: "gpt-list-models", Params: params})
		require.NoError(t, err)
		require.False(t, res.Failed(), res.Entries[0].Contents)
	}
	assert.Equal(t, int32(1), opened.Load(), "connections opened for %d calls in a row", calls)
}
