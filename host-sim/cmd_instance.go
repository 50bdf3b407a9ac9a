package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/soarkit/openai-gpt/internal/host"
	"github.com/soarkit/openai-gpt/internal/host/render"
	"github.com/soarkit/openai-gpt/internal/redact"
	"github.com/soarkit/openai-gpt/manifest"
)

// mask replaces a secret's value; nothing of it is shown, not even its
// length.
const mask = "••••••••"

func (a *app) instance(g *globals, args []string) int {
	fs := g.flagSet("instance", a.stderr)
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return exitRefused
	}
	if len(rest) == 0 {
		return a.fail(exitRefused, "instance: say set KEY=VALUE... or show")
	}
	switch rest[0] {
	case "set":
		return a.instanceSet(g, rest[1:])
	case "show":
		if len(rest) > 1 {
			return a.fail(exitRefused, "instance show takes no arguments")
		}
		return a.instanceShow(g)
	}
	return a.fail(exitRefused, "instance: unknown action %q; use set or show", rest[0])
}

// manifestFor asks the plugin for its manifest; when the plugin cannot
// start, the manifest built into host-sim (the same integration.yml)
// stands in, so the instance can be set up before the plugin is built.
func (a *app) manifestFor(g *globals, s *session) *manifest.Manifest {
	if err := a.startHost(context.Background(), g, s, nil); err != nil {
		fmt.Fprintf(a.stderr, "host-sim: note: using the built-in manifest (the plugin did not start: %v)\n", err)
		return manifest.Default()
	}
	return s.host.Manifest()
}

func (a *app) instanceSet(g *globals, pairs []string) int {
	if len(pairs) == 0 {
		return a.fail(exitRefused, "instance set: give KEY=VALUE pairs, e.g. instance set url=https://api.openai.com/ apikey=sk-...")
	}
	s, code := a.openStore(g)
	if s == nil {
		return code
	}
	defer s.close()
	return a.setParams(s, a.manifestFor(g, s), pairs)
}

// setParams checks and stores KEY=VALUE pairs against m, and prints them
// with secrets masked (`instance set`, in the shell and in the REPL).
func (a *app) setParams(s *session, m *manifest.Manifest, pairs []string) int {
	set := map[string]string{}
	for _, p := range pairs {
		k, v, ok := strings.Cut(p, "=")
		if !ok || k == "" {
			return a.fail(exitRefused, "instance set: %q is not KEY=VALUE (an empty VALUE unsets the parameter)", p)
		}
		if err := host.CheckParam(m, k, v); err != nil {
			return a.fail(exitRefused, "instance set: %v", err)
		}
		if w := host.ParamWarning(m, k, v); w != "" {
			fmt.Fprintf(a.stderr, "instance set: warning: %s\n", w)
		}
		set[k] = v
	}
	if err := s.store.SetParams(context.Background(), set); err != nil {
		return a.fail(exitRefused, "%v", err)
	}
	for _, p := range pairs {
		k, v, _ := strings.Cut(p, "=")
		if prm, _ := m.Param(k); prm.Secret() && v != "" {
			v = mask
		}
		v = maskURLPassword(v)
		if v == "" {
			fmt.Fprintf(a.stdout, "%s unset\n", k)
			continue
		}
		fmt.Fprintf(a.stdout, "%s = %s\n", k, v)
	}
	return exitOK
}

func (a *app) instanceShow(g *globals) int {
	s, code := a.openStore(g)
	if s == nil {
		return code
	}
	defer s.close()
	return a.showParams(s, a.manifestFor(g, s))
}

// showParams prints the effective parameters as a table, secrets masked
// (`instance show`, in the shell and in the REPL).
func (a *app) showParams(s *session, m *manifest.Manifest) int {
	stored, err := s.store.Params(context.Background())
	if err != nil {
		return a.fail(exitRefused, "%v", err)
	}
	var b strings.Builder
	b.WriteString("| parameter | value | from |\n| --- | --- | --- |\n")
	for _, r := range host.ResolveParams(m, stored, a.secretEnv) {
		v := maskURLPassword(r.Value)
		if r.Param.Secret() {
			v = mask
		}
		from := string(r.Source)
		if r.EnvVar != "" {
			from = "$" + r.EnvVar
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", r.Param.Name, strings.ReplaceAll(v, "|", `\|`), from)
	}
	for k := range stored {
		if _, ok := m.Param(k); !ok {
			fmt.Fprintf(&b, "| %s | (ignored: not a parameter of this integration) | instance |\n", k)
		}
	}
	var out strings.Builder
	render.Markdown(&out, b.String(), a.renderOptions())
	fmt.Fprint(a.stdout, out.String())
	return exitOK
}

// maskURLPassword hides the password of a URL value written as
// https://user:password@host, even one that does not parse; any other
// value is returned as it is.
func maskURLPassword(v string) string { return redact.URLPassword(v, mask) }
