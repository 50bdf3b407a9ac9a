package manifest

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/soarkit/openai-gpt/schemas"
	"github.com/soarkit/openai-gpt/schemas/schemaerr"
)

// outputSchemas is a command's output schema document and, per prefix
// that can receive an output, the compiled schema of one object there.
type outputSchemas struct {
	doc     []byte
	objects map[string]*jsonschema.Schema // context path → schema of one object
	err     error
}

// OutputSchema returns the JSON Schema (draft 2020-12) of one context
// output of the command, as it appears in a result's outputs:
// {prefix, keyField, value, replaceExisting}, where prefix is one of the
// command's output objects and value follows its declared context paths.
// $defs holds, per output object named by its dot path, "an object or an
// array of objects" (its object schema under $defs/object). Nodes declared
// Unknown accept fields beyond those declared; others do not.
func (c *Command) OutputSchema() []byte { return c.outputs().doc }

// ValidateResult checks a command's result as both sides of the plugin
// boundary do: the fixed result schema (schemas/result.json), then each
// context output against the outputs this command declares. res is the
// result as JSON text or any value that encodes to it (protocol.Result on
// both sides): the manifest does not depend on the types that carry it.
// The error names the failing path.
func (c *Command) ValidateResult(res any) error {
	doc, err := schemaerr.JSONValue(res)
	if err != nil {
		return fmt.Errorf("result: %w", err)
	}
	if err := schemas.ValidateResult(doc); err != nil {
		return err
	}
	// The schema has checked the shape: outputs is an array of objects,
	// each with a string prefix and a value.
	outputs, _ := doc.(map[string]any)["outputs"].([]any)
	for i, o := range outputs {
		out, _ := o.(map[string]any)
		prefix, _ := out["prefix"].(string)
		if err := c.ValidateOutput(prefix, out["value"]); err != nil {
			return fmt.Errorf("outputs[%d]: %w", i, err)
		}
	}
	return nil
}

// PrepareResult compiles the schemas ValidateResult uses, once per
// process, so that a caller can pay for it while it waits for something
// else (the plugin's answer on the host's side, the API's on the
// plugin's): a cold start then does not compile them after the answer
// is in. Safe to call from any goroutine, any number of times; it never
// panics (run as a goroutine, a panic would end the process), and what
// fails here fails again, as an error, in ValidateResult.
func (c *Command) PrepareResult() {
	defer func() { _ = recover() }()
	schemas.Compile()
	c.outputs()
}

// ValidateOutput checks one context output: prefix must be an output
// object this command declares (such as OpenAiChatGPTV3.Response), and
// value an object or an array of objects with the declared fields and
// types. The error names every failing path, e.g.
// "OpenAiChatGPTV3.Response[0].response_id: expected string, got number".
func (c *Command) ValidateOutput(prefix string, value any) error {
	o := c.outputs()
	if o.err != nil {
		return o.err
	}
	s, ok := o.objects[prefix]
	if !ok {
		return fmt.Errorf("%s: not a context output of %s (it declares %s)", prefix, c.Name, strings.Join(o.prefixes(), ", "))
	}
	v, err := schemaerr.JSONValue(value)
	if err != nil {
		return fmt.Errorf("%s: %w", prefix, err)
	}
	switch v := v.(type) {
	case map[string]any:
		if err := s.Validate(v); err != nil {
			return describe(err, pathLocation(prefix))
		}
	case []any:
		var errs []string
		for i, item := range v {
			at := prefix + "[" + strconv.Itoa(i) + "]"
			if _, ok := item.(map[string]any); !ok {
				errs = append(errs, fmt.Sprintf("%s: expected object, got %s", at, jsonTypeName(item)))
				continue
			}
			if err := s.Validate(item); err != nil {
				errs = append(errs, describe(err, pathLocation(at)).Error())
			}
		}
		if len(errs) > 0 {
			return errors.New(strings.Join(errs, "; "))
		}
	default:
		return fmt.Errorf("%s: expected an object or an array of objects, got %s", prefix, jsonTypeName(v))
	}
	return nil
}

