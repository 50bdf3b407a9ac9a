package commands

import (
	"github.com/soarkit/openai-gpt/internal/events"
	"github.com/soarkit/openai-gpt/internal/gpt"
	"github.com/soarkit/openai-gpt/internal/settings"
)

// The clients' configurations are built here, from the instance settings,
// and nowhere else: the packages that use them (gpt, events) do not know
// the settings.

// eventsConfig is the collectors' view of the settings.
func eventsConfig(s settings.Settings) events.Config {
	return events.Config{
		OpenAIBaseURL:      s.OpenAIBaseURL,
		AdminAPIKey:        s.AdminAPIKey,
		ChatGPTBaseURL:     s.ChatGPTBaseURL,
		ComplianceAPIKey:   s.ComplianceAPIKey,
		WorkspaceID:        s.WorkspaceID,
		EventTypes:         s.EventTypes,
		AuditMaxFetch:      s.AuditMaxFetch,
		ComplianceMaxFetch: s.ComplianceMaxFetch,
		HTTPClient:         s.HTTPClient(),
	}
}

// gptConfig is the model API client's view of the settings; gen is the
// call's sampling settings (Call.Generation), sent with every request.
func gptConfig(s settings.Settings, gen gpt.Generation) gpt.Config {
	return gpt.Config{
		BaseURL:    s.OpenAIBaseURL,
		APIKey:     s.APIKey,
		Azure:      s.IsAzure(),
		HTTPClient: s.HTTPClient(),
		Model:      s.Model,
		Gen:        gen,
	}
}
