package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/openai/openai-go/v3"
)

// lookBack is how far the first fetch (no cursor yet) reaches back.
const lookBack = 24 * time.Hour

// stream is one collector: its name, dataset and run function.
type stream struct {
	name, dataset string
	run           func(ctx context.Context, cfg Config, last json.RawMessage, max int, start time.Time, out *pusher) error
}

// streams are the collectors cfg selects, with their per-fetch caps.
func streams(cfg Config) ([]stream, []int) {
	var out []stream
	var caps []int
	if cfg.wantsAudit() {
		out = append(out, stream{StreamAudit, DatasetAudit, runAudit})
		caps = append(caps, orDefault(cfg.AuditMaxFetch, DefaultAuditMaxFetch))
	}
	if len(cfg.complianceAPITypes()) > 0 {
		out = append(out, stream{StreamCompliance, DatasetCompliance, runCompliance})
		caps = append(caps, orDefault(cfg.ComplianceMaxFetch, DefaultComplianceMaxFetch))
	}
	return out, caps
}

func orDefault(n, def int) int {
	if n <= 0 {
		return def
	}
	return n
}

// Fetch runs one fetch cycle: every selected stream, concurrently, from its
// cursor in last (none: one day back), up to its per-fetch cap. Events are
// pushed to sink page by page with the cursor that follows them; a stream
// that fails keeps what it pushed and does not stop the others. The result
// has one entry per selected stream, with the cursor the host last
// acknowledged.
func Fetch(ctx context.Context, cfg Config, last Cursors, sink Sink) []StreamResult {
	ss, caps := streams(cfg)
	start := cfg.now().Add(-lookBack)
	results := make([]StreamResult, len(ss))
	var wg sync.WaitGroup
	for i, s := range ss {
		wg.Go(func() {
			out := &pusher{sink: sink, stream: s.name, dataset: s.dataset, cursor: last[s.name]}
			err := recovering("collecting "+s.name, func() error { return s.run(ctx, cfg, last[s.name], caps[i], start, out) })
			results[i] = StreamResult{Stream: s.name, Count: out.count, Cursor: out.cursor, Err: err}
		})
	}
	wg.Wait()
	return results
}

// recovering runs f and turns a panic in it into an error naming what was
// being done: a stream runs on a goroutine of its own, beyond the reach of
// the plugin's handler guard, and a panic there would end the plugin and
// every call in flight.
func recovering(what string, f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = internalError(what, r)
		}
	}()
	return f()
}

// internalError is a recovered panic as an error.
func internalError(what string, r any) error {
	return fmt.Errorf("internal error while %s: %v (the plugin is still running; please report this)", what, r)
}

// DefaultLimit is openai-get-events' events per stream when none is given
// (the manifest's default of its limit argument; a test holds the two).
const DefaultLimit = 50

// GetOptions narrows an on-demand fetch.
type GetOptions struct {
	EventTypes []string  // labels; empty means the Config's
	Limit      int       // events per stream; <= 0 means DefaultLimit
	Start      time.Time // zero means one day back
}

// collector keeps what an on-demand fetch gathers.
type collector struct {
	mu     sync.Mutex
	events []json.RawMessage
	size   int64
}

// maxGetBytes bounds the events one stream adds to an openai-get-events
// result, which is held whole (entries, context) unlike a fetch's pages:
// limit alone would let a server sending large entries make the result
// any size.
const maxGetBytes = 16 << 20

func (c *collector) Push(_ context.Context, b Batch) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var size int64
	for _, e := range b.Events {
		size += int64(len(e))
	}
	if c.size+size > maxGetBytes {
		return fmt.Errorf("stopped after %d events: the next %d would take this stream past %d MiB, the bound of one openai-get-events result; "+
			"ask for fewer (limit) or a later start_time, or collect with fetch-events, which has no such bound", len(c.events), len(b.Events), maxGetBytes>>20)
	}
	c.size += size
	c.events = append(c.events, b.Events...)
	return nil
}

// Get fetches up to opt.Limit events per selected stream from opt.Start,
// for openai-get-events. It runs the fetch pipeline without a cursor and
// never touches the saved ones. Events come back enriched, audit first.
//
// Which opt.Limit events each stream returns follows the APIs' order:
// audit logs are listed newest first, so the audit stream returns the
// newest Limit entries since Start; compliance log files are listed oldest
// first (by end_time), so the compliance stream returns the earliest Limit
// records since Start. Every compliance record stamped (_time) before
// Start is dropped, though its log file ends after Start.
func Get(ctx context.Context, cfg Config, opt GetOptions) ([]json.RawMessage, []StreamResult) {
	if len(opt.EventTypes) > 0 {
		cfg.EventTypes = opt.EventTypes
	}
	limit := orDefault(opt.Limit, DefaultLimit)
	start := opt.Start
	if start.IsZero() {
		start = cfg.now().Add(-lookBack)
	}
	ss, _ := streams(cfg)
	for i := range ss {
		if ss[i].name == StreamCompliance {
			ss[i].run = func(ctx context.Context, cfg Config, last json.RawMessage, max int, start time.Time, out *pusher) error {
				return runComplianceSince(ctx, cfg, last, max, start, start, out)
			}
		}
	}
	results := make([]StreamResult, len(ss))
	sinks := make([]*collector, len(ss))
	var wg sync.WaitGroup
	for i, s := range ss {
		sinks[i] = &collector{}
		wg.Go(func() {
			out := &pusher{sink: sinks[i], stream: s.name, dataset: s.dataset}
			err := recovering("collecting "+s.name, func() error { return s.run(ctx, cfg, nil, limit, start, out) })
			results[i] = StreamResult{Stream: s.name, Count: out.count, Err: err}
		})
	}
	wg.Wait()
	var all []json.RawMessage
	for _, c := range sinks {
		all = append(all, c.events...)
	}
	return all, results
}

