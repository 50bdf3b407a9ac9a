// Package httpguard bounds what one answer from an API may cost: its size
// (per route, the cap named in the error), the wait for its headers and
// between two reads of its body, and what a successful answer must be (a
// JSON document). It is an openai-go middleware, so the SDK's request
// machinery (auth, retries, errors) stays as it is.
//
// Without it a 50 MB answer drove the plugin past 1 GiB, and a server that
// stalled mid-answer held a whole fetch cycle until the host's deadline.
package httpguard

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/openai/openai-go/v3/option"
	"github.com/tidwall/gjson"

	"github.com/soarkit/openai-gpt/internal/retry"
)

// MaxErrorBytes bounds an error answer (a status outside 2xx) on every
// route, whatever its MaxBytes: an API's error body is a few hundred
// bytes, and a route whose answer may be a 1 GiB log file must not let a
// proxy's endless error page through.
const MaxErrorBytes = 1 << 20

// Route is what the guard allows one kind of answer.
type Route struct {
	// Name says what the answer is, in errors: "chat completion".
	Name string
	// MaxBytes bounds the body; a longer one is an error, never cut.
	MaxBytes int64
	// HeaderTimeout bounds the wait for the answer's headers; zero leaves
	// it to the caller's deadline (a model answer arrives only once it has
	// been generated, which may take minutes).
	HeaderTimeout time.Duration
	// IdleTimeout bounds the wait for each read of the body.
	IdleTimeout time.Duration
	// Hint is what to check when the answer is not JSON: the parameter
	// that names the server.
	Hint string
}

// Option installs the guard on a client or a single request. Given after
// the client's other middleware, it runs closest to the network, so theirs
// read bodies that are already bounded.
func (r Route) Option() option.RequestOption { return option.WithMiddleware(r.Middleware) }

// Middleware guards one request: see the package comment. A successful
// answer is read whole (it is bounded) and checked to be JSON; an error
// answer is left for the SDK to read, through the same bounds. Refusals
// (too large, not a JSON object) are final: the SDK does not retry them,
// since the same server would send the same answer. A timeout is retried
// like a dropped connection.
func (r Route) Middleware(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
	res, err := r.open(req, next)
	if err != nil || res == nil {
		return res, err
	}
	body := res.Body
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return res, nil
	}
	data, err := readAll(body, res.ContentLength)
	body.Close()
	if err != nil {
		var tl *TooLargeError
		if errors.As(err, &tl) {
			return final(res, err)
		}
		// Cut off or stalled: retried like a dropped connection.
		var te *TimeoutError
		if errors.As(err, &te) {
			return nil, te
		}
		return nil, &retry.CutOffError{Err: err}
	}
	// Every route answers one JSON object. A server that labels one
	// otherwise (some OpenAI-compatible servers send text/plain) is
	// forgiven, and the label fixed for the SDK, which would refuse it.
	if !gjson.ValidBytes(data) || !gjson.ParseBytes(data).IsObject() {
		return final(res, &NotJSONError{Route: r.Name, Where: Endpoint(req), Status: res.StatusCode,
			ContentType: res.Header.Get("Content-Type"), Start: start(data), Hint: r.Hint})
	}
	if media, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type")); media != "application/json" && !strings.HasSuffix(media, "+json") {
		res.Header.Set("Content-Type", "application/json")
	}
	res.Body = io.NopCloser(bytes.NewReader(data))
	return res, nil
}

// Transport guards requests sent through next, for a client outside the
// SDK (a signed download): the timeouts and the size cap apply, and the
// body is left for the caller to read.
func (r Route) Transport(next http.RoundTripper) http.RoundTripper {
	return roundTripper{route: r, next: next}
}

type roundTripper struct {
	route Route
	next  http.RoundTripper
}

func (t roundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := t.route.open(req, t.next.RoundTrip)
	var tl *TooLargeError
	if errors.As(err, &tl) {
		return nil, err
	}
	return res, err
}

// open sends req through next within the header timeout and returns the
// answer with its body guarded (see guardedBody), or refuses one whose
// announced length is over the cap.
func (r Route) open(req *http.Request, next func(*http.Request) (*http.Response, error)) (*http.Response, error) {
	ctx, cancel := context.WithCancelCause(req.Context())
	where := Endpoint(req)
	var headerTimer *time.Timer
	if r.HeaderTimeout > 0 {
		headerTimer = time.AfterFunc(r.HeaderTimeout, func() {
			cancel(&TimeoutError{Route: r.Name, Where: where, Wait: r.HeaderTimeout, Phase: "answer headers"})
		})
	}
	res, err := next(req.WithContext(ctx))
	if headerTimer != nil {
		headerTimer.Stop()
	}
	if err != nil || res == nil {
		var te *TimeoutError
		if errors.As(context.Cause(ctx), &te) {
			err = te
		}
		cancel(nil)
		return res, err
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		r.Name = fmt.Sprintf("HTTP %d error answer (in place of a %s)", res.StatusCode, r.Name)
		r.MaxBytes = min(r.MaxBytes, MaxErrorBytes)
	}
	if res.ContentLength > r.MaxBytes {
		res.Body.Close()
		cancel(nil)
		return final(res, &TooLargeError{Route: r.Name, Where: where, Max: r.MaxBytes, Size: res.ContentLength})
	}
	body := &guardedBody{rc: res.Body, route: r, where: where, ctx: ctx, cancel: cancel}
	if r.IdleTimeout > 0 {
		body.idle = time.AfterFunc(time.Hour, func() {
			cancel(&TimeoutError{Route: r.Name, Where: where, Wait: r.IdleTimeout, Phase: "further data"})
		})
		body.idle.Stop()
	}
	res.Body = body
	return res, nil
}

