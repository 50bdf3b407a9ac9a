// Package manifest loads and checks integration.yml, the integration's
// declaration of its parameters, commands, arguments, context outputs and
// event streams, and derives from it a JSON Schema (draft 2020-12) per
// command for its arguments and its context outputs.
//
// Loading is cheap and does no schema work: each command compiles its
// schemas on first use, so a plugin that serves one call pays only for the
// command it runs.
package manifest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	integration "github.com/soarkit/openai-gpt"
)

// ParamType is an XSOAR configuration parameter type.
type ParamType int

// The XSOAR parameter types this manifest uses.
const (
	ParamShortText     ParamType = 0  // short text
	ParamEncrypted     ParamType = 4  // encrypted (a secret)
	ParamBoolean       ParamType = 8  // checkbox
	ParamLongText      ParamType = 12 // long text
	ParamSingleSelect  ParamType = 15 // single select from Options
	ParamMultiSelect   ParamType = 16 // multi select from Options
	ParamFetchInterval ParamType = 19 // fetch interval, in minutes
)

func (t ParamType) known() bool {
	switch t {
	case ParamShortText, ParamEncrypted, ParamBoolean, ParamLongText,
		ParamSingleSelect, ParamMultiSelect, ParamFetchInterval:
		return true
	}
	return false
}

// ArgType is how a war-room argument (always a string as typed) becomes a
// typed JSON value. It is an extension of the XSOAR format.
type ArgType string

// Argument types.
const (
	ArgString  ArgType = "string"  // the text as given (the default)
	ArgNumber  ArgType = "number"  // a finite number (float64)
	ArgInteger ArgType = "integer" // a whole number (float64 without a fraction)
	ArgBoolean ArgType = "boolean" // true/false (also yes/no)
	ArgEntryID ArgType = "entryId" // a war-room entry id such as 3@123
)

func (t ArgType) known() bool {
	switch t {
	case ArgString, ArgNumber, ArgInteger, ArgBoolean, ArgEntryID:
		return true
	}
	return false
}

func (t ArgType) numeric() bool { return t == ArgNumber || t == ArgInteger }

// OutputType is the XSOAR type of a context path.
type OutputType string

// Context output types.
const (
	OutString  OutputType = "String"
	OutNumber  OutputType = "Number"
	OutBoolean OutputType = "Boolean"
	OutDate    OutputType = "Date" // an RFC 3339 date-time string
	OutUnknown OutputType = "Unknown"
)

func (t OutputType) known() bool {
	switch t {
	case OutString, OutNumber, OutBoolean, OutDate, OutUnknown:
		return true
	}
	return false
}

// Manifest is a loaded and checked integration.yml.
type Manifest struct {
	ID          string // commonfields.id
	Version     int    // commonfields.version
	Name        string
	Display     string
	Category    string
	Description string
	Script      Script

	Params       []Param
	Commands     []*Command
	EventStreams []EventStream
}

// Script is the manifest's script section, without its commands and
// event streams (see Manifest).
type Script struct {
	Type          string
	Subtype       string
	IsFetchEvents bool
}

// Param is one instance configuration parameter.
type Param struct {
	Display        string    `yaml:"display"`
	Name           string    `yaml:"name"`
	Type           ParamType `yaml:"type"`
	Required       bool      `yaml:"required"`
	DefaultValue   string    `yaml:"defaultvalue"`
	Options        []string  `yaml:"options"`
	AdditionalInfo string    `yaml:"additionalinfo"`
	Section        string    `yaml:"section"`
	Hidden         bool      `yaml:"hidden"`
	Advanced       bool      `yaml:"advanced"`
}

// Secret reports whether the parameter holds a credential.
func (p *Param) Secret() bool { return p.Type == ParamEncrypted }

// Command is one command: its arguments and the context paths it writes.
type Command struct {
	Name        string     `yaml:"name"`
	Description string     `yaml:"description"`
	Deprecated  bool       `yaml:"deprecated"`
	Arguments   []Argument `yaml:"arguments"`
	Outputs     []Output   `yaml:"outputs"`

	byName map[string]int // argument name or alias → index in Arguments

	argsOnce   sync.Once
	argsSchema *compiled
	outOnce    sync.Once
	outSchema  *outputSchemas
}

