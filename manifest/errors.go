package manifest

import (
	"encoding/json"
	"fmt"

	"github.com/soarkit/openai-gpt/schemas/schemaerr"
)

// describe turns a schema validation error into one error naming every
// failing location, formatted by loc from the JSON pointer tokens.
func describe(err error, loc func(tokens []string) string) error {
	return schemaerr.New(err, loc)
}

// argLocation names a place in a command's arguments.
func argLocation(tokens []string) string {
	if len(tokens) == 0 {
		return "arguments"
	}
	return "argument " + schemaerr.DotPath("", tokens)
}

// pathLocation names a place under an output prefix.
func pathLocation(prefix string) func([]string) string {
	return func(tokens []string) string { return schemaerr.DotPath(prefix, tokens) }
}

// jsonTypeName is the JSON Schema type name of a value in encoding/json's shape.
func jsonTypeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64, json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}
