// Package fakeopenai is a fake OpenAI and ChatGPT Compliance API server for
// tests and the offline demo. It answers on loopback with the real paths,
// field names, pagination and error bodies, and can be scripted to fail the
// way the real services fail (429 with Retry-After, 5xx, slow or truncated
// answers), so the product is tested against the contract, not against itself.
package fakeopenai

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Default credentials accepted when a Config leaves them empty.
const (
	DefaultAPIKey        = "sk-fake-api-key-0123456789"
	DefaultAdminKey      = "sk-admin-fake-0123456789"
	DefaultComplianceKey = "sk-compliance-fake-0123456789"
	DefaultWorkspaceID   = "5f2c6a10-8d1e-4f7b-9a55-0c3e2b7d9e41"
)

// Config selects the keys the server accepts and the data it is seeded with.
// The zero value is usable: default keys, no events.
type Config struct {
	APIKey        string // accepted on /v1/* model endpoints
	AdminKey      string // accepted on /v1/organization/*
	ComplianceKey string // accepted on /v1/compliance/*
	WorkspaceID   string // the one compliance workspace that exists

	AuditEvents      int   // audit log entries to seed
	ComplianceEvents int   // compliance records to seed, spread over every type and many files
	Seed             int64 // generator seed; same seed, same data
	// PublishDelay is the longest a compliance log file takes to appear in
	// the listing after its end_time (the real platform's p99 is about 30
	// minutes); each file's delay is drawn from [0, PublishDelay]. Zero
	// lists every file at once.
	PublishDelay time.Duration
	// ComplianceRateLimit limits the compliance listing and file routes,
	// each on its own, as the platform does. The zero value: no limit.
	ComplianceRateLimit RateLimit
	// DirectDownloads makes the compliance file route answer 200 with the
	// JSON Lines itself, instead of a 307 to a signed URL on the blob host:
	// the platform has answered both ways, and the reference integration
	// accepts both.
	DirectDownloads bool
	// CompatibleServer makes Chat Completions behave like an
	// OpenAI-compatible server (vLLM, Ollama, LiteLLM, older Azure
	// deployments) that knows max_tokens but refuses max_completion_tokens
	// with a 400 naming it.
	CompatibleServer bool
	// RecordsPerFile is about how many records a compliance log file
	// holds (files vary around it); zero means 60. A file per type and
	// five-minute window at most, as the platform writes them, so a
	// value too small for the backlog makes larger files.
	RecordsPerFile int
	// Latency delays every answer, API routes and signed file downloads
	// alike, as a network and a real service do; zero answers at once.
	Latency time.Duration

	// Now is the server's clock; nil means time.Now. Seeded events lie in
	// the day before Now.
	Now func() time.Time

	// OnExchange, when set, is called after every answered request, on
	// the API and on the blob host, possibly from several goroutines at
	// once (exchange.go).
	OnExchange func(Exchange)
}

func (c Config) withDefaults() Config {
	if c.APIKey == "" {
		c.APIKey = DefaultAPIKey
	}
	if c.AdminKey == "" {
		c.AdminKey = DefaultAdminKey
	}
	if c.ComplianceKey == "" {
		c.ComplianceKey = DefaultComplianceKey
	}
	if c.WorkspaceID == "" {
		c.WorkspaceID = DefaultWorkspaceID
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Server is the fake. Create it with New, then either mount it as an
// http.Handler or call Start to serve it on loopback.
type Server struct {
	cfg    Config
	mux    *http.ServeMux
	api    http.Handler // mux behind the OnExchange hook
	faults faultQueue
	limits *rateLimiter // compliance routes

	mu       sync.Mutex
	requests []RecordedRequest

	// blobURL is the origin of the second listener that serves signed
	// compliance file downloads (the real API redirects to another host).
	blobURL string
	blob    *http.ServeMux

	// gen is the seeded audit and compliance data (event_routes.go);
	// sums are the sizes and checksums of the log files listed so far,
	// computed on first listing, guarded by genMu.
	gen   *generator
	genMu sync.Mutex
	sums  map[int]fileSum

	// oai is the model endpoints' state: stored responses, scripted
	// background outcomes, id counters (openai_routes.go).
	oai *openAIState

	servers []*http.Server // started by Start, stopped by Close or Shutdown
}

// RecordedRequest is one request the server received, kept so tests can
// check what the client really sent.
type RecordedRequest struct {
	Method string
	Path   string
	Query  string
	Header http.Header
	Body   []byte
}

// New builds a server from cfg.
func New(cfg Config) *Server {
	s := &Server{cfg: cfg.withDefaults(), mux: http.NewServeMux(), blob: http.NewServeMux()}
	// The limiter keeps real time even when Config.Now is frozen: Retry-After
	// is a real wait.
	s.limits = newRateLimiter(s.cfg.ComplianceRateLimit, time.Now)
	s.routes()
	s.api = s.observe(s.mux)
	return s
}

// Config returns the effective configuration (with defaults filled in).
func (s *Server) Config() Config { return s.cfg }

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.api.ServeHTTP(w, r)
}

// Start serves the API on addr (":0" or "" for a free loopback port) and the
// blob host on another free loopback port. It returns the API's base URL
// (scheme://host:port, no trailing slash).
func (s *Server) Start(addr string) (string, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	blobURL, err := s.listen("127.0.0.1:0", s.observe(s.blob))
	if err != nil {
		return "", err
	}
	s.blobURL = blobURL
	return s.listen(addr, s)
}

func (s *Server) listen(addr string, h http.Handler) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln) //nolint:errcheck // returns on Close or Shutdown
	s.servers = append(s.servers, srv)
	return "http://" + ln.Addr().String(), nil
}

