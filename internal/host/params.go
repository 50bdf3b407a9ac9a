package host

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/soarkit/openai-gpt/manifest"
	"github.com/soarkit/openai-gpt/schemas"
)

// SecretEnv finds a value in the environment for a secret parameter the
// instance leaves unset: the variable's name and its value, or "" and ""
// for none. The host itself knows no variable names: a platform or a
// simulator (host-sim) names them.
type SecretEnv func(param string) (envVar, value string)

// ParamSource says where a resolved parameter value came from.
type ParamSource string

// Parameter sources.
const (
	FromInstance ParamSource = "instance"
	FromEnv      ParamSource = "env"
	FromDefault  ParamSource = "default"
)

// ResolvedParam is one parameter's effective value.
type ResolvedParam struct {
	Param  *manifest.Param
	Value  string
	Source ParamSource
	EnvVar string // set when Source is FromEnv
}

// ResolveParams returns every parameter that has a value: set in the
// instance, else (for secrets, when env is set) from the environment, else
// the manifest's default. Stored names the manifest does not declare are
// left out.
func ResolveParams(m *manifest.Manifest, stored map[string]string, env SecretEnv) []ResolvedParam {
	var out []ResolvedParam
	for i := range m.Params {
		p := &m.Params[i]
		if v, ok := stored[p.Name]; ok && v != "" {
			out = append(out, ResolvedParam{Param: p, Value: v, Source: FromInstance})
			continue
		}
		if env != nil && p.Type == manifest.ParamEncrypted {
			if ev, v := env(p.Name); ev != "" && v != "" {
				out = append(out, ResolvedParam{Param: p, Value: v, Source: FromEnv, EnvVar: ev})
				continue
			}
		}
		if p.DefaultValue != "" {
			out = append(out, ResolvedParam{Param: p, Value: p.DefaultValue, Source: FromDefault})
		}
	}
	return out
}

// typed converts a parameter as typed into what a platform sends: a
// checkbox becomes a boolean, a multi select a list of strings; anything
// else stays text, for the plugin to parse and complain about by name.
func typed(p *manifest.Param, v string) any {
	switch p.Type {
	case manifest.ParamBoolean:
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true", "yes", "1", "on":
			return true
		case "false", "no", "0", "off":
			return false
		}
	case manifest.ParamMultiSelect:
		var list []any
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				list = append(list, s)
			}
		}
		return list
	}
	return v
}

// Params returns the instance parameters as sent to the plugin.
func (h *Host) Params(ctx context.Context) (map[string]any, error) {
	stored, err := h.cfg.Store.Params(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	for _, r := range ResolveParams(h.manifest, stored, h.cfg.SecretEnv) {
		out[r.Param.Name] = typed(r.Param, r.Value)
	}
	if err := schemas.ValidateParams(out); err != nil {
		return nil, fmt.Errorf("instance parameters: %w", err)
	}
	return out, nil
}

// CheckParam checks a parameter as `instance set` receives it: the name
// must be declared, a checkbox true or false, a multi select's values
// among its options. A single select outside its options is accepted (a
// value stored by another version of the integration, such as a model the
// list no longer offers, keeps working): ParamWarning says so. An empty
// value (unset) is always accepted.
func CheckParam(m *manifest.Manifest, name, value string) error {
	p, ok := m.Param(name)
	if !ok {
		names := make([]string, len(m.Params))
		for i := range m.Params {
			names[i] = m.Params[i].Name
		}
		sort.Strings(names)
		return fmt.Errorf("unknown instance parameter %q; valid parameters: %s", name, strings.Join(names, ", "))
	}
	if value == "" {
		return nil
	}
	switch p.Type {
	case manifest.ParamBoolean:
		if _, ok := typed(p, value).(bool); !ok {
			return fmt.Errorf("parameter %s: %q is not a boolean; use true or false", name, value)
		}
	case manifest.ParamMultiSelect:
		for _, v := range typed(p, value).([]any) {
			if len(p.Options) > 0 && !slices.Contains(p.Options, v.(string)) {
				return fmt.Errorf("parameter %s: %q is not one of: %s (give several separated by commas)", name, v, strings.Join(p.Options, ", "))
			}
		}
	}
	return nil
}

// ParamWarning is what the user should know about a parameter value that
// is accepted but unusual: a single select outside its options. "" when
// there is nothing to say.
func ParamWarning(m *manifest.Manifest, name, value string) string {
	p, ok := m.Param(name)
	if !ok || value == "" || p.Type != manifest.ParamSingleSelect || len(p.Options) == 0 || slices.Contains(p.Options, value) {
		return ""
	}
	return fmt.Sprintf("parameter %s: %q is not one of: %s; it is used as given", name, value, strings.Join(p.Options, ", "))
}
