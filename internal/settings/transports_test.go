package settings

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTransportsShared: clients built for the same network settings share
// one connection pool; other settings get their own; without Transports
// every client has a pool of its own.
func TestTransportsShared(t *testing.T) {
	pool := func(s Settings) *http.Transport {
		tr, ok := s.HTTPClient().Transport.(*http.Transport)
		require.True(t, ok)
		return tr
	}
	var shared Transports
	plain := Settings{Transports: &shared}
	assert.Same(t, pool(plain), pool(plain))
	assert.NotSame(t, pool(plain), pool(Settings{Transports: &shared, Proxy: true}))
	assert.NotSame(t, pool(plain), pool(Settings{Transports: &shared, Insecure: true}))
	assert.NotSame(t, pool(Settings{}), pool(Settings{}))

	tr := pool(Settings{Transports: &shared, Proxy: true, Insecure: true})
	assert.NotNil(t, tr.Proxy)
	assert.True(t, tr.TLSClientConfig.InsecureSkipVerify)
	assert.Equal(t, idleConnTimeout, tr.IdleConnTimeout)
}