func (o *outputSchemas) prefixes() []string {
	out := make([]string, 0, len(o.objects))
	for p := range o.objects {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// node is one name of the context path tree a command writes.
type node struct {
	name     string
	path     string
	typ      OutputType // as declared; "" when only implied by its children
	desc     string
	children []*node
}

func (n *node) child(name string) *node {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	path := name
	if n.path != "" {
		path = n.path + "." + name
	}
	c := &node{name: name, path: path}
	n.children = append(n.children, c)
	return c
}

// object reports whether the node holds an object: it has children. (A
// childless Unknown node holds anything, like any other leaf.)
func (n *node) object() bool { return len(n.children) > 0 }

func (c *Command) outputTree() *node {
	root := &node{}
	for _, o := range c.Outputs {
		n := root
		for _, seg := range strings.Split(o.ContextPath, ".") {
			n = n.child(seg)
		}
		n.typ, n.desc = o.Type, o.Description
	}
	return root
}

func (c *Command) outputs() *outputSchemas {
	c.outOnce.Do(func() {
		id := "mem://manifest/" + c.Name + "/outputs.json"
		tree := c.outputTree()
		defs := map[string]any{}
		var objects []string
		var walk func(n *node)
		walk = func(n *node) {
			if n.object() {
				ref := map[string]any{"$ref": "#" + objectPointer(n.path)}
				defs[n.path] = map[string]any{
					"anyOf": []any{ref, map[string]any{"type": "array", "items": ref}},
					"$defs": map[string]any{"object": objectSchema(n)},
				}
				objects = append(objects, n.path)
			}
			for _, ch := range n.children {
				walk(ch)
			}
		}
		for _, top := range tree.children {
			walk(top)
		}
		slices.Sort(objects)
		cases := make([]any, len(objects))
		for i, p := range objects {
			cases[i] = map[string]any{
				"if":   map[string]any{"properties": map[string]any{"prefix": map[string]any{"const": p}}},
				"then": map[string]any{"properties": map[string]any{"value": map[string]any{"$ref": "#/$defs/" + escapePointer(p)}}},
			}
		}
		doc := map[string]any{
			"$schema":     draft2020,
			"$id":         id,
			"title":       c.Name + " context outputs",
			"description": "One context output of " + c.Name + " (an item of a result's outputs): the value at each prefix follows the declared context paths. $defs holds, per output object (named by its dot path), an object or an array of objects.",
			"type":        "object",
			"required":    []string{"prefix", "value"},
			"properties": map[string]any{
				"prefix":          map[string]any{"enum": objects},
				"keyField":        map[string]any{"type": "string"},
				"value":           true,
				"replaceExisting": map[string]any{"type": "boolean"},
			},
			"additionalProperties": false,
			"allOf":                cases,
			"$defs":                defs,
		}
		if len(objects) == 0 {
			doc["not"] = true // a command without outputs writes none
			delete(doc, "allOf")
		}
		frags := make([]string, len(objects))
		for i, p := range objects {
			frags[i] = objectPointer(p)
		}
		cp, compiled := compile(id, doc, frags...)
		o := &outputSchemas{doc: cp.doc, objects: map[string]*jsonschema.Schema{}, err: cp.err}
		if cp.err == nil {
			for _, p := range objects {
				o.objects[p] = compiled[objectPointer(p)]
			}
		}
		c.outSchema = o
	})
	return c.outSchema
}

// propertySchema is the schema of a node seen from its parent.
func propertySchema(n *node) map[string]any {
	if n.object() {
		return map[string]any{"$ref": "#" + objectPointer(n.path)}
	}
	s := leafSchema(n.typ)
	if n.desc != "" {
		s["description"] = n.desc
	}
	return s
}

// objectSchema is the schema of one object held by n.
func objectSchema(n *node) map[string]any {
	props := map[string]any{}
	for _, ch := range n.children {
		props[ch.name] = propertySchema(ch)
	}
	s := map[string]any{
		"type":                 "object",
		"properties":           props,
		"additionalProperties": n.typ == OutUnknown,
	}
	if n.desc != "" {
		s["description"] = n.desc
	}
	return s
}

func leafSchema(t OutputType) map[string]any {
	switch t {
	case OutString:
		return map[string]any{"type": "string"}
	case OutNumber:
		return map[string]any{"type": "number"}
	case OutBoolean:
		return map[string]any{"type": "boolean"}
	case OutDate:
		return map[string]any{"type": "string", "format": "date-time"}
	}
	return map[string]any{}
}

// objectPointer is the JSON pointer to the schema of one object at path.
func objectPointer(path string) string { return "/$defs/" + escapePointer(path) + "/$defs/object" }
