package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/tidwall/gjson"

	"github.com/soarkit/openai-gpt/internal/httpguard"
	"github.com/soarkit/openai-gpt/internal/retry"
)

// complianceBatch is how many records go in one push; files are pushed in
// chunks of this size (several small files may share one push).
// Each push also carries the cursor with its dedupe rings (see
// seenCapacity), so pushes are few and large.
const complianceBatch = 1000

// complianceBatchBytes also ends a push, so a batch of large records (long
// conversation messages) stays far below the host's message limit.
const complianceBatchBytes = 4 << 20

// listPageSize is the logs listing's page size (the API's maximum).
const listPageSize = 100

// complianceClient reaches one workspace's Compliance Logs Platform.
type complianceClient struct {
	api      openai.Client
	files    openai.Client // the file route: its 200 answer is streamed, not held in memory
	blob     *http.Client  // for signed URLs: never carries the key
	logsPath string        // relative to the ChatGPT base URL
	baseURL  string
	types    []string
}

// validWorkspaceID reports whether id is a workspace id the collector will
// put in a path: a UUID, or another id form the platform issues (letters,
// digits, '-', '_', '.', starting with a letter or digit), up to 128
// characters. Only Compliance calls check it, so a bad one never breaks the
// gpt-* commands. A loop, not a regexp: `{0,127}` compiled at package init
// cost the plugin's cold start 120 KB.
func validWorkspaceID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case (c == '.' || c == '_' || c == '-') && i > 0:
		default:
			return false
		}
	}
	return true
}

// checkWorkspaceID names workspace_id and what it accepts.
func checkWorkspaceID(id string) error {
	if !validWorkspaceID(id) {
		return fmt.Errorf("parameter workspace_id: %.80q is not a workspace id: give the id of the compliance workspace "+
			"(a UUID such as 5f2c6a10-8d1e-4f7b-9a55-0c3e2b7d9e41, or letters, digits, '-', '_' and '.', up to 128 characters)", id)
	}
	return nil
}

// newComplianceClient refuses a malformed workspace id before any call.
func newComplianceClient(cfg Config) (*complianceClient, error) {
	if err := checkWorkspaceID(cfg.WorkspaceID); err != nil {
		return nil, err
	}
	hc := httpClient(cfg)
	return &complianceClient{
		// The SDK sends the key as a bearer token; noRedirect so the file
		// endpoint's 307 comes back to us instead of being followed with
		// the key to another host.
		api: sdkClient(cfg.ChatGPTBaseURL, noRedirect(hc), option.WithAPIKey(cfg.ComplianceAPIKey)),
		files: openai.Client{Options: append(retry.StreamOptions(), option.WithBaseURL(cfg.ChatGPTBaseURL),
			option.WithHTTPClient(guarded(noRedirect(hc), blobRoute)), option.WithAPIKey(cfg.ComplianceAPIKey))},
		blob:     guarded(withRedirectCheck(hc, blobRedirects), blobRoute),
		logsPath: "compliance/workspaces/" + url.PathEscape(cfg.WorkspaceID) + "/logs",
		baseURL:  cfg.ChatGPTBaseURL,
		types:    cfg.complianceAPITypes(),
	}, nil
}

type logsPage struct {
	Object      string    `json:"object"`
	Data        []logFile `json:"data"`
	HasMore     bool      `json:"has_more"`
	LastEndTime string    `json:"last_end_time"`
}

// list asks for up to limit files ending strictly after `after`.
func (c *complianceClient) list(ctx context.Context, after string, limit int) (logsPage, error) {
	opts := []option.RequestOption{option.WithQuery("after", after), option.WithQuery("limit", strconv.Itoa(limit))}
	for _, t := range c.types {
		opts = append(opts, option.WithQueryAdd("event_type", t))
	}
	opts = append(opts, listingRoute.Option())
	var page logsPage
	if err := c.api.Get(ctx, c.logsPath, nil, &page, opts...); err != nil {
		return page, describeCall("list compliance logs at "+c.baseURL+c.logsPath, err, hint(err, "compliance_api_key", "workspace_id"))
	}
	if len(page.Data) > limit {
		return logsPage{}, fmt.Errorf("list compliance logs at %s%s: the compliance log listing holds %d files, %d were asked for: refused (the chatgpt_api_url parameter may point at a server that ignores limit)",
			c.baseURL, c.logsPath, len(page.Data), limit)
	}
	return page, nil
}

// blobRoute keeps a stalled file download (signed URL or a 200 from the
// file endpoint) from holding the fetch cycle;
// the file's size is bounded by its listed file_size (see verified).
var blobRoute = httpguard.Route{Name: "compliance log file", MaxBytes: math.MaxInt64,
	HeaderTimeout: time.Minute, IdleTimeout: time.Minute}

