package manifest

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/soarkit/openai-gpt/manifest/decimal"
)

// Coerce turns war-room arguments (strings, as typed after !command) into
// the typed JSON values the command's argument schema describes:
//
//   - an alias is resolved to the argument's canonical name; giving both is
//     an error;
//   - an empty value counts as not given (as in XSOAR);
//   - defaults are applied, then required arguments checked;
//   - predefined values are checked as given (case-sensitive, as XSOAR);
//   - number and integer arguments become float64, checked against
//     minValue/maxValue; boolean ones become bool (true/false, yes/no);
//   - isArray arguments are split on commas and trimmed into []string.
//
// Every error names the argument and what it accepts.
func (c *Command) Coerce(raw map[string]string) (map[string]any, error) {
	out := make(map[string]any, len(c.Arguments))
	given := make(map[string]string, len(raw)) // canonical name → spelling used
	names := make([]string, 0, len(raw))
	for k := range raw {
		names = append(names, k)
	}
	slices.Sort(names) // deterministic errors
	for _, k := range names {
		v := raw[k]
		a, ok := c.Argument(k)
		if !ok {
			return nil, fmt.Errorf("%s: unknown argument %q; valid arguments: %s", c.Name, k, c.describeArgs())
		}
		if prev, dup := given[a.Name]; dup {
			return nil, fmt.Errorf("%s: arguments %s and %s are the same argument (%s); give only one", c.Name, prev, k, a.spellings())
		}
		given[a.Name] = k
		if strings.TrimSpace(v) == "" {
			continue
		}
		val, err := a.coerce(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.Name, err)
		}
		out[a.Name] = val
	}
	var missing []string
	for i := range c.Arguments {
		a := &c.Arguments[i]
		if _, ok := out[a.Name]; ok {
			continue
		}
		if a.DefaultValue != "" {
			val, err := a.coerce(a.DefaultValue)
			if err != nil { // Load checks defaults, so only a hand-built Command gets here
				return nil, fmt.Errorf("%s: default of %w", c.Name, err)
			}
			out[a.Name] = val
			continue
		}
		if a.Required {
			missing = append(missing, a.Name)
		}
	}
	switch len(missing) {
	case 0:
		return out, nil
	case 1:
		return nil, fmt.Errorf("%s: missing required argument %s", c.Name, missing[0])
	default:
		return nil, fmt.Errorf("%s: missing required arguments %s", c.Name, strings.Join(missing, ", "))
	}
}

// describeArgs lists the command's arguments with their aliases, or says
// it takes none.
func (c *Command) describeArgs() string {
	if len(c.Arguments) == 0 {
		return "none (this command takes no arguments)"
	}
	parts := make([]string, len(c.Arguments))
	for i := range c.Arguments {
		a := &c.Arguments[i]
		parts[i] = a.Name
		if len(a.Aliases) > 0 {
			parts[i] += " (or " + strings.Join(a.Aliases, ", ") + ")"
		}
	}
	return strings.Join(parts, ", ")
}

func (a *Argument) spellings() string {
	return a.Name + " also spelled " + strings.Join(a.Aliases, ", ")
}

