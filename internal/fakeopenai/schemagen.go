package fakeopenai

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// Structured Outputs: a deterministic value for any JSON Schema a request
// asks for, plausible for the field names it meets.

// schemaGen makes a value for a JSON Schema (the subset Structured Outputs
// accept: type, properties, required, enum, const, items, min/max bounds,
// anyOf, $ref to $defs).
type schemaGen struct {
	root map[string]any
	v    emailVerdict
	text string
}

const maxSchemaDepth = 12

func (g schemaGen) value(schema any, name string, depth int) any {
	sc, ok := schema.(map[string]any)
	if !ok || depth > maxSchemaDepth {
		return nil
	}
	if ref, ok := sc["$ref"].(string); ok {
		if target := g.resolve(ref); target != nil {
			return g.value(target, name, depth+1)
		}
		return nil
	}
	if c, ok := sc["const"]; ok {
		return c
	}
	for _, key := range []string{"anyOf", "oneOf", "allOf"} {
		if branches, ok := sc[key].([]any); ok && len(branches) > 0 {
			for _, b := range branches {
				if bm, ok := b.(map[string]any); ok && bm["type"] != "null" {
					return g.value(bm, name, depth+1)
				}
			}
			return nil
		}
	}
	if enum, ok := sc["enum"].([]any); ok && len(enum) > 0 {
		return g.enumValue(enum, name)
	}
	switch schemaType(sc) {
	case "object":
		return g.object(sc, depth)
	case "array":
		return g.array(sc, name, depth)
	case "string":
		return g.str(sc, name)
	case "integer":
		return int64(math.Round(g.number(sc, name, true)))
	case "number":
		return g.number(sc, name, false)
	case "boolean":
		return g.v.verdict != "benign" && suggestsMalice(name)
	}
	return nil
}

// schemaType is the schema's type, the first non-null one of a type list,
// or what its keywords imply.
func schemaType(sc map[string]any) string {
	switch t := sc["type"].(type) {
	case string:
		return t
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok && s != "null" {
				return s
			}
		}
		return "null"
	}
	switch {
	case sc["properties"] != nil:
		return "object"
	case sc["items"] != nil:
		return "array"
	}
	return "string"
}

// deref follows $ref until a schema without one (a few hops at most).
func (g schemaGen) deref(schema any) any {
	for range maxSchemaDepth {
		sc, ok := schema.(map[string]any)
		if !ok {
			return schema
		}
		ref, ok := sc["$ref"].(string)
		if !ok {
			return sc
		}
		schema = g.resolve(ref)
	}
	return nil
}

// isPlainString is a string schema with no enum, const or combinator, whose
// value the generator may choose freely.
func isPlainString(sc map[string]any) bool {
	for _, k := range []string{"enum", "const", "anyOf", "oneOf", "allOf"} {
		if sc[k] != nil {
			return false
		}
	}
	return schemaType(sc) == "string"
}

func (g schemaGen) resolve(ref string) any {
	path, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil
	}
	var cur any = g.root
	for _, part := range strings.Split(path, "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		cur = m[part]
	}
	return cur
}

func (g schemaGen) enumValue(enum []any, name string) any {
	for _, e := range enum {
		if e == g.v.verdict {
			return e
		}
	}
	// A malicious/suspicious/benign-like enum with other spellings.
	if strings.Contains(strings.ToLower(name), "verdict") {
		for _, e := range enum {
			if s, ok := e.(string); ok && strings.EqualFold(s, g.v.verdict) {
				return e
			}
		}
	}
	return enum[0]
}

func (g schemaGen) object(sc map[string]any, depth int) map[string]any {
	out := map[string]any{}
	props, _ := sc["properties"].(map[string]any)
	for name, p := range props {
		out[name] = g.value(p, name, depth+1)
	}
	return out
}

func (g schemaGen) array(sc map[string]any, name string, depth int) []any {
	items := sc["items"]
	var out []any
	if im, ok := g.deref(items).(map[string]any); ok && isPlainString(im) {
		for _, s := range g.stringList(name) {
			out = append(out, fitString(im, s))
		}
	} else {
		out = append(out, g.value(items, singular(name), depth+1))
	}
	lo, hasLo := intKeyword(sc, "minItems")
	hi, hasHi := intKeyword(sc, "maxItems")
	for i := 0; hasLo && len(out) < lo; i++ {
		v := g.value(items, singular(name), depth+1)
		if s, ok := v.(string); ok {
			im, _ := g.deref(items).(map[string]any)
			v = fitString(im, fmt.Sprintf("%s %d", s, len(out)+1)) // distinct, for uniqueItems
		}
		out = append(out, v)
	}
	if hasHi && len(out) > hi {
		out = out[:hi]
	}
	if out == nil {
		out = []any{}
	}
	return out
}

