package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
)

func (a *app) fakeOpenAI(g *globals, args []string) int {
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
	fs.DurationVar(&cfg.Latency, "latency", 0, "delay before every answer, API requests and file downloads alike (e.g. 80ms)")
	fs.IntVar(&cfg.RecordsPerFile, "records-per-file", 0, "about how many records a compliance log file holds (0: 60)")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return exitRefused
	}
	if len(rest) > 0 {
		return a.fail(exitRefused, "fake-openai takes no arguments, only flags")
	}
	if cfg.AuditEvents < 0 || cfg.ComplianceEvents < 0 {
		return a.fail(exitRefused, "fake-openai: event counts cannot be negative")
	}
	if cfg.ComplianceRateLimit.Requests < 0 {
		return a.fail(exitRefused, "fake-openai: --compliance-rpm cannot be negative")
	}
	if cfg.Latency < 0 || cfg.RecordsPerFile < 0 {
		return a.fail(exitRefused, "fake-openai: --latency and --records-per-file cannot be negative")
	}
	if cfg.PublishDelay < 0 {
		return a.fail(exitRefused, "fake-openai: --publish-delay cannot be negative")
	}
	srv := fakeopenai.New(cfg)
	url, err := srv.Start(*addr)
	if err != nil {
		return a.fail(exitRefused, "fake-openai: listen on %s: %v", *addr, err)
	}
	defer srv.Close()
	eff := srv.Config()
	fmt.Fprintf(a.stdout, "fake OpenAI and ChatGPT Compliance APIs at %s\n", url)
	fmt.Fprintf(a.stdout, "  api key:        %s\n  admin key:      %s\n  compliance key: %s\n  workspace id:   %s\n",
		eff.APIKey, eff.AdminKey, eff.ComplianceKey, eff.WorkspaceID)
	fmt.Fprintf(a.stdout, "  seeded:         %d audit events, %d compliance records\n", eff.AuditEvents, eff.ComplianceEvents)
	fmt.Fprintf(a.stdout, "point an instance at it:\n  host-sim instance set %s\n", strings.Join(fakeInstance(url, eff), " "))
	fmt.Fprintln(a.stdout, "serving until interrupted (Ctrl-C)")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
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