// Argument is one command argument. Type, MinValue, MaxValue and Aliases
// extend the XSOAR format.
type Argument struct {
	Name         string   `yaml:"name"`
	Description  string   `yaml:"description"`
	Required     bool     `yaml:"required"`
	Default      bool     `yaml:"default"` // the argument given without a name (XSOAR's default argument)
	DefaultValue string   `yaml:"defaultValue"`
	Predefined   []string `yaml:"predefined"`
	Auto         string   `yaml:"auto"`
	IsArray      bool     `yaml:"isArray"`
	Secret       bool     `yaml:"secret"`
	Deprecated   bool     `yaml:"deprecated"`

	Type     ArgType  `yaml:"type"` // empty in the YAML means string; Load fills it in
	MinValue *float64 `yaml:"minValue"`
	MaxValue *float64 `yaml:"maxValue"`
	Aliases  []string `yaml:"aliases"`
}

// Output is one declared context path.
type Output struct {
	ContextPath string     `yaml:"contextPath"`
	Type        OutputType `yaml:"type"`
	Description string     `yaml:"description"`
}

// EventStream is one stream of events fetch-events pushes, and the dataset
// it lands in.
type EventStream struct {
	ID         string   `yaml:"id"`
	Dataset    string   `yaml:"dataset"`
	Vendor     string   `yaml:"vendor"`
	Product    string   `yaml:"product"`
	EventTypes []string `yaml:"eventTypes"` // the event_types_to_fetch labels it carries
}

// document is integration.yml as written.
type document struct {
	CommonFields struct {
		ID      string `yaml:"id"`
		Version int    `yaml:"version"`
	} `yaml:"commonfields"`
	Name                string   `yaml:"name"`
	Display             string   `yaml:"display"`
	Category            string   `yaml:"category"`
	Description         string   `yaml:"description"`
	DetailedDescription string   `yaml:"detaileddescription"`
	FromVersion         string   `yaml:"fromversion"`
	Tests               []string `yaml:"tests"`
	Configuration       []Param  `yaml:"configuration"`
	Script              struct {
		Script        string        `yaml:"script"`
		Type          string        `yaml:"type"`
		Subtype       string        `yaml:"subtype"`
		DockerImage   string        `yaml:"dockerimage"`
		IsFetch       bool          `yaml:"isfetch"`
		IsFetchEvents bool          `yaml:"isfetchevents"`
		Commands      []*Command    `yaml:"commands"`
		EventStreams  []EventStream `yaml:"eventStreams"`
	} `yaml:"script"`
}

var defaultManifest = sync.OnceValue(func() *Manifest {
	m, err := Load(integration.YAML)
	if err != nil {
		panic("the embedded integration.yml is broken: " + err.Error())
	}
	return m
})

// Default returns the embedded manifest (integration.yml), loaded on first
// use. It panics only if the embedded file is broken, which a test guards.
func Default() *Manifest { return defaultManifest() }

// Load parses a manifest and checks it. The error lists every problem
// found, each naming the parameter, command, argument or context path.
func Load(yamlDoc []byte) (*Manifest, error) {
	var doc document
	dec := yaml.NewDecoder(bytes.NewReader(yamlDoc))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("manifest: the document is empty")
		}
		return nil, fmt.Errorf("manifest: %w", err)
	}
	m := &Manifest{
		ID:           doc.CommonFields.ID,
		Version:      doc.CommonFields.Version,
		Name:         doc.Name,
		Display:      doc.Display,
		Category:     doc.Category,
		Description:  doc.Description,
		Script:       Script{Type: doc.Script.Type, Subtype: doc.Script.Subtype, IsFetchEvents: doc.Script.IsFetchEvents},
		Params:       doc.Configuration,
		Commands:     doc.Script.Commands,
		EventStreams: doc.Script.EventStreams,
	}
	c := &checker{}
	c.check(m)
	if len(c.problems) > 0 {
		return nil, fmt.Errorf("manifest: %w", errors.Join(c.problems...))
	}
	return m, nil
}

