package fakeopenai

import (
	"bytes"
	"encoding/json"
	"io"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/soarkit/openai-gpt/internal/redact"
)

// maxLoggedBody bounds the request body a log line shows; a longer one is
// cut there and flagged body_truncated.
const maxLoggedBody = 64 << 10

// signedParams are query parameters that make a URL a credential: the
// signature of a compliance file download.
var signedParams = []string{"sig", "signature", "token", "key"}

// requestLine is one line of the request log.
type requestLine struct {
	Time          string          `json:"time"`
	Method        string          `json:"method"`
	Path          string          `json:"path"`
	Query         string          `json:"query,omitempty"`
	Body          json.RawMessage `json:"body,omitempty"`
	BodyTruncated bool            `json:"body_truncated,omitempty"`
	Status        int             `json:"status"`
	LatencyMS     float64         `json:"latency_ms"`
}

// NewRequestLog returns an OnExchange hook that writes one JSON line per
// request to w: method, path, query, body, status and latency, so a
// developer sees exactly what a client sent. secrets (the keys the server
// accepts) are masked wherever they appear, and so is any bearer token a
// request carries, right or wrong, and a signed URL's signature. Headers
// are not logged. Writes to w are serialised.
func NewRequestLog(w io.Writer, secrets ...string) func(Exchange) {
	var mu sync.Mutex
	return func(x Exchange) {
		var red redact.Redactor
		red.Add(secrets...)
		if tok, ok := strings.CutPrefix(x.Header.Get("Authorization"), "Bearer "); ok {
			red.Add(tok)
		}
		red.Add(x.Header.Get("api-key"))
		line := requestLine{
			Time: time.Now().UTC().Format(time.RFC3339Nano), Method: x.Method, Path: x.Path,
			Query:  red.String(maskSigned(x.Query)),
			Status: x.Status, LatencyMS: float64(x.Latency.Microseconds()) / 1000,
		}
		body := x.Body
		if len(body) > maxLoggedBody {
			body, line.BodyTruncated = body[:maxLoggedBody], true
		}
		if len(body) > 0 {
			masked := red.String(string(body))
			if json.Valid([]byte(masked)) {
				var compact bytes.Buffer
				if json.Compact(&compact, []byte(masked)) == nil {
					line.Body = compact.Bytes()
				}
			} else {
				line.Body, _ = json.Marshal(masked) // not JSON (or cut): a string
			}
		}
		b, err := json.Marshal(line)
		if err != nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		w.Write(append(b, '\n')) //nolint:errcheck // a log line lost is not worth failing a request
	}
}

// maskSigned masks the value of every signature-like parameter of a raw
// query, keeping the rest as sent.
func maskSigned(raw string) string {
	if raw == "" {
		return raw
	}
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		name, _, _ := strings.Cut(p, "=")
		if n, err := url.QueryUnescape(name); err == nil && slices.Contains(signedParams, strings.ToLower(n)) {
			parts[i] = name + "=" + redact.Mask
		}
	}
	return strings.Join(parts, "&")
}
