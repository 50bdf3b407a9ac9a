package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
)

// maxLineBytes bounds one REPL line (long pasted messages fit).
const maxLineBytes = 4 << 20

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
	prog := newProgress(a.stderr)
	s, code := a.openHost(ctx, g, prog.observe)
	if s == nil {
		return code
	}
	defer s.close()
	in := newInterpreter(a, s)
	in.prog = prog
	m := s.host.Manifest()
	src, err := a.lineSource(m, in.historyFile())
	if err != nil {
		return a.fail(exitRefused, "%v", err)
	}
	defer src.close()
	fmt.Fprintf(a.stdout, "war room (state in %s, plugin %s); type help for commands, Tab to complete, exit to leave\n", g.state, a.pluginPath(g))
	for {
		line, err := src.next()
		var tooLong *lineTooLongError
		switch {
		case errors.As(err, &tooLong):
			a.fail(exitRefused, "%v", err)
			continue
		case errors.Is(err, errInterrupted):
			continue
		case err != nil: // io.EOF: Ctrl-D or the end of the input
			return exitOK
		}
		if t := strings.TrimSpace(line); t != "" && t != "history" {
			if secretLine(m, t) {
				fmt.Fprintln(a.stderr, "host-sim: note: this line is not kept in the history: it holds a secret")
			} else {
				src.keep(t)
			}
		}
		if _, quit := in.interruptible(ctx, line); quit {
			return exitOK
		}
	}
}

// interruptible runs one line; Ctrl-C ends that line's work (a fetch
// schedule, a slow call) and the REPL goes on. Between lines the line
// editor reads Ctrl-C as a key.
func (in *interpreter) interruptible(ctx context.Context, line string) (int, bool) {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	return in.do(ctx, line)
}