// Command returns the command called name.
func (m *Manifest) Command(name string) (*Command, bool) {
	for _, c := range m.Commands {
		if c.Name == name {
			return c, true
		}
	}
	return nil, false
}

// Param returns the configuration parameter called name.
func (m *Manifest) Param(name string) (*Param, bool) {
	for i := range m.Params {
		if m.Params[i].Name == name {
			return &m.Params[i], true
		}
	}
	return nil, false
}

// EventStream returns the event stream with the given id.
func (m *Manifest) EventStream(id string) (*EventStream, bool) {
	for i := range m.EventStreams {
		if m.EventStreams[i].ID == id {
			return &m.EventStreams[i], true
		}
	}
	return nil, false
}

// Argument returns the argument called name, or whose alias name is.
func (c *Command) Argument(name string) (*Argument, bool) {
	i, ok := c.byName[name]
	if !ok {
		return nil, false
	}
	return &c.Arguments[i], true
}

// ArgumentNames returns the canonical argument names, in manifest order.
func (c *Command) ArgumentNames() []string {
	names := make([]string, len(c.Arguments))
	for i := range c.Arguments {
		names[i] = c.Arguments[i].Name
	}
	return names
}

// Output returns the declared context output at path.
func (c *Command) Output(path string) (*Output, bool) {
	for i := range c.Outputs {
		if c.Outputs[i].ContextPath == path {
			return &c.Outputs[i], true
		}
	}
	return nil, false
}

var (
	commandNameRE = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	argNameRE     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	paramNameRE   = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)
	pathSegmentRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	datasetRE     = regexp.MustCompile(`^[a-z0-9_]+$`)
	streamIDRE    = regexp.MustCompile(`^[a-z0-9_-]+$`)
)

type checker struct{ problems []error }

func (c *checker) addf(format string, args ...any) {
	c.problems = append(c.problems, fmt.Errorf(format, args...))
}

func (c *checker) check(m *Manifest) {
	if m.ID == "" {
		c.addf("commonfields.id is missing")
	}
	if m.Name == "" {
		c.addf("name is missing")
	}
	c.checkParams(m.Params)
	if len(m.Commands) == 0 {
		c.addf("script.commands is empty")
	}
	seen := map[string]bool{}
	for i, cmd := range m.Commands {
		if cmd == nil {
			c.addf("script.commands[%d] is empty", i)
			continue
		}
		if !commandNameRE.MatchString(cmd.Name) {
			c.addf("script.commands[%d]: command name %q is not a lower-case dashed name", i, cmd.Name)
		}
		if seen[cmd.Name] {
			c.addf("command %s: duplicate command", cmd.Name)
		}
		seen[cmd.Name] = true
		c.checkArguments(cmd)
		c.checkOutputs(cmd)
	}
	c.checkPathTree(m.Commands)
	c.checkStreams(m)
}

func (c *checker) checkParams(params []Param) {
	seen := map[string]bool{}
	for i := range params {
		p := &params[i]
		where := fmt.Sprintf("parameter %s", p.Name)
		if !paramNameRE.MatchString(p.Name) {
			c.addf("configuration[%d]: parameter name %q is not a valid name", i, p.Name)
			where = fmt.Sprintf("configuration[%d]", i)
		}
		if seen[p.Name] {
			c.addf("%s: duplicate parameter", where)
		}
		seen[p.Name] = true
		if p.Display == "" {
			c.addf("%s: display is missing", where)
		}
		if !p.Type.known() {
			c.addf("%s: unknown type %d (allowed: 0 short text, 4 encrypted, 8 boolean, 12 long text, 15 single select, 16 multi select, 19 fetch interval)", where, p.Type)
			continue
		}
		selects := p.Type == ParamSingleSelect || p.Type == ParamMultiSelect
		if selects && len(p.Options) == 0 {
			c.addf("%s: a select parameter needs options", where)
		}
		if !selects && len(p.Options) > 0 {
			c.addf("%s: options are only for select parameters (types 15 and 16)", where)
		}
		if dup := firstDuplicate(p.Options); dup != "" {
			c.addf("%s: option %q is listed twice", where, dup)
		}
		if p.DefaultValue == "" {
			continue
		}
		switch p.Type {
		case ParamSingleSelect:
			if !slices.Contains(p.Options, p.DefaultValue) {
				c.addf("%s: defaultvalue %q is not one of its options", where, p.DefaultValue)
			}
		case ParamMultiSelect:
			for _, v := range splitList(p.DefaultValue) {
				if !slices.Contains(p.Options, v) {
					c.addf("%s: defaultvalue %q is not one of its options", where, v)
				}
			}
		case ParamBoolean:
			if p.DefaultValue != "true" && p.DefaultValue != "false" {
				c.addf("%s: defaultvalue %q of a boolean parameter is not true or false", where, p.DefaultValue)
			}
		case ParamFetchInterval:
			if n, err := strconv.Atoi(p.DefaultValue); err != nil || n < 1 {
				c.addf("%s: defaultvalue %q of a fetch interval is not a number of minutes", where, p.DefaultValue)
			}
		case ParamEncrypted:
			c.addf("%s: a secret parameter must not have a defaultvalue", where)
		}
	}
}

