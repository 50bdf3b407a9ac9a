package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/tidwall/gjson"

	"github.com/soarkit/openai-gpt/internal/httpguard"
)

// auditPageSize is the Admin API's maximum page size.
const auditPageSize = 100

// auditPath is the Admin API's audit log listing, relative to the base URL.
const auditPath = "organization/audit_logs"

// auditPage is one page of the listing, entries kept as the API sent them.
// The SDK's typed page (Admin.Organization.AuditLogs.List) decodes every
// entry through reflection only for the collector to re-read its raw JSON:
// that was a third of the plugin's CPU in a fetch. So the page goes
// through the SDK's request machinery (auth, retries, errors) and is read
// here with one validating pass, entries sliced out of the body.
type auditPage struct {
	Data    []auditEntry
	HasMore bool
}

// auditEntry is one entry: what the collector reads of it, and all of it.
type auditEntry struct {
	ID          string
	EffectiveAt int64
	Raw         []byte
}

// parseAuditPage reads {object, data, first_id, last_id, has_more}.
func parseAuditPage(body []byte) (auditPage, error) {
	if !gjson.ValidBytes(body) {
		return auditPage{}, errors.New("the audit log page is not valid JSON")
	}
	doc := gjson.ParseBytes(body)
	data := doc.Get("data")
	if !data.IsArray() {
		return auditPage{}, errors.New("the audit log page has no data list")
	}
	page := auditPage{HasMore: doc.Get("has_more").Bool()}
	var err error
	data.ForEach(func(_, e gjson.Result) bool {
		id, at := e.Get("id"), e.Get("effective_at")
		if !e.IsObject() || id.Type != gjson.String || id.Str == "" || at.Type != gjson.Number {
			err = fmt.Errorf("audit log entry %d of a page has no string id and numeric effective_at: %.200s", len(page.Data), e.Raw)
			return false
		}
		page.Data = append(page.Data, auditEntry{ID: id.Str, EffectiveAt: at.Int(), Raw: []byte(e.Raw)})
		return true
	})
	return page, err
}

// auditClient sends the admin key as the bearer token, as the SDK's Admin
// services do.
func auditClient(cfg Config) openai.Client {
	return sdkClient(cfg.OpenAIBaseURL, httpClient(cfg), option.WithAPIKey(cfg.AdminAPIKey))
}

// listAudit asks for one page (retry.Options retries one cut short).
func listAudit(ctx context.Context, cfg Config, client openai.Client, params openai.AdminOrganizationAuditLogListParams) (auditPage, error) {
	var body []byte
	if err := client.Get(ctx, auditPath, params, &body, auditRoute.Option()); err != nil {
		return auditPage{}, describeCall("list audit logs at "+cfg.OpenAIBaseURL+auditPath, err, hint(err, "admin_api_key", ""))
	}
	page, err := parseAuditPage(body)
	if err == nil && params.Limit.Valid() && int64(len(page.Data)) > params.Limit.Value {
		// A server ignoring limit could hand over any number of entries
		// in one push; a page must hold what was asked for, at most.
		err = fmt.Errorf("the audit log page holds %d entries, %d were asked for: refused (the url parameter may point at a server that ignores limit)",
			len(page.Data), params.Limit.Value)
	}
	if err != nil {
		return auditPage{}, fmt.Errorf("list audit logs at %s%s: %w", cfg.OpenAIBaseURL, auditPath, err)
	}
	return page, nil
}

// auditRoute bounds an audit log page: 100 entries of a few KiB at most
// (an entry is one actor and one change), so 8 MiB is far above a real one.
var auditRoute = httpguard.Route{Name: "audit log page", MaxBytes: 8 << 20,
	HeaderTimeout: time.Minute, IdleTimeout: time.Minute,
	Hint: "the url parameter probably points at something that is not the OpenAI API"}

// runAudit works through the audit cursor's window page by page (see
// auditCursor), pushing each page with the cursor after its last entry,
// until max entries are pushed or the window is exhausted.
func runAudit(ctx context.Context, cfg Config, last json.RawMessage, max int, start time.Time, out *pusher) error {
	cur, err := decodeAuditCursor(last)
	if err != nil {
		return err
	}
	now := cfg.now().Unix()
	if cur.To == 0 {
		if cur.From == 0 {
			cur.From = start.Unix()
		}
		if cur.From >= now {
			return nil // nothing can have happened yet
		}
		// Open a window up to now (exclusive): entries of the current
		// second may still be arriving and wait for the next window.
		cur.To, cur.After = now, ""
	}
	client := auditClient(cfg)
	for out.count < max {
		params := openai.AdminOrganizationAuditLogListParams{
			Limit: openai.Int(int64(min(auditPageSize, max-out.count))),
			EffectiveAt: openai.AdminOrganizationAuditLogListParamsEffectiveAt{
				Gte: openai.Int(cur.From), Lt: openai.Int(cur.To),
			},
		}
		if cur.After != "" {
			params.After = openai.String(cur.After)
		}
		page, err := listAudit(ctx, cfg, client, params)
		if err != nil {
			return err
		}
		events := make([]json.RawMessage, 0, len(page.Data))
		for _, e := range page.Data {
			ev, err := enrichAudit(e.Raw, e.ID, e.EffectiveAt)
			if err != nil {
				return fmt.Errorf("audit log entry %s is not a JSON object: %w", e.ID, err)
			}
			events = append(events, ev)
		}
		next := cur
		if n := len(page.Data); n > 0 {
			next.After = page.Data[n-1].ID
		}
		done := len(page.Data) == 0 || !page.HasMore
		if done {
			next = auditCursor{V: cursorVersion, From: cur.To}
		}
		if err := out.push(ctx, events, mustJSON(next)); err != nil {
			return err
		}
		cur = next
		if done {
			return nil
		}
	}
	return nil
}
