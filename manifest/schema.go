package manifest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

const draft2020 = "https://json-schema.org/draft/2020-12/schema"

// compiled is a derived schema document and its compiled form (or the
// error compiling it, which would be a bug in this package).
type compiled struct {
	doc    []byte
	schema *jsonschema.Schema
	err    error
}

// ---------------------------------------------------------------- arguments

// ---------------------------------------------------------------- outputs

// ---------------------------------------------------------------- helpers

// compile encodes doc and compiles it, and each of fragments (JSON
// pointers into it) with the same compiler.
func compile(id string, doc map[string]any, fragments ...string) (*compiled, map[string]*jsonschema.Schema) {
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return &compiled{err: fmt.Errorf("encode schema %s: %w", id, err)}, nil
	}
	cp := &compiled{doc: b}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	if err := c.AddResource(id, bytes.NewReader(b)); err != nil {
		cp.err = fmt.Errorf("schema %s: %w", id, err)
		return cp, nil
	}
	if cp.schema, err = c.Compile(id); err != nil {
		cp.err = fmt.Errorf("schema %s: %w", id, err)
		return cp, nil
	}
	frags := make(map[string]*jsonschema.Schema, len(fragments))
	for _, f := range fragments {
		s, err := c.Compile(id + "#" + f)
		if err != nil {
			cp.err = fmt.Errorf("schema %s#%s: %w", id, f, err)
			return cp, nil
		}
		frags[f] = s
	}
	return cp, frags
}

func escapePointer(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}
