package events

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Enrichment fields every pushed event carries (SPEC "Event types"):
// id, _time (RFC 3339 UTC), source_log_type, _event_type (the Compliance
// API type; empty for audit logs) and, for compliance, workspace_id.

// enrich adds fields to a JSON object, replacing any of the same name. The
// object's own fields are kept byte for byte, so nothing the API sent is
// lost. The fast path splices the fields in after the object's members in
// one pass (no map, no re-encoding: a third of the collector's time went
// there); anything it cannot follow takes the slow, strict path.
func enrich(raw []byte, fields map[string]any) (json.RawMessage, error) {
	return enrichWith(raw, fields, false)
}

// enrichKeep adds only the fields the object does not have: every field
// the API wrote stays as it wrote it (compliance records, SPEC).
func enrichKeep(raw []byte, fields map[string]any) (json.RawMessage, error) {
	return enrichWith(raw, fields, true)
}

func enrichWith(raw []byte, fields map[string]any, keep bool) (json.RawMessage, error) {
	if out, ok := splice(raw, fields, keep); ok {
		return out, nil
	}
	return enrichSlow(raw, fields, keep)
}

func enrichSlow(raw []byte, fields map[string]any, keep bool) (json.RawMessage, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, err
	}
	if obj == nil {
		return nil, fmt.Errorf("not a JSON object")
	}
	for k, v := range fields {
		if _, own := obj[k]; own && keep {
			continue
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		obj[k] = b
	}
	return json.Marshal(obj)
}

func enrichAudit(raw []byte, id string, effectiveAt int64) (json.RawMessage, error) {
	return enrich(raw, map[string]any{
		"id":              id,
		"_time":           time.Unix(effectiveAt, 0).UTC().Format(time.RFC3339),
		"source_log_type": auditSourceLogType,
		"_event_type":     "",
	})
}

// complianceMeta is what a compliance record's enrichment is computed from.
type complianceMeta struct {
	EventID   string          `json:"event_id"`
	Type      string          `json:"type"`
	Timestamp json.RawMessage `json:"timestamp"`
}

// recordTime is a record's timestamp as RFC 3339 UTC: an RFC 3339 string
// or Unix seconds; "" when it has neither.
func recordTime(ts json.RawMessage) string {
	var s string
	if json.Unmarshal(ts, &s) == nil {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t.UTC().Format(time.RFC3339Nano)
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return unixTime(f)
		}
		return ""
	}
	var f float64
	if json.Unmarshal(ts, &f) == nil && f > 0 {
		return unixTime(f)
	}
	return ""
}

func unixTime(f float64) string {
	sec := int64(f)
	return time.Unix(sec, int64((f-float64(sec))*1e9)).UTC().Format(time.RFC3339Nano)
}

// complianceFields are the enrichment of one compliance record: apiType is
// the file's event_type (falling back to the record's own type), id the
// record's event_id or else "<file id>:<record number>", _time its
// timestamp or else the file's end_time, and end_time the file's. The
// returned id is the one deduplication uses; a record's own id field, if
// it has one, is kept in the event (see enrichKeep).
func complianceFields(meta complianceMeta, f logFile, recordNo int, workspaceID string) (string, map[string]any) {
	apiType := f.EventType
	if apiType == "" {
		apiType = meta.Type
	}
	id := meta.EventID
	if id == "" {
		id = f.ID + ":" + strconv.Itoa(recordNo)
	}
	ts := recordTime(meta.Timestamp)
	if ts == "" {
		if t, err := time.Parse(time.RFC3339Nano, f.EndTime); err == nil {
			ts = t.UTC().Format(time.RFC3339Nano)
		} else {
			ts = f.EndTime
		}
	}
	fields := map[string]any{
		"id":              id,
		"_time":           ts,
		"_event_type":     apiType,
		"source_log_type": SourceLogType(apiType),
		"workspace_id":    workspaceID,
	}
	if f.EndTime != "" {
		fields["end_time"] = f.EndTime // the file's, as the reference integration adds it
	}
	return id, fields
}

// splice writes {<raw's members>,<fields>}: with keep, raw's members all
// and only the fields raw lacks; without, raw's members not named in
// fields and every field. It walks raw's top level only; it reports false
// on anything unexpected (so the strict path decides) and relies on raw
// being valid JSON otherwise, which callers have checked (the SDK decoded
// it, or json.Unmarshal did).
func splice(raw []byte, fields map[string]any, keep bool) (json.RawMessage, bool) {
	i := skipWS(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return nil, false
	}
	out := make([]byte, 0, len(raw)+256)
	out = append(out, '{')
	var own map[string]bool // the fields raw has, when keep
	i++
	for {
		i = skipWS(raw, i)
		if i >= len(raw) {
			return nil, false
		}
		if raw[i] == '}' {
			break
		}
		if raw[i] == ',' {
			i++
			continue
		}
		if raw[i] != '"' {
			return nil, false
		}
		keyStart := i
		keyEnd := endOfString(raw, i)
		if keyEnd < 0 {
			return nil, false
		}
		key := raw[keyStart+1 : keyEnd-1]
		if bytes.IndexByte(key, '\\') >= 0 {
			return nil, false // escaped key: let the strict path compare it
		}
		j := skipWS(raw, keyEnd)
		if j >= len(raw) || raw[j] != ':' {
			return nil, false
		}
		end := endOfValue(raw, j+1)
		if end < 0 {
			return nil, false
		}
		_, named := fields[string(key)]
		if named && keep {
			if own == nil {
				own = map[string]bool{}
			}
			own[string(key)] = true
		}
		if keep || !named {
			if len(out) > 1 {
				out = append(out, ',')
			}
			out = append(out, raw[keyStart:end]...)
		}
		i = end
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		if !own[k] {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys) // stable output
	for _, k := range keys {
		v, err := json.Marshal(fields[k])
		if err != nil {
			return nil, false
		}
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = strconv.AppendQuote(out, k)
		out = append(out, ':')
		out = append(out, v...)
	}
	out = append(out, '}')
	return out, true
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// endOfString returns the index after the string starting at b[i] == '"'.
func endOfString(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// endOfValue returns the index after the value starting at or after b[i]
// (leading whitespace allowed, trailing whitespace excluded).
func endOfValue(b []byte, i int) int {
	i = skipWS(b, i)
	depth := 0
	for j := i; j < len(b); j++ {
		switch c := b[j]; c {
		case '"':
			j = endOfString(b, j)
			if j < 0 {
				return -1
			}
			if depth == 0 {
				return j
			}
			j--
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return j // the enclosing object ends: a scalar value ended before
			}
			depth--
			if depth == 0 {
				return j + 1
			}
		case ',':
			if depth == 0 {
				return j
			}
		case ' ', '\t', '\n', '\r':
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}
