package manifest

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/soarkit/openai-gpt/schemas/schemaerr"
)

// ArgsSchema returns the JSON Schema (draft 2020-12) of the command's typed
// arguments, as Coerce produces them.
func (c *Command) ArgsSchema() []byte { return c.args().doc }

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

// Prepare compiles the command's argument and result schemas, once per
// process, for a caller that knows the command before it is called (a host
// waiting for its plugin to start). Like PrepareResult, it never panics.
func (c *Command) Prepare() {
	defer func() { _ = recover() }()
	c.args()
	c.PrepareResult()
}

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
