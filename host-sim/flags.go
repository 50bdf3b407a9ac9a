package main

import (
	"flag"
	"io"
	"time"
)

// globals are the flags every verb accepts, before or after the verb.
type globals struct {
	state   string
	plugin  string
	timeout time.Duration
	verbose bool
}

func newGlobals(getenv func(string) string) *globals {
	g := &globals{state: ".host-sim", timeout: 2 * time.Minute}
	if dir := getenv("HOST_SIM_STATE"); dir != "" {
		g.state = dir
	}
	return g
}

// flagSet returns a flag set holding the global flags; verbs add theirs.
// Defaults are the current values, so flags given before the verb are the
// defaults of the verb's own set.
func (g *globals) flagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&g.state, "state", g.state, "state directory (or $HOST_SIM_STATE)")
	fs.StringVar(&g.plugin, "plugin", g.plugin, "plugin binary (default: openai-gpt next to host-sim)")
	fs.DurationVar(&g.timeout, "timeout", g.timeout, "deadline of each plugin call")
	fs.BoolVar(&g.verbose, "v", g.verbose, "show the plugin's logs on stderr")
	return fs
}

// parseInterspersed parses flags wherever they appear among the
// positional arguments (`events DATASET --limit 5`), which the flag
// package alone does not. "--" ends the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if len(args) > 0 && len(rest) < len(args) && args[len(args)-len(rest)-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}
