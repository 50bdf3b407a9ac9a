package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/soarkit/openai-gpt/internal/schemaerr"
)

const draft2020 = "https://json-schema.org/draft/2020-12/schema"

// compiled is a derived schema document and its compiled form (or the
// error compiling it, which would be a bug in this package).
type compiled struct {
	doc    []byte
	schema *jsonschema.Schema
	err    error
}

// outputSchemas is a command's output schema document and, per prefix
// that can receive an output, the compiled schema of one object there.
type outputSchemas struct {
	doc     []byte
	objects map[string]*jsonschema.Schema // context path → schema of one object
	err     error
}

// ArgsSchema returns the JSON Schema (draft 2020-12) of the command's typed
// arguments, as Coerce produces them.
func (c *Command) ArgsSchema() []byte { return c.args().doc }

// OutputSchema returns the JSON Schema (draft 2020-12) of one context
// output of the command, as it appears in a result's outputs:
// {prefix, keyField, value, replaceExisting}, where prefix is one of the
// command's output objects and value follows its declared context paths.
// $defs holds, per output object named by its dot path, "an object or an
// array of objects" (its object schema under $defs/object). Nodes declared
// Unknown accept fields beyond those declared; others do not.
func (c *Command) OutputSchema() []byte { return c.outputs().doc }

// ValidateArgs checks typed arguments (as Coerce returns them, or as
// decoded from JSON) against the command's argument schema. Aliases are
// accepted, but not together with their canonical name.
func (c *Command) ValidateArgs(args map[string]any) error {
	var problems []string
	names := make([]string, 0, len(args))
	for k := range args {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if _, ok := c.Argument(k); !ok {
			problems = append(problems, fmt.Sprintf("unknown argument %q; valid arguments: %s", k, c.describeArgs()))
		}
	}
	for i := range c.Arguments {
		a := &c.Arguments[i]
		var present []string
		for _, n := range append([]string{a.Name}, a.Aliases...) {
			if _, ok := args[n]; ok {
				present = append(present, n)
			}
		}
		switch {
		case len(present) > 1:
			problems = append(problems, fmt.Sprintf("arguments %s are the same argument (%s); give only one", strings.Join(present, " and "), a.spellings()))
		case len(present) == 0 && a.Required:
			problems = append(problems, "missing required argument "+a.Name)
		}
	}
	s := c.args()
	if s.err != nil {
		return s.err
	}
	v, err := schemaerr.JSONValue(map[string]any(args))
	if err != nil {
		return fmt.Errorf("arguments: %w", err)
	}
	if err := s.schema.Validate(v); err != nil {
		// Unknown and required arguments and alias clashes were checked
		// above, with clearer messages than the schema's.
		problems = append(problems, schemaerr.Problems(err, argLocation, "/required", "/allOf/", "/dependentSchemas/", "/additionalProperties")...)
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
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

// ---------------------------------------------------------------- arguments

func (c *Command) args() *compiled {
	c.argsOnce.Do(func() {
		doc := c.buildArgsSchema()
		c.argsSchema, _ = compile("mem://manifest/"+c.Name+"/args.json", doc)
	})
	return c.argsSchema
}

func (c *Command) buildArgsSchema() map[string]any {
	props := map[string]any{}
	var required []string
	var allOf []any
	dependent := map[string]any{}
	for i := range c.Arguments {
		a := &c.Arguments[i]
		props[a.Name] = a.schema("")
		names := append([]string{a.Name}, a.Aliases...)
		for _, alias := range a.Aliases {
			props[alias] = a.schema("Alias of " + a.Name + ". ")
			others := map[string]any{}
			for _, n := range names {
				if n != alias {
					others[n] = false
				}
			}
			dependent[alias] = map[string]any{"properties": others}
		}
		if !a.Required {
			continue
		}
		if len(a.Aliases) == 0 {
			required = append(required, a.Name)
			continue
		}
		anyOf := make([]any, len(names))
		for j, n := range names {
			anyOf[j] = map[string]any{"required": []string{n}}
		}
		allOf = append(allOf, map[string]any{"anyOf": anyOf})
	}
	doc := map[string]any{
		"$schema":              draft2020,
		"$id":                  "mem://manifest/" + c.Name + "/args.json",
		"title":                c.Name + " arguments",
		"type":                 "object",
		"properties":           props,
		"additionalProperties": false,
	}
	if len(required) > 0 {
		doc["required"] = required
	}
	if len(allOf) > 0 {
		doc["allOf"] = allOf
	}
	if len(dependent) > 0 {
		doc["dependentSchemas"] = dependent
	}
	return doc
}

// schema is the JSON Schema of the argument's typed value.
func (a *Argument) schema(descPrefix string) map[string]any {
	item := map[string]any{}
	switch a.Type {
	case ArgNumber:
		item["type"] = "number"
	case ArgInteger:
		item["type"] = "integer"
		// What Coerce accepts, so a host that skips it cannot hand the
		// plugin a number an int64 conversion would wrap.
		item["minimum"], item["maximum"] = -float64(maxExactInteger), float64(maxExactInteger)
	case ArgBoolean:
		item["type"] = "boolean"
	case ArgEntryID:
		item["type"] = "string"
		item["pattern"] = `^\S+$`
	default:
		item["type"] = "string"
	}
	if a.MinValue != nil {
		item["minimum"] = *a.MinValue
	}
	if a.MaxValue != nil {
		item["maximum"] = *a.MaxValue
	}
	if len(a.Predefined) > 0 {
		enum := make([]any, 0, len(a.Predefined))
		for _, p := range a.Predefined {
			if v, err := a.convert(p); err == nil && !slices.Contains(enum, v) {
				enum = append(enum, v)
			}
		}
		item["enum"] = enum
	}
	s := item
	if a.IsArray {
		s = map[string]any{"type": "array", "items": item}
	}
	if d := descPrefix + a.Description; d != "" {
		s["description"] = strings.TrimSpace(d)
	}
	if a.DefaultValue != "" {
		if v, err := a.coerce(a.DefaultValue); err == nil {
			s["default"] = v
		}
	}
	return s
}

// ---------------------------------------------------------------- outputs

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

// objectPointer is the JSON pointer to the schema of one object at path.
func objectPointer(path string) string { return "/$defs/" + escapePointer(path) + "/$defs/object" }

func escapePointer(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}
