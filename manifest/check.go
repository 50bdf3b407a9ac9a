package manifest

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The checks Load runs on a manifest: each problem is collected, so one
// load reports every mistake at once, each naming where it is.

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
		c.checkNames(cmd, i, where)
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
		c.checkValues(a, where)
	}
	if defaults > 1 {
		c.addf("command %s: more than one argument is marked default: true", cmd.Name)
	}
}

// checkNames indexes argument i of cmd by its name and aliases, reporting
// any that repeats or clashes with another argument's.
func (c *checker) checkNames(cmd *Command, i int, where string) {
	a := &cmd.Arguments[i]
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
}

// checkValues checks what an argument accepts: bounds, predefined values
// and its default, each against its type.
func (c *checker) checkValues(a *Argument, where string) {
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
