package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/tidwall/gjson"
)

// Event batches are the protocol's bulk traffic: a fetch pushes every event
// through them. encoding/json would re-scan each event twice on the way
// out (json.RawMessage is compacted) and twice on the way in (validation,
// then decoding), which made JSON the largest cost of a fetch on both
// sides. So a batch is written by hand, its events copied verbatim, and
// read with one validating pass and events sliced out of the payload.

// EncodeBatch writes b as the JSON document of schemas/batch.json. Events
// must be JSON objects; they are copied as they are.
func EncodeBatch(b Batch) ([]byte, error) {
	size := 64 + len(b.Stream) + len(b.Dataset) + len(b.Cursor)
	for _, ev := range b.Events {
		size += len(ev) + 1
	}
	buf := bytes.NewBuffer(make([]byte, 0, size))
	buf.WriteString(`{"stream":`)
	writeString(buf, b.Stream)
	buf.WriteString(`,"dataset":`)
	writeString(buf, b.Dataset)
	buf.WriteString(`,"events":[`)
	for i, ev := range b.Events {
		if !isObject(ev) {
			return nil, fmt.Errorf("event %d of the batch is not a JSON object", i)
		}
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(ev)
	}
	buf.WriteString(`],"cursor":`)
	if c := bytes.TrimSpace(b.Cursor); len(c) > 0 {
		if !json.Valid(c) {
			return nil, errors.New("the batch's cursor is not valid JSON")
		}
		buf.Write(c)
	} else {
		buf.WriteString("null")
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// DecodeBatch reads a batch written by EncodeBatch (or any JSON encoder).
// The payload is validated whole; events and cursor alias data.
func DecodeBatch(data []byte) (Batch, error) {
	if !gjson.ValidBytes(data) {
		return Batch{}, errors.New("event batch is not valid JSON")
	}
	doc := gjson.ParseBytes(data)
	if !doc.IsObject() {
		return Batch{}, errors.New("event batch: expected an object")
	}
	var b Batch
	var err error
	doc.ForEach(func(key, value gjson.Result) bool {
		switch key.String() {
		case "stream":
			b.Stream, err = stringField("stream", value)
		case "dataset":
			b.Dataset, err = stringField("dataset", value)
		case "cursor":
			if value.Type != gjson.Null {
				b.Cursor = slice(data, value)
			}
		case "events":
			if !value.IsArray() {
				err = errors.New("batch.events: expected an array")
				break
			}
			b.Events = make([]json.RawMessage, 0, 128)
			value.ForEach(func(_, ev gjson.Result) bool {
				b.Events = append(b.Events, slice(data, ev))
				return true
			})
		default:
			err = fmt.Errorf("batch: unknown field %q", key.String())
		}
		return err == nil
	})
	return b, err
}

func stringField(name string, v gjson.Result) (string, error) {
	if v.Type != gjson.String {
		return "", fmt.Errorf("batch.%s: expected a string", name)
	}
	return v.Str, nil
}

// slice returns v's raw text as a sub-slice of data when gjson knows where
// it lies, else a copy.
func slice(data []byte, v gjson.Result) json.RawMessage {
	if v.Index > 0 && v.Index+len(v.Raw) <= len(data) {
		return data[v.Index : v.Index+len(v.Raw) : v.Index+len(v.Raw)]
	}
	return json.RawMessage(v.Raw)
}

func isObject(b []byte) bool {
	t := bytes.TrimLeft(b, " \t\r\n")
	return len(t) > 0 && t[0] == '{'
}

func writeString(buf *bytes.Buffer, s string) {
	q, _ := json.Marshal(s) // a string always marshals
	buf.Write(q)
}