// final hands the SDK a refusal it will not retry: openai-go retries an
// error without an answer, but not an answer saying x-should-retry false.
func final(res *http.Response, err error) (*http.Response, error) {
	res.Body = http.NoBody
	res.Header.Set("x-should-retry", "false")
	return res, err
}

// readAll reads a bounded body, in one allocation when its length is known.
func readAll(r io.Reader, size int64) ([]byte, error) {
	if size < 0 {
		return io.ReadAll(r)
	}
	var b bytes.Buffer
	b.Grow(int(size) + bytes.MinRead)
	_, err := b.ReadFrom(r)
	return b.Bytes(), err
}

// guardedBody errors once more than MaxBytes arrive, and when one read
// waits longer than IdleTimeout (the request's context is then cancelled,
// which ends the read).
type guardedBody struct {
	rc     io.ReadCloser
	route  Route
	where  string
	ctx    context.Context
	cancel context.CancelCauseFunc
	idle   *time.Timer
	n      int64
}

func (b *guardedBody) Read(p []byte) (int, error) {
	if b.n > b.route.MaxBytes {
		return 0, b.tooLarge()
	}
	// One byte past the cap is enough to know.
	if room := b.route.MaxBytes - b.n; int64(len(p)) > room { // room+1 cannot overflow here
		p = p[:room+1]
	}
	if b.idle != nil {
		b.idle.Reset(b.route.IdleTimeout)
	}
	n, err := b.rc.Read(p)
	if b.idle != nil {
		b.idle.Stop()
	}
	b.n += int64(n)
	if b.n > b.route.MaxBytes {
		return n, b.tooLarge()
	}
	if err != nil && err != io.EOF {
		var te *TimeoutError
		if errors.As(context.Cause(b.ctx), &te) {
			return n, te
		}
	}
	return n, err
}

func (b *guardedBody) tooLarge() error {
	return &TooLargeError{Route: b.route.Name, Where: b.where, Max: b.route.MaxBytes, Size: -1}
}

func (b *guardedBody) Close() error {
	if b.idle != nil {
		b.idle.Stop()
	}
	err := b.rc.Close()
	b.cancel(nil)
	return err
}

// Endpoint is the request's method and URL without user info, query or
// fragment: enough to find the server, never a credential or a signature.
func Endpoint(req *http.Request) string {
	u := url.URL{Scheme: req.URL.Scheme, Host: req.URL.Host, Path: req.URL.Path}
	return req.Method + " " + u.String()
}

// start is the beginning of a junk answer, to recognise it by (an HTML
// title, a proxy's message), on one line.
func start(data []byte) string {
	const n = 80
	s := strings.ToValidUTF8(string(data[:min(len(data), n)]), "?")
	s = strings.Join(strings.Fields(s), " ")
	if len(data) > n {
		s += "…"
	}
	return s
}

// TooLargeError is an answer over its route's cap.
type TooLargeError struct {
	Route, Where string
	Max          int64
	Size         int64 // the announced Content-Length, or -1 when found reading
}

// Error names the route, the cap and, when announced, the size.
func (e *TooLargeError) Error() string {
	if e.Size >= 0 {
		return fmt.Sprintf("the %s from %s is %d bytes, over the %s cap for this answer: refused unread",
			e.Route, e.Where, e.Size, Size(e.Max))
	}
	return fmt.Sprintf("the %s from %s ran over the %s cap for this answer: refused, not cut short",
		e.Route, e.Where, Size(e.Max))
}

// NotJSONError is a successful answer that is not a JSON object.
type NotJSONError struct {
	Route, Where, ContentType, Start, Hint string
	Status                                 int
}

// Error names the URL, status and content type, and what to check.
func (e *NotJSONError) Error() string {
	ctype := e.ContentType
	if ctype == "" {
		ctype = "none"
	}
	msg := fmt.Sprintf("the %s from %s is not JSON (HTTP %d, Content-Type %s, starts %q)", e.Route, e.Where, e.Status, ctype, e.Start)
	if e.Hint != "" {
		msg += ": " + e.Hint
	}
	return msg
}

// TimeoutError is an answer that stalled: no headers, or no more of its
// body, within the route's timeout.
type TimeoutError struct {
	Route, Where, Phase string
	Wait                time.Duration
}

// Error names the wait and what to check.
func (e *TimeoutError) Error() string {
	return fmt.Sprintf("the %s from %s stalled: no %s within %s (the server or a proxy on the way stopped sending)",
		e.Route, e.Where, e.Phase, e.Wait)
}

// Timeout marks the error as a timeout for net.Error-style checks.
func (e *TimeoutError) Timeout() bool { return true }

// Size writes a byte count the way caps are stated: "16 MiB".
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
