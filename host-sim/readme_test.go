package main

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/google/shlex"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
)

// readmeExceptions are the README lines that cannot run as written in a
// test, by the words that start them (after bin/host-sim), with why and
// what runs instead.
var readmeExceptions = map[string]string{
	// Serves until Ctrl-C: the test serves the same flags on a free port
	// and puts that address in place of the README's in later lines.
	"fake-openai": "started by the test",
	// Runs until interrupted; --once and --drain run the same cycle.
	"fetch --every": "skipped",
	// Interactive: given a bounded input.
	"repl": "stdin: help, exit",
}

// readmeInput is the standard input a README line gets.
var readmeInput = map[string]string{"repl": "help\nexit\n"}

// TestREADMEExamples runs every bin/host-sim line of the README's shell
// blocks, in order, in a fresh state and a fresh working directory, and
// requires each to exit 0: the README cannot drift from the binary.
func TestREADMEExamples(t *testing.T) {
	lines := readmeLines(t, "../README.md")
	require.NotEmpty(t, lines, "no bin/host-sim lines found in the README's sh blocks")
	t.Chdir(t.TempDir()) // relative paths in the README (suspicious.eml) land here
	c := newCLI(t)
	var fakeAddr, realAddr string
	for _, line := range lines {
		args, err := shlex.Split(line)
		require.NoError(t, err, line)
		args = args[1:] // bin/host-sim
		if fakeAddr != "" {
			for i := range args {
				args[i] = strings.ReplaceAll(args[i], fakeAddr, realAddr)
			}
		}
		joined := strings.Join(args, " ")
		switch {
		case strings.HasPrefix(joined, "fake-openai"):
			f, code := newApp(nil, os.Stdout, os.Stderr).fakeFlags(newGlobals(c.getenv), args[1:])
			require.Equal(t, exitOK, code, "the README's fake-openai flags: %s", line)
			srv := fakeopenai.New(f.cfg)
			url, err := srv.Start("127.0.0.1:0")
			require.NoError(t, err)
			t.Cleanup(srv.Close)
			fakeAddr, realAddr = f.addr, strings.TrimPrefix(url, "http://")
			continue
		case strings.HasPrefix(joined, "fetch --every"):
			continue
		}
		t.Run(joined, func(t *testing.T) {
			code, out, errOut := c.run(readmeInput[joined], args...)
			require.Equal(t, exitOK, code, "README line %q\nstdout:\n%s\nstderr:\n%s", line, out, errOut)
		})
	}
	require.NotEmpty(t, realAddr, "the README starts no fake-openai: the lines after it would reach nothing")
}

// readmeLines returns the lines of the README's ```sh blocks that run
// bin/host-sim, and fails on one that names an exception that no longer
// exists, so the exception list stays honest.
func readmeLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var lines []string
	inSh := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(l, "```sh"):
			inSh = true
		case strings.HasPrefix(l, "```"):
			inSh = false
		case inSh && strings.HasPrefix(l, "bin/host-sim "):
			lines = append(lines, l)
		}
	}
	require.NoError(t, sc.Err())
	for prefix := range readmeExceptions {
		found := false
		for _, l := range lines {
			found = found || strings.HasPrefix(strings.TrimPrefix(l, "bin/host-sim "), prefix)
		}
		require.True(t, found, "readmeExceptions names %q, which the README no longer has", prefix)
	}
	return lines
}

func (c *cli) getenv(k string) string { return c.env[k] }
