package main

import (
	"context"
	"fmt"

	"github.com/soarkit/openai-gpt/internal/host"
)

func (a *app) test(g *globals, args []string) int {
	fs := g.flagSet("test", a.stderr)
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return exitRefused
	}
	if len(rest) > 0 {
		return a.fail(exitRefused, "test takes no arguments")
	}
	ctx := context.Background()
	s, code := a.openHost(ctx, g, nil)
	if s == nil {
		return code
	}
	defer s.close()
	return a.runTest(ctx, s.host)
}

// runTest runs test-module and prints ok (stdout) or the error (stderr).
func (a *app) runTest(ctx context.Context, h *host.Host) int {
	res, err := h.Test(ctx)
	if err != nil {
		return a.fail(exitRefused, "%v", err)
	}
	if !res.OK {
		fmt.Fprintln(a.stderr, res.Error)
		return exitFailed
	}
	fmt.Fprintln(a.stdout, "ok")
	return exitOK
}