// guarded is hc (a copy) sending through r's transport.
func guarded(hc *http.Client, r httpguard.Route) *http.Client {
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	c := *hc
	c.Transport = r.Transport(next)
	return &c
}

// listingRoute bounds a compliance log listing: 100 file entries of a few
// hundred bytes each, so 4 MiB is far above a real one. The files
// themselves are bounded by their listed file_size.
var listingRoute = httpguard.Route{Name: "compliance log listing", MaxBytes: 4 << 20,
	HeaderTimeout: time.Minute, IdleTimeout: time.Minute,
	Hint: "the chatgpt_api_url parameter probably points at something that is not the ChatGPT Compliance API"}

// hint names the parameters to check for an answer that is about them.
func hint(err error, key, id string) string {
	switch statusOf(err) {
	case http.StatusUnauthorized, http.StatusForbidden:
		return " (check " + key + ")"
	case http.StatusNotFound:
		if id != "" {
			return " (check " + id + " and the server URL)"
		}
		return " (check the server URL)"
	}
	return ""
}

func laterTime(a, b string) bool {
	ta, ea := time.Parse(time.RFC3339Nano, a)
	tb, eb := time.Parse(time.RFC3339Nano, b)
	if ea != nil || eb != nil {
		return a > b
	}
	return ta.After(tb)
}

// runCompliance works through the log files listed after the cursor, file
// by file and record by record, pushing every complianceBatch records with
// the cursor that follows the last of them, until max records are pushed
// or the listing is exhausted.
func runCompliance(ctx context.Context, cfg Config, last json.RawMessage, max int, start time.Time, out *pusher) error {
	return runComplianceSince(ctx, cfg, last, max, start, time.Time{}, out)
}

// nextAfter is where the listing after page starts. `after` is exclusive,
// and nothing documents that files sharing an end_time stay on one page:
// starting after last_end_time could skip the rest of a group the page
// boundary split. So the next page starts after the page's last end_time
// but one; the last group is listed again, its files already pushed are
// skipped (Done), and any the boundary split off come through. A page
// that is one end_time throughout cannot be paged that way, and resumes
// after last_end_time.
func nextAfter(page logsPage) string {
	last := page.Data[len(page.Data)-1].EndTime
	for i := len(page.Data) - 2; i >= 0; i-- {
		if laterTime(last, page.Data[i].EndTime) {
			return page.Data[i].EndTime
		}
	}
	if page.LastEndTime != "" {
		return page.LastEndTime
	}
	return last
}

// stampedBefore reports whether an enriched event's _time is before t. A
// _time that does not parse as RFC 3339 is not known to be before: the
// event is kept.
func stampedBefore(ev json.RawMessage, t time.Time) bool {
	ts, err := time.Parse(time.RFC3339Nano, gjson.GetBytes(ev, "_time").Str)
	return err == nil && ts.Before(t)
}

// complianceEvent enriches one record. A record that is not a JSON object
// is still pushed, raw, with the parse error: dropping it would lose data
// silently.
func complianceEvent(rec []byte, complete bool, f logFile, n int, workspaceID string) (json.RawMessage, string, error) {
	var meta complianceMeta
	err := errors.New("record cut short")
	if complete {
		meta, err = readComplianceMeta(rec)
	}
	if err == nil {
		id, fields := complianceFields(meta, f, n, workspaceID)
		ev, eerr := enrichKeep(rec, fields)
		if eerr == nil {
			return ev, id, nil
		}
		err = eerr
	}
	id, fields := complianceFields(complianceMeta{}, f, n, workspaceID)
	fields["_raw"] = string(rec)
	fields["_parse_error"] = err.Error()
	ev := mustJSON(fields)
	return ev, id, err
}

// readComplianceMeta validates a record and reads its event_id, type and
// timestamp in one pass each with gjson, which costs a fraction of
// json.Unmarshal; json.Unmarshal only words the error of a bad record.
func readComplianceMeta(rec []byte) (complianceMeta, error) {
	if !gjson.ValidBytes(rec) {
		var v any
		if err := json.Unmarshal(rec, &v); err != nil {
			return complianceMeta{}, err
		}
		return complianceMeta{}, errors.New("not valid JSON")
	}
	doc := gjson.ParseBytes(rec)
	if !doc.IsObject() {
		return complianceMeta{}, fmt.Errorf("a record is a JSON object, not %s", doc.Type)
	}
	var meta complianceMeta
	for _, f := range [...]struct {
		name string
		dst  *string
	}{{"event_id", &meta.EventID}, {"type", &meta.Type}} {
		v := doc.Get(f.name)
		switch v.Type {
		case gjson.String:
			*f.dst = v.Str
		case gjson.Null:
		default:
			return complianceMeta{}, fmt.Errorf("field %s is not a string", f.name)
		}
	}
	if ts := doc.Get("timestamp"); ts.Exists() {
		meta.Timestamp = json.RawMessage(ts.Raw)
	}
	return meta, nil
}
