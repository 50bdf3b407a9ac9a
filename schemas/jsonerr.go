package schemas

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

// schemaProblems lists, sorted, each failing location of a validation
// error (from its BasicOutput) with what is wrong there. Locations read as
// entries[0].contents; the document itself is called root.
func schemaProblems(err error, root string) []string {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []string{err.Error()}
	}
	type problem struct{ at, keyword, msg string }
	var leaves []problem
	for _, e := range ve.BasicOutput().Errors {
		if isWrapper(e.Error) {
			continue
		}
		kw := e.KeywordLocation[strings.LastIndexByte(e.KeywordLocation, '/')+1:]
		tokens := pointerTokens(e.InstanceLocation)
		switch kw {
		case "required":
			for _, name := range quotedNames(strings.TrimPrefix(e.Error, "missing properties: ")) {
				leaves = append(leaves, problem{dotPath(root, append(slices.Clip(tokens), name)), kw, "required but missing"})
			}
		case "additionalProperties":
			for _, name := range quotedNames(e.Error) {
				leaves = append(leaves, problem{dotPath(root, append(slices.Clip(tokens), name)), kw, "not allowed (unknown field)"})
			}
		default:
			leaves = append(leaves, problem{dotPath(root, tokens), kw, strings.Replace(e.Error, ", but got ", ", got ", 1)})
		}
	}
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
	if len(out) == 0 {
		return []string{root + ": " + ve.Message}
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

func isWrapper(msg string) bool {
	switch msg {
	case "", "anyOf failed", "allOf failed", "oneOf failed", "if-then failed", "if-else failed":
		return true
	}
	return strings.HasPrefix(msg, "doesn't validate with")
}

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

// dotPath renders tokens as name.name[index], or root when there are none.
func dotPath(root string, tokens []string) string {
	if len(tokens) == 0 {
		return root
	}
	var b strings.Builder
	for _, t := range tokens {
		if _, err := strconv.Atoi(t); err == nil && b.Len() > 0 {
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

// jsonValue returns v as encoding/json decodes it into any. JSON text
// ([]byte, json.RawMessage) is decoded; other Go values go through JSON.
func jsonValue(v any) (any, error) {
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
