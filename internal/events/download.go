package events

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/openai/openai-go/v3"

	"github.com/soarkit/openai-gpt/internal/retry"
)

// spoolThreshold: files larger than this are written to a temporary file
// while they are checked, so memory stays flat whatever their size.
const spoolThreshold = 16 << 20

// maxUnlistedFileSize bounds a download whose listing gave no file_size.
const maxUnlistedFileSize = 1 << 30

// downloadAttempts bounds the tries of one file download (redirect and
// signed GET together: a retry asks for a fresh signed URL, in case the
// previous one expired).
const downloadAttempts = 4

// logFile is one entry of a compliance logs listing.
type logFile struct {
	ID         string `json:"id"`
	EventType  string `json:"event_type"`
	EndTime    string `json:"end_time"`
	FileName   string `json:"file_name"`
	FileSize   int64  `json:"file_size"`
	FileSHA256 string `json:"file_sha256"`
}

// errBlob is a failed download from the signed URL's host.
type errBlob struct {
	status     int
	body       string
	retryAfter time.Duration // the storage host's Retry-After, or retry.NotAsked
}

func (e *errBlob) Error() string {
	return fmt.Sprintf("signed download answered HTTP %d: %s", e.status, e.body)
}

// download fetches one log file: the API answers 307 with a short-lived
// signed URL on another host, which is fetched without the Authorization
// header (the storage host refuses a request carrying both, and the key must
// not leave for another host), or 200 with the file itself. The content is checked against file_size and
// file_sha256 before any record is read, so a truncated or corrupted file is
// retried rather than half-pushed. The caller closes the returned reader.
func (c *complianceClient) download(ctx context.Context, f logFile) (io.ReadCloser, error) {
	var lastErr error
	for attempt := range downloadAttempts {
		if attempt > 0 {
			ask := retry.NotAsked
			var be *errBlob
			if errors.As(lastErr, &be) {
				ask = be.retryAfter
			}
			wait, ok := retry.Wait(ctx, ask, time.Duration(200<<attempt)*time.Millisecond)
			if !ok {
				return nil, fmt.Errorf("download log file %s (%s): %w (the next try in %v would come after this cycle's deadline)", f.ID, f.FileName, lastErr, wait.Round(time.Millisecond))
			}
			select {
			case <-ctx.Done():
				return nil, fmt.Errorf("download log file %s: %w (last error: %v)", f.ID, ctx.Err(), lastErr)
			case <-time.After(wait):
			}
		}
		body, err := c.downloadOnce(ctx, f)
		if err == nil {
			return body, nil
		}
		lastErr = err
		if ctx.Err() != nil || !retryDownload(err) {
			break
		}
	}
	return nil, fmt.Errorf("download log file %s (%s): %w", f.ID, f.FileName, lastErr)
}

func retryDownload(err error) bool {
	var be *errBlob
	if errors.As(err, &be) {
		// 403: the signature expired between redirect and GET; a new
		// redirect brings a fresh one.
		return be.status == http.StatusForbidden || retry.Retryable(be.status)
	}
	var apiErr *openai.Error
	if errors.As(err, &apiErr) {
		return false // the SDK has already retried what is worth retrying
	}
	return true // transport errors, truncated bodies, checksum mismatches
}

func (c *complianceClient) downloadOnce(ctx context.Context, f logFile) (io.ReadCloser, error) {
	var res *http.Response
	if err := c.files.Get(ctx, c.logsPath+"/"+url.PathEscape(f.ID), nil, &res); err != nil {
		return nil, describeCall("ask for its download URL", err, "")
	}
	if res.StatusCode >= 200 && res.StatusCode < 300 {
		// The file itself, from the API host (the reference integration
		// accepts this answer as well as the redirect).
		defer res.Body.Close()
		return verified(res.Body, f)
	}
	io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10)) //nolint:errcheck // drain for reuse
	res.Body.Close()
	if res.StatusCode < 300 || res.StatusCode > 399 {
		return nil, fmt.Errorf("expected the file (HTTP 200) or a redirect to it, got HTTP %d", res.StatusCode)
	}
	loc, err := res.Request.URL.Parse(res.Header.Get("Location"))
	if err != nil || loc.Host == "" {
		return nil, fmt.Errorf("the redirect's Location %q is not a URL", res.Header.Get("Location"))
	}
	if err := checkDownloadURL(res.Request.URL, loc); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, loc.String(), nil)
	if err != nil {
		return nil, err
	}
	// A plain request: no Authorization, no SDK headers.
	blob, err := c.blob.Do(req)
	if err != nil {
		return nil, fmt.Errorf("GET the signed URL on %s: %w", loc.Host, redactURLError(err))
	}
	defer blob.Body.Close()
	if blob.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(blob.Body, 300))
		return nil, &errBlob{status: blob.StatusCode, body: strings.TrimSpace(string(b)), retryAfter: retry.Asked(blob.Header)}
	}
	return verified(blob.Body, f)
}

