package commands

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/soarkit/openai-gpt/internal/events"
	"github.com/soarkit/openai-gpt/internal/gpt"
	"github.com/soarkit/openai-gpt/internal/protocol"
	"github.com/soarkit/openai-gpt/internal/settings"
)

// Test is test-module: every parameter is checked, then every configured
// capability is probed with its own credential.
func (p *Plugin) Test(ctx context.Context, _ protocol.Host, req protocol.TestRequest) (res protocol.TestResult, err error) {
	defer p.guard(p.log, "test-module", func(r any) {
		res, err = protocol.TestResult{Error: fmt.Sprintf("internal error in test-module: %v", r)}, nil
	}, func() { res.Error = p.redactor.String(res.Error) })
	s, err := p.settings(req.Params)
	if err != nil {
		return protocol.TestResult{Error: err.Error()}, nil
	}
	if err := probe(ctx, s); err != nil {
		return protocol.TestResult{Error: err.Error()}, nil
	}
	return protocol.TestResult{OK: true}, nil
}

func probe(ctx context.Context, s settings.Settings) error {
	cfg := eventsConfig(s)
	collectors := s.AdminAPIKey != "" || s.ComplianceAPIKey != "" || s.WorkspaceID != ""
	if s.APIKey == "" && !collectors && !s.FetchEvents {
		return errors.New("nothing to test: set apikey (OpenAI API Key) for the gpt-* commands, " +
			"admin_api_key for OpenAI audit logs, or compliance_api_key and workspace_id for ChatGPT compliance logs")
	}
	if s.FetchEvents {
		if len(s.EventTypes) == 0 {
			return errors.New("parameter event_types_to_fetch: fetching events is on but no event type is selected")
		}
		if err := events.CheckCredentials(cfg); err != nil {
			return err
		}
	} else {
		// Without scheduled fetching, probe whichever collectors have
		// credentials: they serve openai-get-events, whatever is selected.
		if (s.ComplianceAPIKey == "") != (s.WorkspaceID == "") {
			missing := "workspace_id (Workspace ID)"
			if s.ComplianceAPIKey == "" {
				missing = "compliance_api_key (Compliance API Key)"
			}
			return fmt.Errorf("ChatGPT compliance logs need compliance_api_key and workspace_id together: set %s, or clear the other", missing)
		}
		cfg.EventTypes = credentialedLabels(s)
	}
	if s.APIKey != "" {
		if _, err := gpt.New(gptConfig(s, gpt.Generation{})).Models.List(ctx); err != nil {
			return fmt.Errorf("OpenAI API key (apikey) at %s: %s", s.OpenAIBaseURL, gpt.Describe(err))
		}
	}
	if len(cfg.EventTypes) > 0 {
		if err := events.Probe(ctx, cfg); err != nil {
			return err
		}
	}
	return nil
}

// credentialedLabels are the event types whose credentials are set: the
// selected ones, plus audit logs whenever the admin key is set, and every
// compliance type when the compliance credentials are set but none is
// selected, so each credential present is probed. Which credential
// enables which type is events.ReadyEventTypes'.
func credentialedLabels(s settings.Settings) []string {
	isAudit := func(l string) bool { return l == events.AuditLabel }
	compliance := slices.DeleteFunc(slices.Clone(s.EventTypes), isAudit)
	if len(compliance) == 0 {
		compliance = slices.DeleteFunc(events.Labels(), isAudit)
	}
	ready, _ := events.ReadyEventTypes(events.Config{
		AdminAPIKey: s.AdminAPIKey, ComplianceAPIKey: s.ComplianceAPIKey, WorkspaceID: s.WorkspaceID,
		EventTypes: append([]string{events.AuditLabel}, compliance...),
	})
	return ready
}