// coerce converts one raw argument value, splitting lists.
func (a *Argument) coerce(raw string) (any, error) {
	if !a.IsArray {
		return a.coerceOne(raw)
	}
	items := splitList(raw)
	if len(items) == 0 {
		return nil, fmt.Errorf("argument %s: %q holds no values; give a comma-separated list", a.Name, raw)
	}
	if a.Type == ArgString || a.Type == ArgEntryID || a.Type == "" {
		out := make([]string, len(items))
		for i, item := range items {
			v, err := a.coerceOne(item)
			if err != nil {
				return nil, err
			}
			out[i] = v.(string)
		}
		return out, nil
	}
	out := make([]any, len(items))
	for i, item := range items {
		v, err := a.coerceOne(item)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// coerceOne converts and checks a single value.
func (a *Argument) coerceOne(raw string) (any, error) {
	v := raw
	if a.Type != ArgString && a.Type != "" {
		v = strings.TrimSpace(raw)
	}
	if len(a.Predefined) > 0 && !slices.Contains(a.Predefined, v) {
		return nil, fmt.Errorf("argument %s: %q is not one of %s", a.Name, v, strings.Join(a.Predefined, ", "))
	}
	val, err := a.convert(v)
	if err != nil {
		return nil, err
	}
	if f, ok := val.(float64); ok {
		if err := a.checkRange(f); err != nil {
			return nil, err
		}
	}
	return val, nil
}

// maxExactInteger is the largest whole number a float64 holds exactly.
const maxExactInteger = 1 << 53

// convert parses v according to the argument's type.
func (a *Argument) convert(v string) (any, error) {
	switch a.Type {
	case ArgNumber, ArgInteger:
		f, err := decimal.Parse(v)
		switch {
		case errors.Is(err, decimal.ErrRange):
			return nil, a.outOfRange(v)
		case errors.Is(err, decimal.ErrNotDecimal):
			return nil, fmt.Errorf("argument %s: %q is not a decimal number (such as 0.7)", a.Name, v)
		case err != nil:
			return nil, fmt.Errorf("argument %s: %q is not a number", a.Name, v)
		}
		if a.Type == ArgInteger && f != math.Trunc(f) {
			return nil, fmt.Errorf("argument %s: %q is not a whole number", a.Name, v)
		}
		// Past 2^53 a float64 (and JSON's numbers, as most readers take
		// them) no longer holds every whole number, and an int64 conversion
		// in a handler would wrap around: refuse rather than send garbage.
		if a.Type == ArgInteger && math.Abs(f) > maxExactInteger {
			return nil, fmt.Errorf("argument %s: %s is too large; whole numbers go up to %d", a.Name, v, int64(maxExactInteger))
		}
		return f, nil
	case ArgBoolean:
		switch strings.ToLower(v) {
		case "true", "yes":
			return true, nil
		case "false", "no":
			return false, nil
		}
		return nil, fmt.Errorf("argument %s: %q is not a boolean; use true or false", a.Name, v)
	case ArgEntryID:
		if v == "" || strings.ContainsAny(v, " \t\r\n") {
			return nil, fmt.Errorf("argument %s: %q is not an entry id (such as 3@123)", a.Name, v)
		}
		return v, nil
	}
	return v, nil
}

func (a *Argument) checkRange(f float64) error {
	lo, hi := a.MinValue, a.MaxValue
	if (lo == nil || f >= *lo) && (hi == nil || f <= *hi) {
		return nil
	}
	switch {
	case lo != nil && hi != nil:
		return fmt.Errorf("argument %s: %s is out of range; allowed %s to %s", a.Name, fmtNum(f), fmtNum(*lo), fmtNum(*hi))
	case lo != nil:
		return fmt.Errorf("argument %s: %s is too small; allowed %s or more", a.Name, fmtNum(f), fmtNum(*lo))
	default:
		return fmt.Errorf("argument %s: %s is too large; allowed %s or less", a.Name, fmtNum(f), fmtNum(*hi))
	}
}

// outOfRange words a number past float64's range (1e309), quoting it as
// typed, with the argument's own range when it has one.
func (a *Argument) outOfRange(v string) error {
	lo, hi := a.MinValue, a.MaxValue
	switch {
	case lo != nil && hi != nil:
		return fmt.Errorf("argument %s: %s is out of range; allowed %s to %s", a.Name, v, fmtNum(*lo), fmtNum(*hi))
	case lo != nil:
		return fmt.Errorf("argument %s: %s is out of range; allowed %s or more, up to about 1.8e308", a.Name, v, fmtNum(*lo))
	case hi != nil:
		return fmt.Errorf("argument %s: %s is out of range; allowed %s or less, down to about -1.8e308", a.Name, v, fmtNum(*hi))
	}
	return fmt.Errorf("argument %s: %s is out of range; numbers go up to about 1.8e308", a.Name, v)
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
