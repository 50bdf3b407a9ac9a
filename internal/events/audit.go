package events

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/packages/pagination"
)

// auditPageSize is the Admin API's maximum page size.
const auditPageSize = 100

type auditPage = pagination.ConversationCursorPage[openai.AdminOrganizationAuditLogListResponse]

func auditClient(cfg Config) openai.Client {
	return sdkClient(cfg.OpenAIBaseURL, httpClient(cfg), option.WithAdminAPIKey(cfg.AdminAPIKey))
}

// listAudit asks for one page, retrying a body cut short (which the SDK
// does not retry itself).
func listAudit(ctx context.Context, cfg Config, client openai.Client, params openai.AdminOrganizationAuditLogListParams) (*auditPage, error) {
	var page *auditPage
	err := withRetry(ctx, 3, func() (err error) {
		page, err = client.Admin.Organization.AuditLogs.List(ctx, params)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list audit logs at %sorganization/audit_logs: %s%s", cfg.OpenAIBaseURL, describe(err), hint(err, "admin_api_key", ""))
	}
	return page, nil
}

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
			ev, err := enrichAudit([]byte(e.RawJSON()), e.ID, e.EffectiveAt)
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
