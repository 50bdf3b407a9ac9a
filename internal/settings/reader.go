package settings

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/soarkit/openai-gpt/manifest/decimal"
)

// reader reads typed values out of raw params (strings as typed in the
// host's UI, or JSON numbers and booleans), collecting every error.
type reader struct {
	params map[string]any
	errs   []error
}

func (r *reader) fail(name, format string, args ...any) {
	r.errs = append(r.errs, fmt.Errorf("parameter %s: "+format, append([]any{name}, args...)...))
}

func (r *reader) raw(name string) (string, bool) {
	v, ok := r.params[name]
	if !ok || v == nil {
		return "", false
	}
	switch t := v.(type) {
	case string:
		t = strings.TrimSpace(t)
		return t, t != ""
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(t), true
	case []any:
		parts := make([]string, 0, len(t))
		for _, p := range t {
			parts = append(parts, fmt.Sprint(p))
		}
		return strings.Join(parts, ","), len(parts) > 0
	}
	return fmt.Sprint(v), true
}

func (r *reader) str(name string) string {
	s, _ := r.raw(name)
	return s
}

func (r *reader) boolean(name string) bool {
	s, ok := r.raw(name)
	if !ok {
		return false
	}
	switch strings.ToLower(s) {
	case "true", "yes", "1", "on":
		return true
	case "false", "no", "0", "off":
		return false
	}
	r.fail(name, "%q is not a boolean (use true or false)", s)
	return false
}

func (r *reader) number(name string, lo, hi float64) (float64, bool) {
	s, ok := r.raw(name)
	if !ok {
		return 0, false
	}
	f, err := decimal.Parse(s)
	switch {
	case errors.Is(err, decimal.ErrRange):
		r.fail(name, "%s is out of range (allowed: %g to %g)", s, lo, hi)
		return 0, false
	case errors.Is(err, decimal.ErrNotDecimal):
		r.fail(name, "%q is not a decimal number (allowed: %g to %g)", s, lo, hi)
		return 0, false
	case err != nil:
		r.fail(name, "%q is not a number (allowed: %g to %g)", s, lo, hi)
		return 0, false
	}
	if f < lo || f > hi {
		r.fail(name, "%g is out of range (allowed: %g to %g)", f, lo, hi)
		return 0, false
	}
	return f, true
}

func (r *reader) optFloat(name string, lo, hi float64) *float64 {
	f, ok := r.number(name, lo, hi)
	if !ok {
		return nil
	}
	return &f
}

func (r *reader) optInt(name string, lo, hi float64) *int64 {
	f, ok := r.number(name, lo, hi)
	if !ok {
		return nil
	}
	if f != math.Trunc(f) {
		r.fail(name, "%g is not a whole number", f)
		return nil
	}
	n := int64(f)
	return &n
}

func (r *reader) intDefault(name string, def int, lo, hi float64) int {
	if n := r.optInt(name, lo, hi); n != nil {
		return int(*n)
	}
	return def
}

func (r *reader) baseURL(name, def string) string {
	s, ok := r.raw(name)
	if !ok {
		s = def
	}
	u, err := NormalizeBaseURL(s)
	if err != nil {
		r.fail(name, "%v", err)
		return ""
	}
	return u
}

// labels reads a multi-select; unset means every label.
func (r *reader) labels(name string, known []string) []string {
	s, ok := r.raw(name)
	if !ok {
		return slices.Clone(known)
	}
	var out []string
	for _, l := range strings.Split(s, ",") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if !slices.Contains(known, l) {
			r.fail(name, "unknown event type %q (allowed: %s)", l, strings.Join(known, ", "))
			continue
		}
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// interval reads eventFetchInterval: minutes as a number, or a Go duration
// such as "90s" or "5m".
func (r *reader) interval(name string) time.Duration {
	s, ok := r.raw(name)
	if !ok {
		return DefaultFetchInterval
	}
	if f, err := decimal.Parse(s); err == nil {
		if f <= 0 || f > 24*60 {
			r.fail(name, "%g minutes is out of range (allowed: more than 0, up to 1440)", f)
			return DefaultFetchInterval
		}
		return time.Duration(f * float64(time.Minute))
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		r.fail(name, "%q is not an interval (minutes, or a duration like 90s or 5m)", s)
		return DefaultFetchInterval
	}
	return d
}
