package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// interpreter runs the lines of the REPL and the demo: war-room commands
// (!name ...) and a few host verbs, against one running plugin.
type interpreter struct {
	a    *app
	s    *session
	vars map[string]string // {{name}} substitutions; file add sets {{file}}
	last string            // the last war-room line, for !!
}

func newInterpreter(a *app, s *session) *interpreter {
	return &interpreter{a: a, s: s, vars: map[string]string{}}
}

const replHelp = `  !COMMAND arg="value" ...   run a war-room command (!! repeats the last one)
  test                       run test-module
  fetch                      run one fetch-events cycle
  events DATASET [N]         show the last N events of a dataset
  context                    show the incident context
  file add PATH              add a file entry; {{file}} then stands for its id
  history                    show the lines typed so far
  help                       this text
  exit                       leave
`

// do runs one line and returns its exit status, and whether to stop.
func (in *interpreter) do(ctx context.Context, line string) (int, bool) {
	a := in.a
	line = strings.TrimSpace(in.expand(line))
	switch {
	case line == "" || strings.HasPrefix(line, "#"):
		return exitOK, false
	case line == "!!":
		if in.last == "" {
			return a.fail(exitRefused, "no war-room command yet"), false
		}
		line = in.last
		fmt.Fprintln(a.stdout, line)
		fallthrough
	case strings.HasPrefix(line, "!"):
		in.last = line
		return a.execute(ctx, in.s.host, line, false, a.stdout), false
	}
	fields := strings.Fields(line)
	switch fields[0] {
	case "exit", "quit":
		return exitOK, true
	case "help":
		fmt.Fprint(a.stdout, replHelp)
		return exitOK, false
	case "test":
		return a.runTest(ctx, in.s.host), false
	case "fetch":
		_, code := a.fetchCycle(ctx, in.s.host, newProgress(a.stderr))
		return code, false
	case "context":
		return a.printContext(ctx, in.s.store, false), false
	case "events":
		if len(fields) < 2 || len(fields) > 3 {
			return a.fail(exitRefused, "usage: events DATASET [N]"), false
		}
		limit := 20
		if len(fields) == 3 {
			n, err := strconv.Atoi(fields[2])
			if err != nil || n < 0 {
				return a.fail(exitRefused, "events: %q is not a count", fields[2]), false
			}
			limit = n
		}
		return a.showEvents(ctx, in.s.store, fields[1], limit, false), false
	case "file":
		if len(fields) != 3 || fields[1] != "add" {
			return a.fail(exitRefused, "usage: file add PATH"), false
		}
		return in.addFile(ctx, fields[2]), false
	case "history":
		return in.history(), false
	}
	return a.fail(exitRefused, "%q is neither a war-room command (start it with !) nor one of: test, fetch, events, context, file add, history, help, exit", fields[0]), false
}

// expand replaces {{name}} with the interpreter's variables.
func (in *interpreter) expand(line string) string {
	for k, v := range in.vars {
		line = strings.ReplaceAll(line, "{{"+k+"}}", v)
	}
	return line
}

func (in *interpreter) addFile(ctx context.Context, path string) int {
	data, err := os.ReadFile(path)
	if err != nil {
		return in.a.fail(exitRefused, "file add: %v", err)
	}
	if len(data) > maxFileEntry {
		return in.a.fail(exitRefused, "file add: %s is over %d MB", path, maxFileEntry>>20)
	}
	id, err := in.s.store.AddFile(ctx, filepath.Base(path), data)
	if err != nil {
		return in.a.fail(exitRefused, "%v", err)
	}
	in.vars["file"] = id
	fmt.Fprintln(in.a.stdout, id)
	return exitOK
}

// historyFile keeps REPL lines across sessions, in the state directory.
func (in *interpreter) historyFile() string { return filepath.Join(in.s.store.Dir(), "history") }

func (in *interpreter) remember(line string) {
	f, err := os.OpenFile(in.historyFile(), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return // history is a convenience; never fail a command over it
	}
	defer f.Close()
	fmt.Fprintln(f, strings.ReplaceAll(line, "\n", " "))
}

func (in *interpreter) history() int {
	data, err := os.ReadFile(in.historyFile())
	if err != nil {
		fmt.Fprintln(in.a.stdout, "(no history yet)")
		return exitOK
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	from := max(0, len(lines)-50)
	for i, l := range lines[from:] {
		fmt.Fprintf(in.a.stdout, "%4d  %s\n", from+i+1, l)
	}
	return exitOK
}
