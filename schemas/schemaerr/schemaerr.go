// Package schemaerr turns JSON Schema validation errors from
// santhosh-tekuri/jsonschema into messages that name each failing place
// ("argument text: expected array, got string"), and brings Go values into
// the shape the validator expects. The manifest (arguments, outputs) and
// the fixed schemas of package schemas (entries, results, batches) share it.
package schemaerr

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Error is a validation failure: every failing place, each with what is
// wrong there. It unwraps to the validator's error.
type Error struct {
	Problems []string
	Err      error
}

// New describes err, a validation error, with locations written by loc.
func New(err error, loc func(tokens []string) string, skip ...string) *Error {
	return &Error{Problems: Problems(err, loc, skip...), Err: err}
}

// Error joins the problems.
func (e *Error) Error() string { return strings.Join(e.Problems, "; ") }

// Unwrap returns the validator's error.
func (e *Error) Unwrap() error { return e.Err }

// Problems lists, sorted, each failing location of a schema validation
// error with what is wrong there, the location written by loc from the
// instance's JSON pointer tokens (DotPath suits most). Errors whose keyword
// location contains one of skip are left out. An error that is not a
// *jsonschema.ValidationError is listed as it is.
func Problems(err error, loc func(tokens []string) string, skip ...string) []string {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []string{err.Error()}
	}
	type problem struct{ at, keyword, msg string }
	var leaves []problem
	for _, e := range ve.BasicOutput().Errors {
		if isWrapper(e.Error) || slices.ContainsFunc(skip, func(s string) bool { return strings.Contains(e.KeywordLocation, s) }) {
			continue
		}
		kw := e.KeywordLocation[strings.LastIndexByte(e.KeywordLocation, '/')+1:]
		tokens := pointerTokens(e.InstanceLocation)
		switch kw {
		case "required":
			for _, name := range quotedNames(strings.TrimPrefix(e.Error, "missing properties: ")) {
				leaves = append(leaves, problem{loc(append(slices.Clip(tokens), name)), kw, "required but missing"})
			}
		case "additionalProperties":
			for _, name := range quotedNames(e.Error) {
				leaves = append(leaves, problem{loc(append(slices.Clip(tokens), name)), kw, "not allowed (unknown field)"})
			}
		default:
			leaves = append(leaves, problem{loc(tokens), kw, strings.Replace(e.Error, ", but got ", ", got ", 1)})
		}
	}
	// Alternatives (anyOf) that each failed on the type of the same value
	// read better as one message: "expected object or array, got string".
	var out []string
	typeAt := map[string]int{}
	for _, p := range leaves {
		if p.keyword == "type" {
			if i, ok := typeAt[p.at]; ok {
				out[i] = mergeTypes(out[i], p.at+": "+p.msg)
				continue
			}
			typeAt[p.at] = len(out)
		}
		line := p.at + ": " + p.msg
		if !slices.Contains(out, line) {
			out = append(out, line)
		}
	}
	if len(out) == 0 && len(skip) == 0 {
		return []string{loc(nil) + ": " + ve.Message}
	}
	slices.Sort(out)
	return out
}

var typeMsgRE = regexp.MustCompile(`^(.*): expected (.+), got (\S+)$`)

// mergeTypes joins two type errors at the same place (alternatives of an
// anyOf) into "expected object or array, got string".
func mergeTypes(a, b string) string {
	ma, mb := typeMsgRE.FindStringSubmatch(a), typeMsgRE.FindStringSubmatch(b)
	if ma == nil || mb == nil || ma[3] != mb[3] {
		return a
	}
	return fmt.Sprintf("%s: expected %s or %s, got %s", ma[1], ma[2], mb[2], ma[3])
}

// isWrapper reports a message that only says its sub-schemas failed.
func isWrapper(msg string) bool {
	switch msg {
	case "", "anyOf failed", "allOf failed", "oneOf failed", "if-then failed", "if-else failed":
		return true
	}
	return strings.HasPrefix(msg, "doesn't validate with")
}

// quotedNames returns the names quoted with ' in a jsonschema message.
func quotedNames(msg string) []string {
	var out []string
	for {
		i := strings.IndexByte(msg, '\'')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(msg[i+1:], '\'')
		if j < 0 {
			return out
		}
		out = append(out, msg[i+1:i+1+j])
		msg = msg[i+j+2:]
	}
}

// pointerTokens splits a JSON pointer into unescaped tokens.
func pointerTokens(ptr string) []string {
	if ptr == "" {
		return nil
	}
	parts := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	for i, p := range parts {
		parts[i] = strings.NewReplacer("~1", "/", "~0", "~").Replace(p)
	}
	return parts
}

// DotPath appends tokens to base as name.name[index].
func DotPath(base string, tokens []string) string {
	var b strings.Builder
	b.WriteString(base)
	for _, t := range tokens {
		if _, err := strconv.Atoi(t); err == nil {
			b.WriteString("[" + t + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(t)
	}
	return b.String()
}

// JSONValue returns v as encoding/json decodes it into any (maps, slices,
// float64, string, bool, nil), which is what schemas validate. JSON text
// ([]byte, json.RawMessage) is decoded; values already in that shape are
// returned as they are; other Go values go through JSON.
func JSONValue(v any) (any, error) {
	var b []byte
	switch t := v.(type) {
	case json.RawMessage:
		b = t
	case []byte:
		b = t
	default:
		if isJSONValue(v) {
			return v, nil
		}
		var err error
		if b, err = json.Marshal(v); err != nil {
			return nil, fmt.Errorf("not a JSON value: %w", err)
		}
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	return out, nil
}

// isJSONValue reports whether v is already in encoding/json's shape.
func isJSONValue(v any) bool {
	switch v := v.(type) {
	case nil, bool, string, float64, json.Number:
		return true
	case []any:
		for _, x := range v {
			if !isJSONValue(x) {
				return false
			}
		}
		return true
	case map[string]any:
		for _, x := range v {
			if !isJSONValue(x) {
				return false
			}
		}
		return true
	}
	return false
}
