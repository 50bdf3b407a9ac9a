package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/mattn/go-isatty"
)

func (a *app) repl(g *globals, args []string) int {
	fs := g.flagSet("repl", a.stderr)
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return exitRefused
	}
	if len(rest) > 0 {
		return a.fail(exitRefused, "repl takes no arguments")
	}
	ctx := context.Background()
	s, code := a.openHost(ctx, g, nil)
	if s == nil {
		return code
	}
	defer s.close()
	in := newInterpreter(a, s)
	fmt.Fprintf(a.stdout, "war room (state in %s, plugin %s); type help for commands, exit to leave\n", g.state, a.pluginPath(g))
	// The prompt is for people: piped input gets none, so scripted
	// sessions stay clean.
	prompt := ""
	if f, ok := a.stdin.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		prompt = "> "
	}
	sc := bufio.NewScanner(a.stdin)
	sc.Buffer(make([]byte, 64<<10), 4<<20) // long pasted messages
	for {
		fmt.Fprint(a.stdout, prompt)
		if !sc.Scan() {
			if prompt != "" {
				fmt.Fprintln(a.stdout)
			}
			return exitOK
		}
		line := sc.Text()
		if strings.TrimSpace(line) != "" && strings.TrimSpace(line) != "history" {
			in.remember(line)
		}
		if _, quit := in.do(ctx, line); quit {
			return exitOK
		}
	}
}
