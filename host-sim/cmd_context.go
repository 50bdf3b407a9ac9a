package main

import (
	"context"
	"fmt"

	"github.com/soarkit/openai-gpt/internal/host/state"
)

func (a *app) context(g *globals, args []string) int {
	fs := g.flagSet("context", a.stderr)
	asJSON := fs.Bool("json", false, "print the context as JSON only")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return exitRefused
	}
	if len(rest) > 0 {
		return a.fail(exitRefused, "context takes no arguments")
	}
	s, code := a.openStore(g)
	if s == nil {
		return code
	}
	defer s.close()
	return a.printContext(context.Background(), s.store, *asJSON)
}

// printContext shows the incident context.
func (a *app) printContext(ctx context.Context, st *state.Store, asJSON bool) int {
	doc, err := st.Context(ctx, state.ScopeIncident)
	if err != nil {
		return a.fail(exitRefused, "%v", err)
	}
	if asJSON {
		if err := writeJSON(a.stdout, doc); err != nil {
			return a.fail(exitRefused, "%v", err)
		}
		return exitOK
	}
	if len(doc) == 0 {
		fmt.Fprintln(a.stdout, "(the incident context is empty)")
		return exitOK
	}
	// The context is a tree of arbitrary depth; indented JSON shows it
	// faithfully, which a table would not.
	if err := writeJSON(a.stdout, doc); err != nil {
		return a.fail(exitRefused, "%v", err)
	}
	return exitOK
}
