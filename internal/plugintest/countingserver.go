package plugintest

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// CountingServer serves h on loopback for one test and counts the
// requests it saw: how many attempts a client's retry policy made.
func CountingServer(t testing.TB, h http.HandlerFunc) (url string, hits *atomic.Int64) {
	t.Helper()
	hits = new(atomic.Int64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, hits
}