// Probe checks each selected stream's credentials with one small request:
// one audit log entry, one compliance logs listing. The error names the
// parameter to fix.
func Probe(ctx context.Context, cfg Config) error {
	if err := CheckCredentials(cfg); err != nil {
		return err
	}
	var errs []error
	if cfg.wantsAudit() {
		params := openai.AdminOrganizationAuditLogListParams{Limit: openai.Int(1)}
		if _, err := listAudit(ctx, cfg, auditClient(cfg), params); err != nil {
			errs = append(errs, fmt.Errorf("OpenAI audit logs (admin_api_key): %w", err))
		}
	}
	if len(cfg.complianceAPITypes()) > 0 {
		after := cfg.now().Add(-lookBack).UTC().Format(time.RFC3339)
		client, err := newComplianceClient(cfg)
		if err == nil {
			_, err = client.list(ctx, after, 1)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("ChatGPT compliance logs (compliance_api_key, workspace_id): %w", err))
		}
	}
	return errors.Join(errs...)
}

// MissingCredentials is a group of selected event types that cannot be
// read for want of credentials, with the parameters that would enable
// them.
type MissingCredentials struct {
	Labels []string // event type labels, in the order selected
	Params []string // e.g. "admin_api_key (Admin API Key)"
}

// String reads "Apps, Auth: set compliance_api_key (Compliance API Key)
// and workspace_id (Workspace ID)".
func (m MissingCredentials) String() string {
	return strings.Join(m.Labels, ", ") + ": set " + strings.Join(m.Params, " and ")
}

// ReadyEventTypes splits cfg.EventTypes into the labels whose credentials
// are configured and, for the others, what is missing: at most one group
// for the audit stream and one for the compliance stream. Unknown labels
// are in neither; CheckCredentials reports them.
func ReadyEventTypes(cfg Config) (ready []string, missing []MissingCredentials) {
	var audit, compliance MissingCredentials
	if cfg.AdminAPIKey == "" {
		audit.Params = []string{"admin_api_key (Admin API Key)"}
	}
	if cfg.ComplianceAPIKey == "" {
		compliance.Params = append(compliance.Params, "compliance_api_key (Compliance API Key)")
	}
	if cfg.WorkspaceID == "" {
		compliance.Params = append(compliance.Params, "workspace_id (Workspace ID)")
	}
	known := Labels()
	for _, l := range cfg.EventTypes {
		switch {
		case !slices.Contains(known, l) || slices.Contains(ready, l) || slices.Contains(audit.Labels, l) || slices.Contains(compliance.Labels, l):
		case l == AuditLabel && len(audit.Params) > 0:
			audit.Labels = append(audit.Labels, l)
		case l != AuditLabel && len(compliance.Params) > 0:
			compliance.Labels = append(compliance.Labels, l)
		default:
			ready = append(ready, l)
		}
	}
	for _, m := range []MissingCredentials{audit, compliance} {
		if len(m.Labels) > 0 {
			missing = append(missing, m)
		}
	}
	return ready, missing
}

// CheckLabels checks that every label is an event type this integration
// knows; the error names where the labels came from (param), the unknown
// ones and the allowed ones.
func CheckLabels(param string, labels []string) error {
	known := Labels()
	var unknown []string
	for _, l := range labels {
		if !slices.Contains(known, l) {
			unknown = append(unknown, fmt.Sprintf("%q", l))
		}
	}
	if len(unknown) > 0 {
		return fmt.Errorf("%s: unknown event type %s; allowed: %s",
			param, strings.Join(unknown, ", "), strings.Join(known, ", "))
	}
	return nil
}

// JoinMissing spells out what ReadyEventTypes found missing, group by
// group.
func JoinMissing(missing []MissingCredentials) string {
	parts := make([]string, len(missing))
	for i, m := range missing {
		parts[i] = m.String()
	}
	return strings.Join(parts, "; ")
}

// CheckCredentials checks the selected event types against the credentials
// they need; the error names the missing parameters (admin_api_key,
// compliance_api_key, workspace_id), each with the types that need it, or
// the unknown label.
func CheckCredentials(cfg Config) error {
	if err := CheckLabels("parameter event_types_to_fetch", cfg.EventTypes); err != nil {
		return err
	}
	_, missing := ReadyEventTypes(cfg)
	var params []string
	for _, m := range missing {
		for _, p := range m.Params {
			params = append(params, p+" for "+strings.Join(m.Labels, ", "))
		}
	}
	if len(params) > 0 {
		return fmt.Errorf("missing parameter: %s", strings.Join(params, "; "))
	}
	return nil
}
