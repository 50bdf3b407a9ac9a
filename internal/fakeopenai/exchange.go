package fakeopenai

import (
	"bytes"
	"net/http"
	"time"
)

// maxExchangeBody bounds the answer body an Exchange keeps: enough for any
// model answer or listing page; a larger compliance file is cut there and
// marked Truncated.
const maxExchangeBody = 4 << 20

// Exchange is one request the server answered and its answer, as
// Config.OnExchange receives it: the conformance test validates both sides
// against OpenAI's description, and `host-sim fake-openai --log-requests`
// writes them down.
type Exchange struct {
	Method string
	Path   string
	Query  string // raw, as sent
	Header http.Header
	Body   []byte // the request body (up to readBody's bound)

	Status         int
	ResponseHeader http.Header
	ResponseBody   []byte // at most maxExchangeBody bytes
	Truncated      bool   // ResponseBody was cut
	Latency        time.Duration
}

// observe wraps h so that every request it serves is reported to
// Config.OnExchange once answered; without a hook it is h itself.
func (s *Server) observe(h http.Handler) http.Handler {
	hook := s.cfg.OnExchange
	if hook == nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		body := readBody(r) // restores r.Body for the handler
		rec := &recorder{ResponseWriter: w}
		h.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		hook(Exchange{
			Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: body,
			Status: rec.status, ResponseHeader: w.Header().Clone(), ResponseBody: rec.body.Bytes(),
			Truncated: rec.truncated, Latency: time.Since(start),
		})
	})
}

// recorder keeps the status and the first maxExchangeBody bytes of an
// answer while passing everything through.
type recorder struct {
	http.ResponseWriter
	status    int
	body      bytes.Buffer
	truncated bool
}

func (rec *recorder) WriteHeader(code int) {
	if rec.status == 0 {
		rec.status = code
	}
	rec.ResponseWriter.WriteHeader(code)
}

func (rec *recorder) Write(p []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	if room := maxExchangeBody - rec.body.Len(); room < len(p) {
		rec.body.Write(p[:max(room, 0)])
		rec.truncated = true
	} else {
		rec.body.Write(p)
	}
	return rec.ResponseWriter.Write(p)
}
