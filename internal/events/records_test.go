package events

import (
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"strings"
	"testing"
)

func scanAll(t *testing.T, in string) (good []string, bad []string) {
	t.Helper()
	sc := newRecordScanner(strings.NewReader(in))
	for {
		rec, ok, err := sc.next()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if ok && json.Valid(rec) {
			good = append(good, string(rec))
		} else {
			bad = append(bad, string(rec))
		}
	}
}

func TestRecordScanner(t *testing.T) {
	cases := []struct {
		name      string
		in        string
		good, bad int
	}{
		{"json lines", "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n", 3, 0},
		{"no final newline, CRLF", "{\"a\":1}\r\n{\"a\":2}", 2, 0},
		{"concatenated", `{"a":1}{"a":"}{"}{"b":[{"c":{}}]}`, 3, 0},
		{"indented", "{\n  \"a\": {\n    \"b\": 1\n  }\n}\n{\n  \"a\": 2\n}\n", 2, 0},
		{"escaped quotes and braces in strings", `{"a":"x\"}{"}` + "\n" + `{"b":"\\"}`, 2, 0},
		{"cut short line is reported, the rest kept", "{\"a\":1}\n{\"a\":\n{\"a\":3}\n", 2, 1},
		{"garbage line", "{\"a\":1}\nnot json at all\n{\"a\":3}\n", 2, 1},
		{"invalid object", "{\"a\":1}\n{\"a\":}\n{\"a\":3}\n", 2, 1},
		{"string broken by newline", "{\"a\":\"x\n{\"a\":3}\n", 1, 1},
		{"cut at end of file", "{\"a\":1}\n{\"a\":[1,2", 1, 1},
		{"empty", "\n\n", 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			good, bad := scanAll(t, tc.in)
			if len(good) != tc.good || len(bad) != tc.bad {
				t.Errorf("good %q bad %q", good, bad)
			}
		})
	}
}

// TestMalformedRecordKept: a record that does not parse is pushed raw with
// its error and counted, and the records after it are not lost.
func TestMalformedRecordKept(t *testing.T) {
	f := logFile{ID: "clf_1", EventType: "AUTH_LOG", EndTime: "2026-11-24T10:00:00Z"}
	ev, id, err := complianceEvent([]byte(`{"event_id":`), false, f, 4, "ws")
	if err == nil || id != "clf_1:4" {
		t.Fatalf("id %q err %v", id, err)
	}
	var m map[string]any
	json.Unmarshal(ev, &m) //nolint:errcheck
	if m["_raw"] != `{"event_id":` || m["source_log_type"] != "auth_log" || m["_time"] != "2026-11-24T10:00:00Z" || m["_parse_error"] == nil {
		t.Errorf("%v", m)
	}
	// Unknown type kept, lower-cased; no timestamp: the file's end_time.
	f.EventType = "BRAND_NEW_LOG"
	ev, id, err = complianceEvent([]byte(`{"event_id":"e1","type":"BRAND_NEW_LOG","x":{"y":1}}`), true, f, 1, "ws")
	json.Unmarshal(ev, &m) //nolint:errcheck
	if err != nil || id != "e1" || m["source_log_type"] != "brand_new_log" || m["_event_type"] != "BRAND_NEW_LOG" || m["x"] == nil || m["_time"] != "2026-11-24T10:00:00Z" {
		t.Errorf("%v %v", m, err)
	}
}

func TestSeenRingRoundTrip(t *testing.T) {
	r := newSeenRing("")
	for i := range seenCapacity + 10 {
		r.add(strings.Repeat("x", i%7) + string(rune('a'+i%26)) + string(rune(i)))
	}
	back := newSeenRing(r.encode())
	if len(back.hashes) != seenCapacity || back.encode() != r.encode() {
		t.Fatal("ring does not round-trip")
	}
}