func (c *checker) checkArguments(cmd *Command) {
	cmd.byName = make(map[string]int, len(cmd.Arguments))
	defaults := 0
	for i := range cmd.Arguments {
		a := &cmd.Arguments[i]
		where := fmt.Sprintf("command %s: argument %s", cmd.Name, a.Name)
		if !argNameRE.MatchString(a.Name) {
			c.addf("command %s: arguments[%d]: name %q is not a valid argument name", cmd.Name, i, a.Name)
		}
		for _, n := range append([]string{a.Name}, a.Aliases...) {
			if j, dup := cmd.byName[n]; dup {
				switch {
				case j == i:
					c.addf("%s: alias %s repeats the argument's own name or alias", where, n)
				case n == a.Name && n == cmd.Arguments[j].Name:
					c.addf("%s: duplicate argument", where)
				default:
					c.addf("%s: name %s clashes with argument %s (as a name or an alias)", where, n, cmd.Arguments[j].Name)
				}
				continue
			}
			if n != a.Name && !argNameRE.MatchString(n) {
				c.addf("%s: alias %q is not a valid argument name", where, n)
			}
			cmd.byName[n] = i
		}
		if a.Default {
			defaults++
		}
		if a.Type == "" {
			a.Type = ArgString
		}
		if !a.Type.known() {
			c.addf("%s: unknown argument type %q (allowed: string, number, integer, boolean, entryId)", where, a.Type)
			continue
		}
		if (a.MinValue != nil || a.MaxValue != nil) && !a.Type.numeric() {
			c.addf("%s: minValue/maxValue are only for number and integer arguments, not %s", where, a.Type)
		}
		if a.MinValue != nil && a.MaxValue != nil && *a.MinValue > *a.MaxValue {
			c.addf("%s: minValue %g is above maxValue %g", where, *a.MinValue, *a.MaxValue)
		}
		if len(a.Predefined) > 0 && a.Auto != "PREDEFINED" {
			c.addf("%s: predefined values need auto: PREDEFINED", where)
		}
		if a.Auto != "" && a.Auto != "PREDEFINED" {
			c.addf("%s: unknown auto %q (allowed: PREDEFINED)", where, a.Auto)
		}
		if a.Auto == "PREDEFINED" && len(a.Predefined) == 0 {
			c.addf("%s: auto: PREDEFINED without predefined values", where)
		}
		if dup := firstDuplicate(a.Predefined); dup != "" {
			c.addf("%s: predefined value %q is listed twice", where, dup)
		}
		for _, v := range a.Predefined {
			if _, err := a.convert(v); err != nil {
				c.addf("%s: predefined value %q: %v", where, v, err)
			}
		}
		if a.DefaultValue != "" {
			if a.Required {
				c.addf("%s: a required argument cannot have a defaultValue", where)
			}
			if _, err := a.coerce(a.DefaultValue); err != nil {
				c.addf("%s: defaultValue: %v", where, err)
			}
		}
	}
	if defaults > 1 {
		c.addf("command %s: more than one argument is marked default: true", cmd.Name)
	}
}