// stringList is the content of a string array, chosen by the array's name.
func (g schemaGen) stringList(name string) []string {
	n := strings.ToLower(name)
	switch {
	case strings.Contains(n, "url") || strings.Contains(n, "link"):
		return g.v.ind.urls
	case strings.Contains(n, "domain"):
		return g.v.ind.domains
	case n == "ips" || strings.Contains(n, "ip_") || strings.Contains(n, "address") && !strings.Contains(n, "email"):
		return g.v.ind.ips
	case strings.Contains(n, "email"):
		return g.v.ind.emails
	case strings.Contains(n, "reason") || strings.Contains(n, "finding") || strings.Contains(n, "evidence"):
		return g.v.reasons
	}
	return []string{firstRunes(g.text, 200)}
}

func singular(name string) string { return strings.TrimSuffix(name, "s") }

func (g schemaGen) str(sc map[string]any, name string) string {
	n := strings.ToLower(name)
	first := func(list []string, fallback string) string {
		if len(list) > 0 {
			return list[0]
		}
		return fallback
	}
	var s string
	switch format, _ := sc["format"].(string); {
	case format == "date-time":
		s = "2025-01-01T00:00:00Z"
	case format == "date":
		s = "2025-01-01"
	case format == "uuid":
		s = "00000000-0000-4000-8000-000000000000"
	case format == "email" || strings.Contains(n, "email"):
		s = first(g.v.ind.emails, "soc@example.com")
	case format == "uri" || strings.Contains(n, "url"):
		s = first(g.v.ind.urls, "https://example.com/")
	case format == "hostname" || strings.Contains(n, "domain"):
		s = first(g.v.ind.domains, "example.com")
	case format == "ipv4" || n == "ip":
		s = first(g.v.ind.ips, "192.0.2.1")
	case strings.Contains(n, "verdict"):
		s = g.v.verdict
	case strings.Contains(n, "reason"):
		s = first(g.v.reasons, "no reason")
	case strings.Contains(n, "subject"):
		s = "Security notice: the email you reported is " + g.v.verdict
	default:
		s = g.text
	}
	return fitString(sc, s)
}

// fitString pads or cuts s to the schema's length bounds.
func fitString(sc map[string]any, s string) string {
	if hi, ok := intKeyword(sc, "maxLength"); ok && utf8.RuneCountInString(s) > hi {
		s = string([]rune(s)[:hi])
	}
	if lo, ok := intKeyword(sc, "minLength"); ok {
		for utf8.RuneCountInString(s) < lo {
			s += "."
		}
	}
	return s
}

func (g schemaGen) number(sc map[string]any, name string, integer bool) float64 {
	n := strings.ToLower(name)
	v := 1.0
	switch {
	case strings.Contains(n, "confidence") || strings.Contains(n, "probability"):
		v = g.v.confidence
	case strings.Contains(n, "score") || strings.Contains(n, "risk"):
		v = map[string]float64{"malicious": 0.9, "suspicious": 0.5, "benign": 0.1}[g.v.verdict]
	}
	lo, hasLo := floatKeyword(sc, "minimum")
	hi, hasHi := floatKeyword(sc, "maximum")
	if x, ok := floatKeyword(sc, "exclusiveMinimum"); ok {
		lo, hasLo = x+step(integer, x), true
	}
	if x, ok := floatKeyword(sc, "exclusiveMaximum"); ok {
		hi, hasHi = x-step(integer, x), true
	}
	// A 0–100 scale gets the same value as a percentage.
	if hasHi && hi >= 100 && v <= 1 && (strings.Contains(n, "confidence") || strings.Contains(n, "score")) {
		v *= 100
	}
	if integer {
		v = math.Round(v)
		lo, hi = math.Ceil(lo), math.Floor(hi)
	}
	if hasLo && v < lo {
		v = lo
	}
	if hasHi && v > hi {
		v = hi
	}
	return v
}

func step(integer bool, x float64) float64 {
	if integer {
		return 1
	}
	return math.Max(math.Abs(x)*1e-6, 1e-6)
}

func suggestsMalice(name string) bool {
	n := strings.ToLower(name)
	for _, w := range []string{"malicious", "phish", "suspicious", "spoof", "spam", "flag", "block"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// floatKeyword reads a numeric keyword: float64 from a decoded request,
// or a Go number when a test builds the schema in code.
func floatKeyword(sc map[string]any, key string) (float64, bool) {
	switch v := sc[key].(type) {
	case float64:
		return v, true
	case int:
		return float64(v), true
	case int64:
		return float64(v), true
	case json.Number:
		f, err := v.Float64()
		return f, err == nil
	}
	return 0, false
}

func intKeyword(sc map[string]any, key string) (int, bool) {
	f, ok := floatKeyword(sc, key)
	return int(f), ok
}