func TestReadComplianceMeta(t *testing.T) {
	cases := []struct {
		rec, id, typ, ts, err string
	}{
		{rec: `{"event_id":"e1","type":"AUTH_LOG","timestamp":"2026-11-24T09:00:00Z","x":[1]}`, id: "e1", typ: "AUTH_LOG", ts: `"2026-11-24T09:00:00Z"`},
		{rec: `{"event_id":null,"timestamp":1795597523.5}`, ts: `1795597523.5`},
		{rec: `{}`},
		{rec: `[1,2]`, err: "a record is a JSON object"},
		{rec: `{"event_id":7}`, err: "field event_id is not a string"},
		{rec: `{"type":{"a":1}}`, err: "field type is not a string"},
		{rec: `{"event_id":"e1",`, err: "unexpected end of JSON input"},
		{rec: `{"a":tru}`, err: "invalid character"},
	}
	for _, tc := range cases {
		meta, err := readComplianceMeta([]byte(tc.rec))
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want %q", tc.rec, err, tc.err)
			}
			continue
		}
		if err != nil || meta.EventID != tc.id || meta.Type != tc.typ || string(meta.Timestamp) != tc.ts {
			t.Errorf("%s: got %+v, %v", tc.rec, meta, err)
		}
	}
}

func TestNextAfter(t *testing.T) {
	page := func(last string, ends ...string) logsPage {
		p := logsPage{LastEndTime: last}
		for _, e := range ends {
			p.Data = append(p.Data, logFile{EndTime: e})
		}
		return p
	}
	for _, tc := range []struct {
		name string
		page logsPage
		want string
	}{
		{"last group listed again", page("2026-11-25T10:05:00Z", "2026-11-25T10:00:00Z", "2026-11-25T10:05:00Z", "2026-11-25T10:05:00Z"), "2026-11-25T10:00:00Z"},
		{"same instant, other spelling", page("", "2026-11-25T09:00:00Z", "2026-11-25T10:00:00+00:00", "2026-11-25T10:00:00Z"), "2026-11-25T09:00:00Z"},
		{"one end_time throughout", page("2026-11-25T10:00:00Z", "2026-11-25T10:00:00Z", "2026-11-25T10:00:00Z"), "2026-11-25T10:00:00Z"},
		{"no last_end_time", page("", "2026-11-25T10:00:00Z"), "2026-11-25T10:00:00Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := nextAfter(tc.page); got != tc.want {
				t.Errorf("nextAfter = %q, want %q", got, tc.want)
			}
		})
	}
}

// countingReader is an endless body that counts what is read from it.
type countingReader struct{ n int64 }

func (c *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	c.n += int64(len(p))
	return len(p), nil
}

// TestVerifiedReadsNoMoreThanListed: a body longer than its listed
// file_size is refused after one byte more, not read to its end.
func TestVerifiedReadsNoMoreThanListed(t *testing.T) {
	body := &countingReader{}
	_, err := verified(body, logFile{ID: "f", FileSize: 10})
	if err == nil || !strings.Contains(err.Error(), "file_size 10") {
		t.Fatalf("verified = %v", err)
	}
	if body.n > 64<<10 {
		t.Errorf("read %d bytes of a file listed at 10", body.n)
	}
}

func TestCheckDownloadURL(t *testing.T) {
	u := func(s string) *url.URL { v, _ := url.Parse(s); return v }
	for _, tc := range []struct {
		api, loc string
		ok       bool
	}{
		{"https://api.chatgpt.com/v1/x", "https://files.example.net/f?sig=1", true},
		{"https://api.chatgpt.com/v1/x", "http://files.example.net/f?sig=1", false},
		{"https://api.chatgpt.com/v1/x", "ftp://files.example.net/f", false},
		{"http://127.0.0.1:8080/v1/x", "http://127.0.0.1:8081/f?sig=1", true},
		{"http://127.0.0.1:8080/v1/x", "file:///etc/passwd", false},
	} {
		if err := checkDownloadURL(u(tc.api), u(tc.loc)); (err == nil) != tc.ok {
			t.Errorf("checkDownloadURL(%s, %s) = %v", tc.api, tc.loc, err)
		}
	}
}
