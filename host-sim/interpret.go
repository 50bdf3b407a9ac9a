package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
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
	prog *progress         // counts fetched events when it observes the host's pushes
}

func newInterpreter(a *app, s *session) *interpreter {
	return &interpreter{a: a, s: s, vars: map[string]string{}, prog: newProgress(a.stderr)}
}

const replHelp = `  !COMMAND arg="value" ...   run a war-room command (!! repeats the last one)
  test                       run test-module
  fetch [--every[=D] | --drain] [--stats]
                             run one fetch-events cycle; --every alone runs on the
                             instance's eventFetchInterval until Ctrl-C
  events DATASET [N]         show the last N events of a dataset
  context [--json]           show the incident context
  instance set K=V... | show set or show the instance parameters (secrets masked)
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
		fs := flag.NewFlagSet("fetch", flag.ContinueOnError)
		fs.SetOutput(a.stderr)
		o := a.fetchFlags(fs, fields[1:])
		if o == nil {
			return exitRefused, false
		}
		return a.fetchLoop(ctx, in.s.host, in.prog, o), false
	case "context":
		switch {
		case len(fields) == 1:
			return a.printContext(ctx, in.s.store, false), false
		case len(fields) == 2 && fields[1] == "--json":
			return a.printContext(ctx, in.s.store, true), false
		}
		return a.fail(exitRefused, "usage: context [--json]"), false
	case "instance":
		if rest, ok := instanceSetPairs(line); ok && rest != "" {
			return in.setParams(rest), false
		}
		if len(fields) == 2 && fields[1] == "show" {
			return a.showParams(in.s, in.s.host.Manifest()), false
		}
		return a.fail(exitRefused, "usage: instance set KEY=VALUE... | instance show"), false
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
	return a.fail(exitRefused, "%q is neither a war-room command (start it with !) nor one of: %s", fields[0], strings.Join(replVerbs, ", ")), false
}

// setParams runs `instance set` on pairs as typed in the REPL, where
// values may be quoted.
func (in *interpreter) setParams(pairs string) int {
	kv, err := parseInstancePairs(pairs)
	if err != nil {
		return in.a.fail(exitRefused, "instance set: %v", err)
	}
	list := make([]string, 0, len(kv))
	for _, k := range slices.Sorted(maps.Keys(kv)) {
		list = append(list, k+"="+kv[k])
	}
	return in.a.setParams(in.s, in.s.host.Manifest(), list)
}

// expand replaces {{name}} with the interpreter's variables.
func (in *interpreter) expand(line string) string {
	for k, v := range in.vars {
		line = strings.ReplaceAll(line, "{{"+k+"}}", v)
	}
	return line
}

func (in *interpreter) addFile(ctx context.Context, path string) int {
	data, err := readFileEntry(path)
	if err != nil {
		return in.a.fail(exitRefused, "file add: %v", err)
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

// historyTail bounds what `history` reads: the end of the file.
const historyTail = 1 << 20

// history shows the last 50 lines of the history file, each cut short.
func (in *interpreter) history() int {
	f, err := os.Open(in.historyFile())
	if err != nil {
		fmt.Fprintln(in.a.stdout, "(no history yet)")
		return exitOK
	}
	defer f.Close()
	cut := false
	if info, err := f.Stat(); err == nil && info.Size() > historyTail {
		_, err = f.Seek(info.Size()-historyTail, io.SeekStart)
		cut = err == nil
	}
	data, err := io.ReadAll(io.LimitReader(f, historyTail))
	if err != nil {
		return in.a.fail(exitRefused, "history: %v", err)
	}
	text := strings.TrimRight(string(data), "\n")
	if _, after, ok := strings.Cut(text, "\n"); cut && ok {
		text = after // the first line read is the end of a longer one
	}
	if text == "" {
		fmt.Fprintln(in.a.stdout, "(no history yet)")
		return exitOK
	}
	lines := strings.Split(text, "\n")
	for _, l := range lines[max(0, len(lines)-50):] {
		fmt.Fprintf(in.a.stdout, "  %s\n", shorten(l, 200))
	}
	return exitOK
}
