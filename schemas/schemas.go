// Package schemas holds the fixed JSON Schemas (draft 2020-12) of the
// documents that cross the plugin boundary besides command arguments and
// outputs (which package manifest derives per command): a war-room entry,
// a command result, an event batch and an instance's parameters.
//
// The schemas are embedded and compiled once, on first use.
package schemas

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/soarkit/openai-gpt/schemas/schemaerr"
)

//go:embed *.json
var files embed.FS

// Schema names, as accepted by Raw.
const (
	Entry  = "entry.json"
	Result = "result.json"
	Batch  = "batch.json"
	Params = "params.json"
)

const base = "mem://schemas/"

// compiled is every schema, compiled together (result.json refers to
// entry.json).
var compiled = sync.OnceValues(func() (map[string]*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	names, err := fs.Glob(files, "*.json")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		if err := c.AddResource(base+name, bytes.NewReader(Raw(name))); err != nil {
			return nil, fmt.Errorf("schema %s: %w", name, err)
		}
	}
	out := make(map[string]*jsonschema.Schema, len(names))
	for _, name := range names {
		s, err := c.Compile(base + name)
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", name, err)
		}
		out[name] = s
	}
	return out, nil
})

// Compile compiles the schemas, once per process, and returns the error
// that would make every Validate function fail (a bug in a schema). The
// Validate functions compile on first use themselves; Compile lets a
// caller do it ahead, while it waits for something else.
func Compile() error {
	_, err := compiled()
	return err
}

// Raw returns the text of the named schema (such as "entry.json"), or nil
// if there is no such schema.
func Raw(name string) []byte {
	b, err := files.ReadFile(name)
	if err != nil {
		return nil
	}
	return b
}

// ValidateResult checks a command result: its entries and outputs.
func ValidateResult(v any) error { return validate(Result, "result", v) }

// ValidateParams checks an instance's parameters.
func ValidateParams(v any) error { return validate(Params, "params", v) }

// validate checks v, a value as encoding/json decodes into any (other Go
// values, []byte and json.RawMessage are converted through JSON), against
// the named schema. The error names every failing path.
func validate(name, what string, v any) error {
	all, err := compiled()
	if err != nil {
		return err
	}
	doc, err := schemaerr.JSONValue(v)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := all[name].Validate(doc); err != nil {
		// Locations read as entries[0].contents; the document itself is
		// called what.
		loc := func(tokens []string) string {
			if len(tokens) == 0 {
				return what
			}
			return schemaerr.DotPath("", tokens)
		}
		return fmt.Errorf("%s is invalid: %w", what, schemaerr.New(err, loc))
	}
	return nil
}
