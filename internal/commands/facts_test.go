package commands

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/events"
	"github.com/soarkit/openai-gpt/internal/settings"
	"github.com/soarkit/openai-gpt/manifest"
)

// TestFactsAgreeWithTheManifest: every default and label the Go code holds
// for itself is the manifest's (integration.yml), so that neither can
// change alone. The Go copies serve a host that sends a parameter or an
// argument empty, and the collectors, which know no manifest.
func TestFactsAgreeWithTheManifest(t *testing.T) {
	m := manifest.Default()
	param := func(name string) *manifest.Param {
		p, ok := m.Param(name)
		require.True(t, ok, "the manifest declares no parameter %s", name)
		return p
	}
	arg := func(command, name string) *manifest.Argument {
		c, ok := m.Command(command)
		require.True(t, ok, "the manifest declares no command %s", command)
		a, ok := c.Argument(name)
		require.True(t, ok, "%s declares no argument %s", command, name)
		return a
	}
	stream := func(id string) *manifest.EventStream {
		s, ok := m.EventStream(id)
		require.True(t, ok, "the manifest declares no event stream %s", id)
		return s
	}
	itoa := strconv.Itoa

	// Instance defaults.
	assert.Equal(t, param("url").DefaultValue, settings.DefaultOpenAIURL, "url")
	assert.Equal(t, param("chatgpt_api_url").DefaultValue, settings.DefaultChatGPTURL, "chatgpt_api_url")
	assert.Equal(t, param("model-select").DefaultValue, settings.DefaultModel, "model-select")
	assert.Equal(t, param("eventFetchInterval").DefaultValue, itoa(int(settings.DefaultFetchInterval/time.Minute)), "eventFetchInterval (minutes)")
	for _, c := range []struct {
		param           string
		settings, event int
	}{
		{"audit_max_fetch", settings.DefaultAuditMaxFetch, events.DefaultAuditMaxFetch},
		{"compliance_max_fetch", settings.DefaultComplianceMaxFetch, events.DefaultComplianceMaxFetch},
	} {
		assert.Equal(t, param(c.param).DefaultValue, itoa(c.settings), "%s: settings", c.param)
		assert.Equal(t, param(c.param).DefaultValue, itoa(c.event), "%s: events", c.param)
	}

	// openai-get-events' limit.
	assert.Equal(t, arg("openai-get-events", "limit").DefaultValue, itoa(events.DefaultLimit), "openai-get-events limit")

	// The event type labels, in order, wherever the manifest lists them.
	assert.Equal(t, param("event_types_to_fetch").Options, events.Labels(), "event_types_to_fetch options")
	assert.Equal(t, arg("openai-get-events", "event_type").Predefined, events.Labels(), "openai-get-events event_type")

	// The streams: which labels each carries (so which credential enables
	// them: the admin key the audit stream, the compliance key and
	// workspace the compliance stream), and their datasets.
	audit, compliance := stream(events.StreamAudit), stream(events.StreamCompliance)
	assert.Equal(t, []string{events.AuditLabel}, audit.EventTypes)
	assert.Equal(t, events.Labels()[1:], compliance.EventTypes)
	assert.Equal(t, events.DatasetAudit, audit.Dataset)
	assert.Equal(t, events.DatasetCompliance, compliance.Dataset)
	onlyAdmin, _ := events.ReadyEventTypes(events.Config{AdminAPIKey: "a", EventTypes: events.Labels()})
	assert.Equal(t, audit.EventTypes, onlyAdmin, "the admin key enables the audit stream's labels")
	onlyCompliance, _ := events.ReadyEventTypes(events.Config{ComplianceAPIKey: "c", WorkspaceID: "w", EventTypes: events.Labels()})
	assert.Equal(t, compliance.EventTypes, onlyCompliance, "the compliance key and workspace enable the compliance stream's labels")
}

// TestCredentialedLabels: test-module probes each credential present: the
// selected types it enables, audit logs whenever the admin key is set, and
// every compliance type when none is selected.
func TestCredentialedLabels(t *testing.T) {
	compliance := events.Labels()[1:]
	for _, c := range []struct {
		name string
		s    settings.Settings
		want []string
	}{
		{"admin key only", settings.Settings{AdminAPIKey: "a"}, []string{events.AuditLabel}},
		{"admin key, Apps selected, compliance set", settings.Settings{AdminAPIKey: "a", ComplianceAPIKey: "c", WorkspaceID: "w", EventTypes: []string{"Apps"}},
			[]string{events.AuditLabel, "Apps"}},
		{"selected out of order", settings.Settings{AdminAPIKey: "a", ComplianceAPIKey: "c", WorkspaceID: "w", EventTypes: []string{"Auth", events.AuditLabel, "Apps"}},
			[]string{events.AuditLabel, "Auth", "Apps"}},
		{"compliance set, nothing selected", settings.Settings{ComplianceAPIKey: "c", WorkspaceID: "w"}, compliance},
		{"compliance without workspace", settings.Settings{ComplianceAPIKey: "c", EventTypes: []string{events.AuditLabel, "Apps"}}, nil},
		{"nothing", settings.Settings{}, nil},
	} {
		got := credentialedLabels(c.s)
		if len(c.want) == 0 {
			assert.Empty(t, got, c.name)
			continue
		}
		assert.Equal(t, c.want, got, c.name)
	}
}
