package settings

import (
	"crypto/tls"
	"net/http"
	"sync"
	"time"
)

// Transports keeps one connection pool for each network setting an
// instance can choose (system proxy or not, certificate checks or not), so
// a plugin kept warm reuses its connections from call to call: a new pool
// a call would pay a TCP and TLS handshake every time and leave one idle
// connection (a descriptor and two goroutines) behind per call until the
// idle timeout. The zero value is ready to use; share one per process.
type Transports struct {
	mu    sync.Mutex
	pools map[transportKey]*http.Transport
}

type transportKey struct{ proxy, insecure bool }

// idleConnTimeout closes a pooled connection unused this long: under the
// 4-6 minutes after which cloud NATs and load balancers forget an idle
// connection without telling either end (a request sent on such a
// connection would wait for an answer that never comes).
const idleConnTimeout = 60 * time.Second

// maxIdlePerHost keeps enough connections for playbook tasks calling the
// same API at once (net/http keeps 2).
const maxIdlePerHost = 8

// transport returns the pool for the settings' proxy and insecure choices,
// or a new one when t is nil.
func (t *Transports) transport(proxy, insecure bool) *http.Transport {
	if t == nil {
		return newTransport(proxy, insecure)
	}
	key := transportKey{proxy, insecure}
	t.mu.Lock()
	defer t.mu.Unlock()
	if tr, ok := t.pools[key]; ok {
		return tr
	}
	if t.pools == nil {
		t.pools = map[transportKey]*http.Transport{}
	}
	tr := newTransport(proxy, insecure)
	t.pools[key] = tr
	return tr
}

func newTransport(proxy, insecure bool) *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	if proxy {
		tr.Proxy = http.ProxyFromEnvironment
	}
	if insecure {
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // the user asked for it
	}
	tr.IdleConnTimeout = idleConnTimeout
	tr.MaxIdleConnsPerHost = maxIdlePerHost
	return tr
}
