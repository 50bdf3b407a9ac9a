package settings

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNumbersAreDecimal: a hex float is not a temperature, and 1e309 is
// out of range rather than "not a number".
func TestNumbersAreDecimal(t *testing.T) {
	for raw, want := range map[string]string{
		"0x1p1": `parameter temperature: "0x1p1" is not a decimal number (allowed: 0 to 2)`,
		"1_0":   `parameter temperature: "1_0" is not a decimal number (allowed: 0 to 2)`,
		"1e309": "parameter temperature: 1e309 is out of range (allowed: 0 to 2)",
	} {
		_, err := Parse(map[string]any{"temperature": raw}, labels)
		require.Error(t, err, raw)
		assert.Contains(t, err.Error(), want, raw)
	}
	_, err := Parse(map[string]any{"eventFetchInterval": "0x10"}, labels)
	require.ErrorContains(t, err, `parameter eventFetchInterval: "0x10" is not an interval`)
}

// TestGarbageProxyRefused: with proxy on, a proxy variable that does not
// parse is an error naming it, rather than ignored (Go skips the proxy for
// loopback servers, so a test against one would pass with any value).
func TestGarbageProxyRefused(t *testing.T) {
	for _, name := range []string{"HTTP_PROXY", "HTTPS_PROXY", "http_proxy"} {
		t.Run(name, func(t *testing.T) {
			for _, v := range []string{"HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"} {
				t.Setenv(v, "")
			}
			t.Setenv(name, "http://proxy host:3128")
			_, err := Parse(map[string]any{"proxy": "true"}, labels)
			require.ErrorContains(t, err, "parameter proxy: "+name+` "http://proxy host:3128" is not a proxy URL`)
			_, err = Parse(map[string]any{"proxy": "false"}, labels)
			require.NoError(t, err, "ignored without proxy")
			t.Setenv(name, "http://user:hunter2pass@proxy host:3128")
			_, err = Parse(map[string]any{"proxy": "true"}, labels)
			require.Error(t, err)
			assert.NotContains(t, err.Error(), "hunter2pass")
		})
	}
	for _, ok := range []string{"http://proxy.example:3128", "proxy.example:3128", "socks5://127.0.0.1:1080", "https://u:p@proxy:443"} {
		t.Setenv("HTTPS_PROXY", ok)
		_, err := Parse(map[string]any{"proxy": "true"}, labels)
		require.NoError(t, err, ok)
	}
}
