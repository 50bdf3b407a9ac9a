package main

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
	"github.com/soarkit/openai-gpt/internal/host"
)

// demoEmailName is the bundled sample phishing email's file name.
const demoEmailName = "demo-phish.eml"

// demoEmail is a small, made-up phishing email: look-alike domain,
// failing SPF and DMARC, a Reply-To that differs from From, an urgent
// call to a credential-harvesting link.
//
//go:embed testdata/demo-phish.eml
var demoEmail []byte

// Demo seed sizes: enough events to show paging, small enough to be quick.
const (
	demoAuditEvents      = 500
	demoComplianceEvents = 500
)

func (a *app) demo(g *globals, args []string) int {
	fs := g.flagSet("demo", a.stderr)
	writeEmail := fs.String("write-email", "", "write the demo's sample phishing email to `FILE` (for file add) and stop")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return exitRefused
	}
	if len(rest) > 0 {
		return a.fail(exitRefused, "demo takes no arguments")
	}
	if *writeEmail != "" {
		if err := os.WriteFile(*writeEmail, demoEmail, 0o644); err != nil {
			return a.fail(exitRefused, "demo --write-email: %v", err)
		}
		fmt.Fprintf(a.stdout, "wrote the sample phishing email to %s (%d bytes); add it with: host-sim file add %s\n", *writeEmail, len(demoEmail), *writeEmail)
		return exitOK
	}
	// The demo never touches the user's state: it runs in a fresh
	// directory, kept afterwards so it can be explored.
	dir, err := os.MkdirTemp("", "host-sim-demo-")
	if err != nil {
		return a.fail(exitRefused, "demo: %v", err)
	}
	dg := *g
	dg.state = dir
	if err := os.WriteFile(filepath.Join(dir, demoEmailName), demoEmail, 0o600); err != nil {
		return a.fail(exitRefused, "demo: %v", err)
	}

	srv := fakeopenai.New(fakeopenai.Config{AuditEvents: demoAuditEvents, ComplianceEvents: demoComplianceEvents, Seed: 1})
	url, err := srv.Start("127.0.0.1:0")
	if err != nil {
		return a.fail(exitRefused, "demo: start the fake OpenAI server: %v", err)
	}
	defer srv.Close()

	ctx := context.Background()
	s, code := a.openHost(ctx, &dg, nil)
	if s == nil {
		return code
	}
	defer s.close()

	a.heading(fmt.Sprintf("Setup: fake OpenAI at %s, state in %s", url, dir))
	set := map[string]string{}
	for _, kv := range fakeInstance(url, srv.Config()) {
		k, v, _ := strings.Cut(kv, "=")
		if err := host.CheckParam(s.host.Manifest(), k, v); err != nil {
			return a.fail(exitRefused, "demo: %v", err)
		}
		set[k] = v
	}
	if err := s.store.SetParams(ctx, set); err != nil {
		return a.fail(exitRefused, "demo: %v", err)
	}
	fmt.Fprintf(a.stdout, "instance: url, chatgpt_api_url, apikey, admin_api_key, compliance_api_key, workspace_id, isFetchEvents=true\n")

	in := newInterpreter(a, s)
	in.vars["dir"] = dir
	failed := 0
	for i, step := range demoSteps() {
		fmt.Fprintln(a.stdout)
		a.heading(fmt.Sprintf("Step %d: %s", i+1, step.title))
		fmt.Fprintf(a.stdout, "> %s\n", in.expand(step.line))
		// A failing step (a command not implemented yet, say) shows its
		// error and the tour goes on.
		if code, _ := in.do(ctx, step.line); code != exitOK {
			failed++
		}
	}
	fmt.Fprintf(a.stdout, "\ndemo done: %d steps, %d failed. Explore it: host-sim --state %s context\n", len(demoSteps()), failed, dir)
	return exitOK
}

func (a *app) heading(text string) {
	if a.color {
		fmt.Fprintf(a.stdout, "\x1b[1;36m== %s ==\x1b[0m\n", text)
		return
	}
	fmt.Fprintf(a.stdout, "== %s ==\n", text)
}
