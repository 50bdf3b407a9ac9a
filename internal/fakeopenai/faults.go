package fakeopenai

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Fault is one scripted misbehaviour, consumed by the next request to its
// route. Zero fields do nothing, so Fault{Delay: d} only slows the answer.
type Fault struct {
	Status     int           // answer this status with OpenAI's error body instead of the real answer
	Code       string        // error code in the body (e.g. "rate_limit_exceeded")
	Message    string        // error message in the body
	RetryAfter string        // Retry-After header value, e.g. "1"
	Delay      time.Duration // wait this long (or until the client gives up) before answering
	Truncate   bool          // send the real answer's headers and only half its body, then cut the connection
}

// Script queues faults for route; each request to route consumes one.
// Routes: "models", "chat", "responses", "responses.get", "moderations",
// "audit_logs", "compliance.logs", "compliance.file", "blob".
func (s *Server) Script(route string, faults ...Fault) {
	s.faults.push(route, faults...)
}

type faultQueue struct {
	mu     sync.Mutex
	queued map[string][]Fault
}

func (q *faultQueue) push(route string, faults ...Fault) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.queued == nil {
		q.queued = map[string][]Fault{}
	}
	q.queued[route] = append(q.queued[route], faults...)
}

func (q *faultQueue) next(route string) (Fault, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	f := q.queued[route]
	if len(f) == 0 {
		return Fault{}, false
	}
	q.queued[route] = f[1:]
	return f[0], true
}

// serve runs h for one request, playing the next fault queued for route
// first: a delay, an error answer instead of h, or h's answer cut in half.
func (q *faultQueue) serve(route string, w http.ResponseWriter, r *http.Request, h http.HandlerFunc) {
	f, ok := q.next(route)
	if !ok {
		h(w, r)
		return
	}
	if f.Delay > 0 {
		select {
		case <-time.After(f.Delay):
		case <-r.Context().Done():
			return
		}
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	switch {
	case f.Status != 0:
		writeFault(w, f)
	case f.Truncate:
		tw := &truncatingWriter{header: http.Header{}, status: http.StatusOK}
		h(tw, r)
		tw.sendHalf(w)
	default:
		h(w, r)
	}
}

func writeFault(w http.ResponseWriter, f Fault) {
	msg, typ := f.Message, "server_error"
	switch {
	case f.Status == http.StatusTooManyRequests && f.Code == "insufficient_quota":
		// Not a rate limit: no Retry-After helps, as the real answer says.
		typ = "insufficient_quota"
		if msg == "" {
			msg = "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors."
		}
	case f.Status == http.StatusTooManyRequests:
		typ = "requests"
		if msg == "" {
			msg = "Rate limit reached for requests. Please try again in " + f.RetryAfter + "s."
		}
		if f.Code == "" {
			f.Code = "rate_limit_exceeded"
		}
	case f.Status < 500:
		typ = "invalid_request_error"
	}
	if msg == "" {
		msg = "The server had an error while processing your request. Sorry about that!"
	}
	writeError(w, f.Status, msg, typ, "", f.Code)
}

// truncatingWriter collects an answer so that only its first half is sent,
// with a Content-Length promising all of it: the client sees an unexpected EOF.
type truncatingWriter struct {
	header http.Header
	status int
	buf    bytes.Buffer
}

func (t *truncatingWriter) Header() http.Header         { return t.header }
func (t *truncatingWriter) WriteHeader(status int)      { t.status = status }
func (t *truncatingWriter) Write(p []byte) (int, error) { return t.buf.Write(p) }

func (t *truncatingWriter) sendHalf(w http.ResponseWriter) {
	for k, v := range t.header {
		w.Header()[k] = v
	}
	body := t.buf.Bytes()
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(t.status)
	w.Write(body[:len(body)/2]) //nolint:errcheck // the cut is the point
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
		}
	}
}

func readBody(r *http.Request) []byte {
	if r.Body == nil {
		return nil
	}
	b, _ := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	r.Body = io.NopCloser(bytes.NewReader(b))
	r.ContentLength = int64(len(b))
	r.Header.Set("Content-Length", strconv.Itoa(len(b)))
	return b
}
