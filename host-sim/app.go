package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/soarkit/openai-gpt/internal/host"
)

// Exit statuses.
const (
	exitOK      = 0 // success
	exitFailed  = 1 // the command ran and failed (an error entry, a failed test)
	exitRefused = 2 // the host refused the call, or could not run the plugin
)

// app is one invocation of host-sim. Everything it touches from the
// outside world is a field, so tests run it in-process.
type app struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// intercept wraps the plugin (tests count calls with it).
	intercept func(host.Plugin) host.Plugin
	// color and width shape the rendering of war-room entries.
	color bool
	width int
	// sleep waits d between scheduled fetch cycles and reports whether
	// the schedule goes on (false once ctx ends). Tests record d and stop.
	sleep func(ctx context.Context, d time.Duration) bool
	// fakeTerminal makes the REPL treat stdin and stdout as a terminal
	// (line editing, completion) without touching a real one; for tests.
	fakeTerminal bool
}

// run is host-sim's main, callable from tests.
func run(args []string, stdout, stderr io.Writer) int {
	return newApp(os.Stdin, stdout, stderr).main(args)
}

func newApp(stdin io.Reader, stdout, stderr io.Writer) *app {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv, sleep: sleep}
	a.color, a.width = terminal(stdout, os.Getenv)
	return a
}

// sleep waits d unless ctx ends first.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// verb is one host-sim subcommand.
type verb struct {
	name, usage, help string
	run               func(a *app, g *globals, args []string) int
}

func verbs() []verb {
	return []verb{
		{"instance", "instance set KEY=VALUE... | instance show", "set or show the instance parameters (secrets masked)", (*app).instance},
		{"file", "file add PATH", "store a file entry and print its entry id", (*app).file},
		{"run", "run [--json] '!COMMAND arg=\"value\" ...'", "run one war-room command", (*app).runLine},
		{"test", "test", "run test-module: prints ok or the error", (*app).test},
		{"context", "context [--json]", "show the incident context", (*app).context},
		{"fetch", "fetch [--once | --every[=DURATION] | --drain] [--stats]", "run fetch-events and print per-stream counts (--every alone: the instance's eventFetchInterval; --stats: events/s and peak memory)", (*app).fetch},
		{"events", "events DATASET [--limit N] [--json]", "show what landed in a dataset", (*app).events},
		{"fake-openai", "fake-openai [--addr HOST:PORT] [--api-key K] [--admin-key K] [--compliance-key K] [--workspace-id ID] [--audit-events N] [--compliance-events N] [--seed N] [--publish-delay D] [--compliance-rpm N] [--compliance-download redirect|direct] [--compatible-server] [--log-requests FILE] [--latency D] [--records-per-file N]", "serve the fake OpenAI and ChatGPT Compliance APIs", (*app).fakeOpenAI},
		{"repl", "repl", "an interactive war room", (*app).repl},
		{"demo", "demo [--write-email FILE]", "the offline tour: fake OpenAI in-process, a phishing triage, a fetch cycle (--write-email: only write its sample email)", (*app).demo},
	}
}

func (a *app) main(args []string) int {
	g := newGlobals(a.getenv)
	fs := g.flagSet("host-sim", a.stderr)
	fs.Usage = func() { a.usage(a.stderr) }
	if err := fs.Parse(args); err != nil {
		return exitRefused
	}
	rest := fs.Args()
	if len(rest) == 0 {
		a.usage(a.stderr)
		return exitRefused
	}
	name := rest[0]
	if name == "help" || name == "-h" || name == "--help" {
		a.usage(a.stdout)
		return exitOK
	}
	for _, v := range verbs() {
		if v.name == name {
			return v.run(a, g, rest[1:])
		}
	}
	fmt.Fprintf(a.stderr, "host-sim: unknown verb %q; run `host-sim help` for the list\n", name)
	return exitRefused
}

func (a *app) usage(w io.Writer) {
	var b strings.Builder
	b.WriteString("usage: host-sim [--state DIR] [--plugin PATH] [--timeout DURATION] [-v] VERB ...\n\nverbs:\n")
	for _, v := range verbs() {
		fmt.Fprintf(&b, "  %s\n      %s\n", v.usage, v.help)
	}
	var envs []string
	for _, p := range secretEnvVars() {
		envs = append(envs, p[1])
	}
	b.WriteString("\nstate lives in --state DIR (or $HOST_SIM_STATE, default .host-sim); secrets may come from\n" +
		strings.Join(envs[:len(envs)-1], ", ") + " and " + envs[len(envs)-1] + " when the instance does not set them.\n" +
		"run exits 0 on success, 1 when the command returned an error entry, 2 when the call was refused.\n")
	io.WriteString(w, b.String())
}

// fail prints an error for the user and returns status.
func (a *app) fail(status int, format string, args ...any) int {
	fmt.Fprintf(a.stderr, "host-sim: "+format+"\n", args...)
	return status
}
