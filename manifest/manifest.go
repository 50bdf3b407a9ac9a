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
	"slices"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	integration "github.com/soarkit/openai-gpt"
	"github.com/soarkit/openai-gpt/schemas"
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

var defaultManifest = sync.OnceValues(func() (*Manifest, error) {
	return load(embeddedYAML())
})

// Default returns the embedded manifest (integration.yml), loaded on first
// use. It panics only if the embedded file is broken, which a test guards.
func Default() *Manifest {
	m, err := defaultManifest()
	if err != nil {
		panic("the embedded integration.yml is broken: " + err.Error())
	}
	return m
}

// YAML returns the embedded integration.yml as written, for the plugin's
// Manifest call: the host checks calls against its own parse of this text.
// Each call returns its own copy.
func YAML() []byte { return integration.YAML() }

// embeddedYAML is integration.yml, read once (integration.YAML copies).
var embeddedYAML = sync.OnceValue(integration.YAML)

// Load parses a manifest and checks it. The error lists every problem
// found, each naming the parameter, command, argument or context path.
//
// A document identical to the embedded integration.yml gives Default():
// the same manifest, with the schemas it has compiled already. A host
// built with this package can load it while the plugin starts (Prepare)
// and find it ready when the plugin declares it.
func Load(yamlDoc []byte) (*Manifest, error) {
	if bytes.Equal(yamlDoc, embeddedYAML()) {
		return defaultManifest()
	}
	return load(yamlDoc)
}

// Prepare loads the embedded manifest and compiles the fixed schemas every
// result is checked against, once per process: the work a first call
// needs whatever the command, done ahead by a process that is waiting for
// something else (the plugin for its host, the host for its plugin). It
// never panics (run as a goroutine, a panic would end the process): what
// fails here fails again, as an error, where the work is needed.
func Prepare() {
	defer func() { _ = recover() }()
	Default()
	schemas.Compile()
}

func load(yamlDoc []byte) (*Manifest, error) {
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

// Datasets returns the datasets the event streams fill, each once, in
// manifest order.
func (m *Manifest) Datasets() []string {
	var names []string
	for _, st := range m.EventStreams {
		if !slices.Contains(names, st.Dataset) {
			names = append(names, st.Dataset)
		}
	}
	return names
}

// Argument returns the argument called name, or whose alias name is.
func (c *Command) Argument(name string) (*Argument, bool) {
	i, ok := c.byName[name]
	if !ok {
		return nil, false
	}
	return &c.Arguments[i], true
}

// Canonical returns args keyed by canonical argument names: a value given
// under an alias (entry_id for entryId) is keyed by the argument's name.
// Unknown names are kept as they are; ValidateArgs refuses them.
func (c *Command) Canonical(args map[string]any) map[string]any {
	out := make(map[string]any, len(args))
	for k, v := range args {
		if a, ok := c.Argument(k); ok {
			k = a.Name
		}
		out[k] = v
	}
	return out
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
