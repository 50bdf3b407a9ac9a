package fakeopenai

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// complianceTypes are the Compliance Logs Platform's event types.
var complianceTypes = []string{
	"CONVERSATION_MESSAGE", "APP_LOG", "APP_AUTH_LOG", "AUDIT_LOG", "AUTH_LOG",
	"CODEX_LOG", "CHATGPT_PLUGIN_SPREADSHEET", "CODEX_SECURITY_LOG", "CUSTOM_AGENTS_LOG",
}

// complianceTime is how the API writes end_time and last_end_time: a
// Python isoformat with a numeric UTC offset ("+00:00", not "Z"), as the
// platform's own download scripts expect (they rewrite it to "Z").
const complianceTime = "2006-01-02T15:04:05-07:00"

// signedURLTTL is how long a download link stays valid, like a presigned S3 URL.
const signedURLTTL = 5 * time.Minute

// complianceFile is one entry of a logs listing.
type complianceFile struct {
	ID         string `json:"id"`
	EventType  string `json:"event_type"`
	EndTime    string `json:"end_time"`
	FileName   string `json:"file_name"`
	FileSize   int64  `json:"file_size"`
	FileSHA256 string `json:"file_sha256"`
}

type complianceList struct {
	Object      string           `json:"object"`
	Data        []complianceFile `json:"data"`
	HasMore     bool             `json:"has_more"`
	LastEndTime *string          `json:"last_end_time"`
}

// fastAPIError is the Compliance API's validation error body (FastAPI).
type fastAPIError struct {
	Detail []fastAPIDetail `json:"detail"`
}

type fastAPIDetail struct {
	Type  string `json:"type"`
	Loc   []any  `json:"loc"`
	Msg   string `json:"msg"`
	Input any    `json:"input"`
}

func write422(w http.ResponseWriter, d ...fastAPIDetail) {
	writeJSON(w, http.StatusUnprocessableEntity, fastAPIError{Detail: d})
}

func (s *Server) complianceWorkspace(w http.ResponseWriter, r *http.Request) bool {
	if r.PathValue("workspace_id") != s.cfg.WorkspaceID {
		writeJSON(w, http.StatusNotFound, map[string]string{"detail": "Workspace not found"})
		return false
	}
	return true
}

// complianceLogs lists log files: GET /v1/compliance/workspaces/{workspace_id}/logs.
func (s *Server) complianceLogs(w http.ResponseWriter, r *http.Request) {
	if !s.complianceWorkspace(w, r) {
		return
	}
	q := r.URL.Query()
	var bad []fastAPIDetail
	types := q["event_type"]
	want := map[uint8]bool{}
	if len(types) == 0 {
		bad = append(bad, fastAPIDetail{Type: "missing", Loc: []any{"query", "event_type"}, Msg: "Field required"})
	}
	for i, t := range types {
		k := indexOf(complianceTypes, t)
		if k < 0 {
			bad = append(bad, fastAPIDetail{Type: "enum", Loc: []any{"query", "event_type", i},
				Msg: "Input should be " + quoteList(complianceTypes), Input: t})
			continue
		}
		want[uint8(k)] = true
	}
	var after time.Time
	switch v, ok := q["after"]; {
	case !ok:
		bad = append(bad, fastAPIDetail{Type: "missing", Loc: []any{"query", "after"}, Msg: "Field required"})
	default:
		t, err := time.Parse(time.RFC3339Nano, v[0])
		if err != nil {
			bad = append(bad, fastAPIDetail{Type: "datetime_from_date_parsing", Loc: []any{"query", "after"},
				Msg: "Input should be a valid datetime with a timezone", Input: v[0]})
		}
		after = t
	}
	limit := 100
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			bad = append(bad, fastAPIDetail{Type: "int_parsing", Loc: []any{"query", "limit"}, Msg: "Input should be a valid integer, unable to parse string as an integer", Input: v})
		case n < 1:
			bad = append(bad, fastAPIDetail{Type: "greater_than_equal", Loc: []any{"query", "limit"}, Msg: "Input should be greater than or equal to 1", Input: v})
		case n > 100:
			bad = append(bad, fastAPIDetail{Type: "less_than_equal", Loc: []any{"query", "limit"}, Msg: "Input should be less than or equal to 100", Input: v})
		default:
			limit = n
		}
	}
	if len(bad) > 0 {
		write422(w, bad...)
		return
	}

	g := s.gen
	// Files with end_time > after (exclusive), ascending.
	// end times are whole seconds, so "> after" is "> after's second"
	// whatever its fraction.
	afterOff := after.Unix() - g.start
	from := sort.Search(len(g.files), func(i int) bool { return int64(g.files[i].endAt) > afterOff })
	res := complianceList{Object: "list", Data: []complianceFile{}}
	var picked []int
	now := s.cfg.Now()
	for i := from; i < len(g.files); i++ {
		f := &g.files[i]
		if !want[f.typ] || now.Before(g.at(f.endAt).Add(s.publishDelay(i))) {
			continue
		}
		if len(picked) == limit {
			// Exactly limit per page, even when that splits files sharing
			// an end_time: nothing documents that the real API keeps them
			// together, and a client paging with last_end_time (exclusive)
			// would skip the rest of such a group.
			res.HasMore = true
			break
		}
		picked = append(picked, i)
	}
	sums := s.fileSums(picked)
	for j, i := range picked {
		res.Data = append(res.Data, s.listed(i, sums[j]))
	}
	if len(res.Data) > 0 {
		last := res.Data[len(res.Data)-1].EndTime
		res.LastEndTime = &last
	}
	writeJSON(w, http.StatusOK, res)
}

