package events

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// FuzzEnrich: the fast splice path agrees with the strict path on every
// valid object, and never panics on anything else.
func FuzzEnrich(f *testing.F) {
	for _, seed := range []string{
		`{}`, `{"a":1}`, ` { "id" : "x", "b" : [1,{"c":"}"}] } `, `{"a":"\"}","id":null,"id":2}`,
		`{"\u0069d":"escaped key"}`, `{"a":{"b":{"c":[]}},"_time":"t"}`, `[]`, `"s"`, `{"a":1,}`, `{"a"}`,
	} {
		f.Add([]byte(seed))
	}
	fields := map[string]any{"id": "evt-1", "_time": "2026-11-25T00:00:00Z", "source_log_type": "s", "_event_type": ""}
	f.Fuzz(func(t *testing.T, raw []byte) {
		out, err := enrich(raw, fields)
		if !json.Valid(raw) {
			return // no panic is all that is asked
		}
		var want map[string]any
		if json.Unmarshal(raw, &want) != nil || want == nil {
			if err == nil {
				t.Fatalf("enrich(%q) accepted a non-object", raw)
			}
			return
		}
		if err != nil {
			t.Fatalf("enrich(%q): %v", raw, err)
		}
		if !json.Valid(out) {
			t.Fatalf("enrich(%q) = %q, not JSON", raw, out)
		}
		for k, v := range fields {
			want[k] = v
		}
		var got map[string]any
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatal(err)
		}
		wb, _ := json.Marshal(want)
		gb, _ := json.Marshal(got)
		if !bytes.Equal(wb, gb) {
			t.Fatalf("enrich(%q)\n got %s\nwant %s", raw, gb, wb)
		}
	})
}

// FuzzRecordScanner: any content ends, without panic, in records that
// together are no longer than the input; and a valid object written as
// JSON Lines comes back whole, once per line.
func FuzzRecordScanner(f *testing.F) {
	for _, seed := range []string{
		"{\"a\":1}\n{\"a\":2}\n", `{"a":1}{"b":"}{"}`, "{\"a\":\"x\n", "junk\n{\"a\":1}", "{{{{", "}}}", "{\"a\":\"\\\\\"}",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		total := 0
		sc := newRecordScanner(bytes.NewReader(in))
		for {
			rec, ok, err := sc.next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("scan %q: %v", in, err)
			}
			// Balanced, not validated: the caller checks each record
			// with the JSON decoder and reports the ones that fail.
			if ok && (rec[0] != '{' || !strings.ContainsRune("}]", rune(rec[len(rec)-1]))) {
				t.Fatalf("scan %q: complete record %q is not bracketed", in, rec)
			}
			total += len(rec)
		}
		if total > len(in) {
			t.Fatalf("scan %q: records hold %d bytes, more than the input", in, total)
		}

		var compact bytes.Buffer
		if json.Compact(&compact, in) != nil || compact.Len() == 0 || compact.Bytes()[0] != '{' {
			return
		}
		line := compact.String()
		sc = newRecordScanner(strings.NewReader(line + "\n" + line + "\n"))
		for range 2 {
			rec, ok, err := sc.next()
			if err != nil || !ok || string(rec) != line {
				t.Fatalf("JSON Lines of %q: got %q ok=%v err=%v", line, rec, ok, err)
			}
		}
		if _, _, err := sc.next(); !errors.Is(err, io.EOF) {
			t.Fatalf("JSON Lines of %q: more than two records", line)
		}
	})
}

// FuzzParseStartTime: whatever the analyst types, a time or an error that
// names start_time; never a panic, and a relative time ("N units ago")
// never wraps around past now.
func FuzzParseStartTime(f *testing.F) {
	for _, seed := range []string{
		"3 days ago", "2h ago", "1764000000", "1764000000000", "2026-11-24", "2026-11-24T08:00:00Z", "now",
		"99999999999 days ago", "9223372036854775807", "-5 minutes ago", "1 month ago", "", "soon",
	} {
		f.Add(seed)
	}
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseStartTime(s, now)
		if err != nil {
			if !strings.Contains(err.Error(), "start_time") {
				t.Fatalf("ParseStartTime(%q): error does not name start_time: %v", s, err)
			}
			return
		}
		if strings.HasSuffix(strings.ToLower(strings.TrimSpace(s)), "ago") && got.After(now) {
			t.Fatalf("ParseStartTime(%q) = %s, after now", s, got)
		}
	})
}