// Close stops every listener started by Start at once, dropping requests
// in flight: what a test wants when it is done with the server.
func (s *Server) Close() {
	for _, srv := range s.servers {
		srv.Close()
	}
	s.servers = nil
}

// Shutdown stops accepting requests and waits, until ctx ends, for those in
// flight to be answered and reported to Config.OnExchange, so a request log
// is complete when a person stops the fake; then it closes what is left.
func (s *Server) Shutdown(ctx context.Context) error {
	var errs []error
	for _, srv := range s.servers {
		errs = append(errs, srv.Shutdown(ctx))
	}
	s.Close()
	return errors.Join(errs...)
}

// Requests returns a copy of the requests received so far whose path starts
// with prefix ("" for all).
func (s *Server) Requests(prefix string) []RecordedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []RecordedRequest
	for _, r := range s.requests {
		if strings.HasPrefix(r.Path, prefix) {
			out = append(out, r)
		}
	}
	return out
}

func (s *Server) record(r *http.Request, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, RecordedRequest{
		Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
		Header: r.Header.Clone(), Body: body,
	})
}

// keyKind names which credential a route needs.
type keyKind int

const (
	keyAPI keyKind = iota
	keyAdmin
	keyCompliance
)

func (s *Server) routes() {
	s.openAIRoutes()
	s.eventRoutes()
}

// handle registers h on pattern behind the credential check, request
// recording and the scripted faults for that route. route is the short
// name tests use to script faults (e.g. "chat", "audit_logs").
func (s *Server) handle(pattern, route string, kind keyKind, h http.HandlerFunc) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if !s.delay(r) {
			return
		}
		body := readBody(r)
		s.record(r, body)
		if !s.authorized(w, r, kind) {
			return
		}
		if kind == keyCompliance && !s.limits.allow(route, w) {
			return
		}
		s.faults.serve(route, w, r, h)
	})
}

// delay waits Config.Latency before a request is served; false means the
// client went away meanwhile.
func (s *Server) delay(r *http.Request) bool {
	if s.cfg.Latency <= 0 {
		return true
	}
	t := time.NewTimer(s.cfg.Latency)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

func (s *Server) authorized(w http.ResponseWriter, r *http.Request, kind keyKind) bool {
	want := map[keyKind]string{keyAPI: s.cfg.APIKey, keyAdmin: s.cfg.AdminKey, keyCompliance: s.cfg.ComplianceKey}[kind]
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok && kind == keyAPI {
		got, ok = r.Header.Get("api-key"), r.Header.Get("api-key") != "" // Azure OpenAI style
	}
	if !ok || got == "" {
		writeError(w, http.StatusUnauthorized, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", "invalid_request_error", "", "")
		return false
	}
	if got != want {
		writeError(w, http.StatusUnauthorized, "Incorrect API key provided: "+redactKey(got)+". You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", "", "invalid_api_key")
		return false
	}
	return true
}

// redactKey shows a key the way OpenAI's 401 does: first and last few
// characters only.
func redactKey(k string) string {
	if len(k) <= 8 {
		return "****"
	}
	return k[:3] + strings.Repeat("*", 8) + k[len(k)-4:]
}

// APIError is OpenAI's error envelope.
type APIError struct {
	Error APIErrorBody `json:"error"`
}

// APIErrorBody is the inside of the envelope; param and code are null when unset.
type APIErrorBody struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    *string `json:"code"`
}

func writeError(w http.ResponseWriter, status int, message, typ, param, code string) {
	body := APIErrorBody{Message: message, Type: typ}
	if param != "" {
		body.Param = &param
	}
	if code != "" {
		body.Code = &code
	}
	writeJSON(w, status, APIError{Error: body})
}

// requestID is a fresh x-request-id, shaped as the API's: "req_" and 32
// hex digits, different on every answer (support asks for the one of a
// failed call, so a client that logs it must log the right one).
func requestID() string {
	var b [16]byte
	rand.Read(b[:]) //nolint:errcheck // crypto/rand does not fail
	return "req_" + hex.EncodeToString(b[:])
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-request-id", requestID())
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v) //nolint:errcheck // client gone
}
