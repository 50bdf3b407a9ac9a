package fakeopenai

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/soarkit/openai-gpt/internal/lazyregexp"
)

// outputFormat is a request's structured-output setting: chat's
// response_format or responses' text.format.
type outputFormat struct {
	kind   string // text, json_object or json_schema
	name   string
	schema map[string]any
	strict bool
	raw    json.RawMessage // echoed back by the Responses API
}

var schemaNamePattern = lazyregexp.New(`^[a-zA-Z0-9_-]{1,64}$`)

// parseFormat reads a format object. param is where it sits in the request
// ("response_format" or "text.format"); nested says whether name, schema
// and strict sit in a json_schema sub-object (chat) or beside type
// (responses).
func parseFormat(raw json.RawMessage, param string, nested bool) (outputFormat, *reqError) {
	f := outputFormat{kind: "text", raw: raw}
	obj, err := getObject(raw, param)
	if err != nil {
		return f, err
	}
	typeRaw, ok := obj["type"]
	if !ok {
		return f, missingParam(param + ".type")
	}
	if f.kind, err = getEnum(typeRaw, param+".type", []string{"text", "json_object", "json_schema"}); err != nil {
		return f, err
	}
	if f.kind != "json_schema" {
		return f, nil
	}
	inner, prefix := obj, param
	if nested {
		prefix = param + ".json_schema"
		js, ok := obj["json_schema"]
		if !ok {
			return f, missingParam(prefix)
		}
		if inner, err = getObject(js, prefix); err != nil {
			return f, err
		}
	}
	nameRaw, ok := inner["name"]
	if !ok {
		return f, missingParam(prefix + ".name")
	}
	if f.name, err = getString(nameRaw, prefix+".name"); err != nil {
		return f, err
	}
	if !schemaNamePattern.MatchString(f.name) {
		return f, invalidRequest(prefix+".name", "invalid_value",
			"Invalid '%s.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.", prefix)
	}
	if f.strict, _, err = inner.optBool("strict", prefix+".strict"); err != nil {
		return f, err
	}
	schemaRaw, ok := inner["schema"]
	if !ok {
		if !nested {
			// Responses: text.format.schema is required.
			return f, missingParam(prefix + ".schema")
		}
		// Chat Completions: json_schema.schema is optional and defaults
		// to an empty schema; the fake then answers {}.
		f.schema = map[string]any{"type": "object"}
		return f, nil
	}
	if jsonKind(schemaRaw) != "object" {
		return f, typeError(prefix+".schema", "object", schemaRaw)
	}
	json.Unmarshal(schemaRaw, &f.schema) //nolint:errcheck // kind checked
	if f.strict {
		if msg := strictSchemaProblem(f.schema, f.schema, nil); msg != "" {
			schemaParam := param
			if !nested {
				schemaParam = prefix + ".schema"
			}
			return f, invalidRequest(schemaParam, "invalid_json_schema",
				"Invalid schema for response_format '%s': %s", f.name, msg)
		}
	}
	return f, nil
}

// strictSchemaProblem checks the rules strict Structured Outputs impose:
// the root is an object, and every object lists all its properties as
// required and sets additionalProperties to false. It returns the API's
// complaint, or "".
func strictSchemaProblem(root, sc map[string]any, path []string) string {
	context := "(" + strings.Join(quoteEach(path), ", ") + ")"
	if path == nil {
		if t, _ := sc["type"].(string); t != "object" && sc["anyOf"] == nil {
			return fmt.Sprintf("schema must be a JSON Schema of 'type: \"object\"', got 'type: \"%v\"'.", sc["type"])
		}
	}
	isObject := sc["properties"] != nil
	if t, ok := sc["type"].(string); ok && t == "object" {
		isObject = true
	}
	if types, ok := sc["type"].([]any); ok && slices.Contains(types, any("object")) {
		isObject = true
	}
	if isObject {
		if ap, ok := sc["additionalProperties"].(bool); !ok || ap {
			return "In context=" + context + ", 'additionalProperties' is required to be supplied and to be false."
		}
		props, _ := sc["properties"].(map[string]any)
		req, _ := sc["required"].([]any)
		var keys []string
		for k := range props {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if !slices.Contains(req, any(k)) {
				return "In context=" + context + ", 'required' is required to be supplied and to be an array including every key in properties. Missing '" + k + "'."
			}
		}
		for _, k := range keys {
			if p, ok := props[k].(map[string]any); ok {
				if msg := strictSchemaProblem(root, p, append(slices.Clone(path), "properties", k)); msg != "" {
					return msg
				}
			}
		}
	}
	if items, ok := sc["items"].(map[string]any); ok {
		if msg := strictSchemaProblem(root, items, append(slices.Clone(path), "items")); msg != "" {
			return msg
		}
	}
	for _, key := range []string{"anyOf", "$defs", "definitions"} {
		switch sub := sc[key].(type) {
		case []any:
			for i, b := range sub {
				if bm, ok := b.(map[string]any); ok {
					if msg := strictSchemaProblem(root, bm, append(slices.Clone(path), key, strconv.Itoa(i))); msg != "" {
						return msg
					}
				}
			}
		case map[string]any:
			names := make([]string, 0, len(sub))
			for n := range sub {
				names = append(names, n)
			}
			slices.Sort(names)
			for _, n := range names {
				if bm, ok := sub[n].(map[string]any); ok {
					if msg := strictSchemaProblem(root, bm, append(slices.Clone(path), key, n)); msg != "" {
						return msg
					}
				}
			}
		}
	}
	return ""
}

func quoteEach(path []string) []string {
	out := make([]string, len(path))
	for i, p := range path {
		out[i] = "'" + p + "'"
	}
	return out
}

// mentionsJSON reports whether text says "json" in some form: JSON mode
// requires it, or the model could emit whitespace forever.
func mentionsJSON(text string) bool { return strings.Contains(strings.ToLower(text), "json") }
