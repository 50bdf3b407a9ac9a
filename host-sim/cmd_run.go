package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/soarkit/openai-gpt/internal/host"
	"github.com/soarkit/openai-gpt/internal/host/cmdline"
	"github.com/soarkit/openai-gpt/internal/host/render"
	"github.com/soarkit/openai-gpt/internal/protocol"
	"github.com/soarkit/openai-gpt/manifest"
)

func (a *app) runLine(g *globals, args []string) int {
	fs := g.flagSet("run", a.stderr)
	asJSON := fs.Bool("json", false, `print {"entries":[...],"context":{...}} instead of rendered markdown`)
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return exitRefused
	}
	if len(rest) == 0 {
		return a.fail(exitRefused, `run: give a war-room line, e.g. host-sim run '!gpt-send-message message="hi"'`)
	}
	// A line split by the shell (run !cmd a=b) is joined back.
	line := strings.Join(rest, " ")
	ctx := context.Background()
	go prepareCommand(line)
	s, code := a.openHost(ctx, g, nil)
	if s == nil {
		return code
	}
	defer s.close()
	return a.execute(ctx, s.host, line, *asJSON, a.stdout)
}

// prepareCommand gets ready, while the plugin starts, for the manifest this
// host-sim was built with and the schemas of line's command: the plugin
// most often declares that manifest, and then manifest.Load hands it over
// with the schemas compiled. It is only ahead of time: the line is parsed
// and checked as usual later, against what the plugin declares.
func prepareCommand(line string) {
	defer func() { _ = recover() }() // a goroutine's panic would end host-sim
	manifest.Prepare()
	if parsed, err := cmdline.ParseCommandLine(line); err == nil {
		if c, ok := manifest.Default().Command(parsed.Name); ok {
			c.Prepare()
		}
	}
}

// execute runs one line and prints its outcome, returning the exit status
// `run` documents.
func (a *app) execute(ctx context.Context, h *host.Host, line string, asJSON bool, w io.Writer) int {
	out, err := h.Run(ctx, line)
	if err != nil {
		return a.fail(exitRefused, "%v", err)
	}
	if asJSON {
		if err := writeJSON(w, runJSON{Entries: out.Entries, Context: out.Context}); err != nil {
			return a.fail(exitRefused, "%v", err)
		}
	} else {
		render.Entries(w, out.Entries, out.EntryIDs, a.renderOptions())
	}
	if out.Failed() {
		return exitFailed
	}
	return exitOK
}

// runJSON is `run --json`'s document.
type runJSON struct {
	Entries []protocol.Entry `json:"entries"`
	Context map[string]any   `json:"context"`
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode the output: %w", err)
	}
	return nil
}