// publishDelay is how long after its end_time file i appears in listings.
func (s *Server) publishDelay(i int) time.Duration {
	if s.cfg.PublishDelay <= 0 {
		return 0
	}
	return time.Duration(s.gen.h(i, 0x9b1) % uint64(s.cfg.PublishDelay+1)) // own salt: independent of the file's other fields
}

// fileSum is a log file's size and SHA-256, as its listing shows them.
type fileSum struct {
	size int64
	sum  string
}

// fileSums returns the size and checksum of each file in idx, computing
// those not listed before from their contents, in parallel and outside the
// lock: about 16 ms a file of 1,000 records, so a page of 100 done one by
// one under the lock held a listing 1.6 s, a cost no real server has.
func (s *Server) fileSums(idx []int) []fileSum {
	out := make([]fileSum, len(idx))
	var todo []int // positions in idx
	s.genMu.Lock()
	for j, i := range idx {
		if fs, ok := s.sums[i]; ok {
			out[j] = fs
		} else {
			todo = append(todo, j)
		}
	}
	s.genMu.Unlock()
	var wg sync.WaitGroup
	slots := make(chan struct{}, runtime.GOMAXPROCS(0))
	for _, j := range todo {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			body := s.fileContent(idx[j])
			sum := sha256.Sum256(body)
			out[j] = fileSum{size: int64(len(body)), sum: hex.EncodeToString(sum[:])}
		})
	}
	wg.Wait()
	s.genMu.Lock()
	defer s.genMu.Unlock()
	if s.sums == nil {
		s.sums = map[int]fileSum{}
	}
	for _, j := range todo {
		s.sums[idx[j]] = out[j]
	}
	return out
}

// listed is file i as the listing shows it, with its size and checksum.
func (s *Server) listed(i int, fs fileSum) complianceFile {
	g := s.gen
	f := &g.files[i]
	out := complianceFile{
		ID: f.id, EventType: complianceTypes[f.typ], EndTime: g.at(f.endAt).Format(complianceTime),
		FileSize: fs.size, FileSHA256: fs.sum,
	}
	out.FileName = strings.ToLower(out.EventType) + "/" + strings.ReplaceAll(out.EndTime, ":", "") + "_" + f.id + ".jsonl"
	return out
}

// complianceFile answers GET .../logs/{log_file_id} with a 307 to a signed
// URL on the blob host or, with Config.DirectDownloads, with a 200 and the
// JSON Lines itself.
func (s *Server) complianceFile(w http.ResponseWriter, r *http.Request) {
	if !s.complianceWorkspace(w, r) {
		return
	}
	id := r.PathValue("log_file_id")
	i, ok := s.gen.fileByID[id]
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"detail": "Log file not found"})
		return
	}
	if s.cfg.DirectDownloads {
		writeJSONL(w, s.fileContent(int(i)))
		return
	}
	expires := strconv.FormatInt(time.Now().Add(signedURLTTL).Unix(), 10)
	loc := s.blobURL + "/compliance-files/" + url.PathEscape(id) + "?expires=" + expires + "&sig=" + s.sign(id, expires)
	w.Header().Set("Location", loc)
	w.WriteHeader(http.StatusTemporaryRedirect)
}

func (s *Server) sign(id, expires string) string {
	m := hmac.New(sha256.New, []byte(s.cfg.ComplianceKey+"/blob"))
	m.Write([]byte(id + "\n" + expires))
	return hex.EncodeToString(m.Sum(nil))
}

// blobFile serves a signed download. Like S3, it refuses a request that
// carries an Authorization header as well as a signature.
func (s *Server) blobFile(w http.ResponseWriter, r *http.Request) {
	if !s.delay(r) {
		return
	}
	s.record(r, nil)
	if r.Header.Get("Authorization") != "" {
		writeBlobError(w, http.StatusBadRequest, "InvalidArgument", "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified")
		return
	}
	s.faults.serve("blob", w, r, func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		expires := r.URL.Query().Get("expires")
		if !hmac.Equal([]byte(r.URL.Query().Get("sig")), []byte(s.sign(id, expires))) {
			writeBlobError(w, http.StatusForbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.")
			return
		}
		if exp, err := strconv.ParseInt(expires, 10, 64); err != nil || time.Now().Unix() > exp {
			writeBlobError(w, http.StatusForbidden, "AccessDenied", "Request has expired")
			return
		}
		i, ok := s.gen.fileByID[id]
		if !ok {
			writeBlobError(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
			return
		}
		writeJSONL(w, s.fileContent(int(i)))
	})
}

// writeJSONL answers 200 with a log file's content.
func writeJSONL(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/jsonl")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body) //nolint:errcheck // client gone
}

func writeBlobError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>%s</Message></Error>", code, msg)
}

// fileContent renders file i: its repeated records first, then its own.
func (s *Server) fileContent(i int) []byte {
	g := s.gen
	f := g.files[i]
	var buf bytes.Buffer
	buf.Grow(int(f.n+f.dup) * 400)
	emit := func(rec []byte) {
		switch f.format {
		case fmtConcat:
			buf.Write(rec)
		case fmtPretty:
			json.Indent(&buf, rec, "", "  ") //nolint:errcheck // rec is valid JSON
			buf.WriteByte('\n')
		default:
			buf.Write(rec)
			buf.WriteByte('\n')
		}
	}
	if f.dup > 0 {
		p := g.files[f.prev]
		for k := p.first + p.n - f.dup; k < p.first+p.n; k++ {
			emit(g.record(&p, k))
		}
	}
	for k := f.first; k < f.first+f.n; k++ {
		emit(g.record(&f, k))
	}
	return buf.Bytes()
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

func quoteList(list []string) string {
	q := make([]string, len(list))
	for i, v := range list {
		q[i] = "'" + v + "'"
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}