func (c *checker) checkOutputs(cmd *Command) {
	seen := map[string]OutputType{}
	for i, o := range cmd.Outputs {
		where := fmt.Sprintf("command %s: output %s", cmd.Name, o.ContextPath)
		if !validPath(o.ContextPath) {
			c.addf("command %s: outputs[%d]: context path %q is not a dot path of names", cmd.Name, i, o.ContextPath)
			continue
		}
		if !o.Type.known() {
			c.addf("%s: unknown output type %q (allowed: String, Number, Boolean, Date, Unknown)", where, o.Type)
			continue
		}
		if t, dup := seen[o.ContextPath]; dup {
			if t != o.Type {
				c.addf("%s: declared twice with different types (%s and %s)", where, t, o.Type)
			} else {
				c.addf("%s: declared twice", where)
			}
		}
		seen[o.ContextPath] = o.Type
	}
}

// checkPathTree checks the context paths of all commands together, since
// they share one context: a path keeps one type, and only an Unknown path
// may also be the parent of other paths.
func (c *checker) checkPathTree(cmds []*Command) {
	type decl struct {
		typ OutputType
		cmd string
	}
	declared := map[string]decl{}
	var order []string
	for _, cmd := range cmds {
		if cmd == nil {
			continue
		}
		for _, o := range cmd.Outputs {
			if !validPath(o.ContextPath) || !o.Type.known() {
				continue
			}
			d, ok := declared[o.ContextPath]
			if !ok {
				declared[o.ContextPath] = decl{o.Type, cmd.Name}
				order = append(order, o.ContextPath)
				continue
			}
			if d.typ != o.Type && d.cmd != cmd.Name {
				c.addf("output %s: declared as %s by %s and as %s by %s", o.ContextPath, d.typ, d.cmd, o.Type, cmd.Name)
			}
		}
	}
	for _, p := range order {
		segs := strings.Split(p, ".")
		for n := 1; n < len(segs); n++ {
			parent := strings.Join(segs[:n], ".")
			if d, ok := declared[parent]; ok && d.typ != OutUnknown {
				c.addf("output %s: %s is declared as %s (by %s), so it cannot also be the parent of %s; declare it Unknown or drop it", parent, parent, d.typ, d.cmd, p)
			}
		}
	}
}

func (c *checker) checkStreams(m *Manifest) {
	seen := map[string]bool{}
	labels := map[string]string{}
	for i, s := range m.EventStreams {
		where := fmt.Sprintf("event stream %s", s.ID)
		if !streamIDRE.MatchString(s.ID) {
			c.addf("script.eventStreams[%d]: id %q is not a lower-case name", i, s.ID)
		}
		if seen[s.ID] {
			c.addf("%s: duplicate event stream", where)
		}
		seen[s.ID] = true
		if !datasetRE.MatchString(s.Dataset) {
			c.addf("%s: dataset %q does not match ^[a-z0-9_]+$", where, s.Dataset)
		}
		if s.Vendor == "" || s.Product == "" {
			c.addf("%s: vendor and product are required", where)
		}
		for _, l := range s.EventTypes {
			if other, dup := labels[l]; dup {
				c.addf("%s: event type %q is already carried by stream %s", where, l, other)
			}
			labels[l] = s.ID
		}
	}
	if m.Script.IsFetchEvents && len(m.EventStreams) == 0 {
		c.addf("script.isfetchevents is set but script.eventStreams is empty")
	}
	if p, ok := m.Param("event_types_to_fetch"); ok && len(m.EventStreams) > 0 {
		for _, o := range p.Options {
			if _, ok := labels[o]; !ok {
				c.addf("parameter event_types_to_fetch: option %q is carried by no event stream", o)
			}
		}
	}
}

func validPath(p string) bool {
	if p == "" {
		return false
	}
	for _, s := range strings.Split(p, ".") {
		if !pathSegmentRE.MatchString(s) {
			return false
		}
	}
	return true
}

func firstDuplicate(list []string) string {
	seen := make(map[string]bool, len(list))
	for _, v := range list {
		if seen[v] {
			return v
		}
		seen[v] = true
	}
	return ""
}

// splitList splits a comma-separated list, trimming items and dropping
// empty ones.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
