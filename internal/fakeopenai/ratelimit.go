package fakeopenai

import (
	"fmt"
	"math"
	"net/http"
	"sync"
	"time"
)

// RateLimit is a fixed-window request limit per route, as the Compliance
// Logs Platform applies (about 100 requests a minute per workspace and
// route). Requests over it get 429 with Retry-After.
type RateLimit struct {
	Requests int           // per window; 0 means no limit
	Window   time.Duration // default one minute
}

// rateLimiter counts requests per route in the current window.
type rateLimiter struct {
	limit RateLimit
	now   func() time.Time

	mu      sync.Mutex
	start   map[string]time.Time
	count   map[string]int
	refused int
}

func newRateLimiter(limit RateLimit, now func() time.Time) *rateLimiter {
	if limit.Window <= 0 {
		limit.Window = time.Minute
	}
	return &rateLimiter{limit: limit, now: now, start: map[string]time.Time{}, count: map[string]int{}}
}

// allow counts a request to route, or answers 429 and reports false.
func (l *rateLimiter) allow(route string, w http.ResponseWriter) bool {
	if l == nil || l.limit.Requests <= 0 {
		return true
	}
	l.mu.Lock()
	now := l.now()
	if now.Sub(l.start[route]) >= l.limit.Window {
		l.start[route], l.count[route] = now, 0
	}
	l.count[route]++
	over := l.count[route] > l.limit.Requests
	if over {
		l.refused++
	}
	wait := l.limit.Window - now.Sub(l.start[route])
	l.mu.Unlock()
	if !over {
		return true
	}
	w.Header().Set("Retry-After", fmt.Sprint(int(math.Ceil(wait.Seconds()))))
	writeJSON(w, http.StatusTooManyRequests, map[string]string{
		"detail": fmt.Sprintf("Rate limit exceeded: %d requests per %s on this route. Retry later.", l.limit.Requests, l.limit.Window),
	})
	return false
}

// RateLimited is how many requests the compliance rate limit refused.
func (s *Server) RateLimited() int {
	s.limits.mu.Lock()
	defer s.limits.mu.Unlock()
	return s.limits.refused
}