// checkDownloadURL refuses a signed URL that is not https when the API is
// (a downgrade would expose the file), or not http(s) at all.
func checkDownloadURL(api, loc *url.URL) error {
	switch {
	case loc.Scheme == "https":
		return nil
	case loc.Scheme == "http" && api.Scheme == "http":
		return nil // a plain-http API (a local test server) may use plain-http storage
	}
	return fmt.Errorf("refused the download URL on %s: scheme %q, the API itself is %s", loc.Host, loc.Scheme, api.Scheme)
}

// blobRedirects lets the storage host redirect a few times, never from
// https to anything else.
func blobRedirects(req *http.Request, via []*http.Request) error {
	if len(via) >= 3 {
		return errors.New("the signed URL redirected more than 3 times")
	}
	if via[0].URL.Scheme == "https" && req.URL.Scheme != "https" {
		return fmt.Errorf("the signed URL redirected from https to %s", req.URL.Scheme)
	}
	return nil
}

// redactURLError drops the query (the signature) from a *url.Error.
func redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			u.RawQuery = ""
			return &url.Error{Op: ue.Op, URL: u.String(), Err: ue.Err}
		}
	}
	return err
}

// verified reads r whole, checks its size and SHA-256, and returns it from
// memory or, when large, from a temporary file removed on Close.
func verified(r io.Reader, f logFile) (io.ReadCloser, error) {
	h := sha256.New()
	var dst io.Writer
	var mem bytes.Buffer
	var tmp *os.File
	if f.FileSize > spoolThreshold || f.FileSize <= 0 { // unlisted size: could be large
		var err error
		if tmp, err = os.CreateTemp("", "openai-compliance-*.jsonl"); err != nil {
			return nil, fmt.Errorf("spool a large log file: %w", err)
		}
		dst = tmp
	} else {
		mem.Grow(int(max(f.FileSize, 0)) + 512)
		dst = &mem
	}
	cleanup := func() {
		if tmp != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}
	// Never read more than the listing promised (one byte more shows the
	// lie), nor without bound when it gave no size.
	limit := f.FileSize + 1
	if f.FileSize <= 0 {
		limit = maxUnlistedFileSize + 1
	}
	n, err := io.Copy(io.MultiWriter(dst, h), io.LimitReader(r, limit))
	if err != nil {
		cleanup()
		return nil, fmt.Errorf("read the file after %d bytes: %w", n, err)
	}
	if f.FileSize <= 0 && n > maxUnlistedFileSize {
		cleanup()
		return nil, fmt.Errorf("the file is over %d bytes and the listing gave no file_size: refused", int64(maxUnlistedFileSize))
	}
	if f.FileSize > 0 && n != f.FileSize {
		cleanup()
		return nil, fmt.Errorf("got %d bytes, the listing says file_size %d", n, f.FileSize)
	}
	if sum := hex.EncodeToString(h.Sum(nil)); f.FileSHA256 != "" && !strings.EqualFold(sum, f.FileSHA256) {
		cleanup()
		return nil, fmt.Errorf("SHA-256 %s does not match the listing's file_sha256 %s", sum, f.FileSHA256)
	}
	if tmp == nil {
		return io.NopCloser(&mem), nil
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		cleanup()
		return nil, err
	}
	return &tempFile{File: tmp}, nil
}

type tempFile struct{ *os.File }

func (t *tempFile) Close() error {
	err := t.File.Close()
	os.Remove(t.File.Name())
	return err
}
