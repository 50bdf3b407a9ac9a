package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
)

func (a *app) fakeOpenAI(g *globals, args []string) int {
	f, code := a.fakeFlags(g, args)
	if code != exitOK {
		return code
	}
	return a.serveFake(f)
}

// fakeSetup is what fake-openai's flags ask for.
type fakeSetup struct {
	cfg     fakeopenai.Config
	addr    string
	logPath string // --log-requests: append one JSON line per request here
}

// fakeFlags reads fake-openai's flags into the server's configuration and
// listen address (the README test reads the README's line with it).
func (a *app) fakeFlags(g *globals, args []string) (fakeSetup, int) {
	fs := g.flagSet("fake-openai", a.stderr)
	addr := fs.String("addr", "127.0.0.1:0", "listen address (loopback; port 0 picks a free one)")
	var cfg fakeopenai.Config
	fs.StringVar(&cfg.APIKey, "api-key", fakeopenai.DefaultAPIKey, "the API key accepted on /v1 model endpoints")
	fs.StringVar(&cfg.AdminKey, "admin-key", fakeopenai.DefaultAdminKey, "the admin key accepted on /v1/organization")
	fs.StringVar(&cfg.ComplianceKey, "compliance-key", fakeopenai.DefaultComplianceKey, "the key accepted on /v1/compliance")
	fs.StringVar(&cfg.WorkspaceID, "workspace-id", fakeopenai.DefaultWorkspaceID, "the one compliance workspace")
	fs.IntVar(&cfg.AuditEvents, "audit-events", 1000, "audit log entries to seed")
	fs.IntVar(&cfg.ComplianceEvents, "compliance-events", 1000, "compliance records to seed")
	fs.Int64Var(&cfg.Seed, "seed", 1, "generator seed (same seed, same data)")
	fs.DurationVar(&cfg.PublishDelay, "publish-delay", 0, "longest delay before a compliance log file is listed after its end_time (e.g. 30m)")
	fs.IntVar(&cfg.ComplianceRateLimit.Requests, "compliance-rpm", 0, "requests a minute per compliance route before 429 with Retry-After (the platform allows about 100; 0: no limit)")
	download := fs.String("compliance-download", "redirect", "how a compliance log file is served: redirect (307 to a signed URL on another host) or direct (200 with the JSON Lines)")
	fs.BoolVar(&cfg.CompatibleServer, "compatible-server", false, "answer chat completions like an OpenAI-compatible server (vLLM, Ollama, LiteLLM, older Azure) that knows max_tokens and refuses max_completion_tokens")
	logPath := fs.String("log-requests", "", "append one JSON line per request (method, path, query, body with secrets masked, status, latency) to FILE")
	fs.DurationVar(&cfg.Latency, "latency", 0, "delay before every answer, API requests and file downloads alike (e.g. 80ms)")
	fs.IntVar(&cfg.RecordsPerFile, "records-per-file", 0, "about how many records a compliance log file holds (0: 60)")
	rest, err := parseInterspersed(fs, args)
	switch {
	case err != nil:
		return fakeSetup{}, exitRefused
	case len(rest) > 0:
		return fakeSetup{}, a.fail(exitRefused, "fake-openai takes no arguments, only flags")
	case cfg.AuditEvents < 0 || cfg.ComplianceEvents < 0:
		return fakeSetup{}, a.fail(exitRefused, "fake-openai: event counts cannot be negative")
	case cfg.ComplianceRateLimit.Requests < 0:
		return fakeSetup{}, a.fail(exitRefused, "fake-openai: --compliance-rpm cannot be negative")
	case cfg.PublishDelay < 0:
		return fakeSetup{}, a.fail(exitRefused, "fake-openai: --publish-delay cannot be negative")
	case cfg.Latency < 0 || cfg.RecordsPerFile < 0:
		return fakeSetup{}, a.fail(exitRefused, "fake-openai: --latency and --records-per-file cannot be negative")
	}
	switch *download {
	case "redirect":
	case "direct":
		cfg.DirectDownloads = true
	default:
		return fakeSetup{}, a.fail(exitRefused, "fake-openai: --compliance-download %q: use redirect or direct", *download)
	}
	return fakeSetup{cfg: cfg, addr: *addr, logPath: *logPath}, exitOK
}

// fakeShutdownGrace bounds how long a stopped fake waits for requests in
// flight (a slow compliance download under --latency) before dropping them.
const fakeShutdownGrace = 5 * time.Second

// serveFake serves the fake until interrupted.
func (a *app) serveFake(f fakeSetup) int {
	cfg, addr := f.cfg, f.addr
	if f.logPath != "" {
		log, err := os.OpenFile(f.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return a.fail(exitRefused, "fake-openai: --log-requests: %v", err)
		}
		defer log.Close()
		cfg.OnExchange = fakeopenai.NewRequestLog(log, cfg.APIKey, cfg.AdminKey, cfg.ComplianceKey)
	}
	srv := fakeopenai.New(cfg)
	url, err := srv.Start(addr)
	if err != nil {
		return a.fail(exitRefused, "fake-openai: listen on %s: %v", addr, err)
	}
	defer srv.Close()
	eff := srv.Config()
	fmt.Fprintf(a.stdout, "fake OpenAI and ChatGPT Compliance APIs at %s\n", url)
	fmt.Fprintf(a.stdout, "  api key:        %s\n  admin key:      %s\n  compliance key: %s\n  workspace id:   %s\n",
		eff.APIKey, eff.AdminKey, eff.ComplianceKey, eff.WorkspaceID)
	fmt.Fprintf(a.stdout, "  seeded:         %d audit events, %d compliance records\n", eff.AuditEvents, eff.ComplianceEvents)
	fmt.Fprintf(a.stdout, "point an instance at it:\n  host-sim instance set %s\n", strings.Join(fakeInstance(url, eff), " "))
	if f.logPath != "" {
		fmt.Fprintf(a.stdout, "  request log:    %s\n", f.logPath)
	}
	fmt.Fprintln(a.stdout, "serving until interrupted (Ctrl-C)")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	// Let requests in flight finish so the request log holds every one a
	// client saw answered; a second Ctrl-C is not needed to get out.
	shutCtx, cancel := context.WithTimeout(context.Background(), fakeShutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		fmt.Fprintf(a.stderr, "fake-openai: requests still in flight after %v were dropped\n", fakeShutdownGrace)
	}
	fmt.Fprintln(a.stderr, "fake-openai: stopped")
	return exitOK
}

// fakeInstance is the instance configuration (KEY=VALUE) that talks to a
// fake server at url, with events fetching on.
func fakeInstance(url string, cfg fakeopenai.Config) []string {
	return []string{
		"url=" + url,
		"chatgpt_api_url=" + url,
		"apikey=" + cfg.APIKey,
		"admin_api_key=" + cfg.AdminKey,
		"compliance_api_key=" + cfg.ComplianceKey,
		"workspace_id=" + cfg.WorkspaceID,
		"isFetchEvents=true",
	}
}
