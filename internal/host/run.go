package host

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/soarkit/openai-gpt/internal/host/cmdline"
	"github.com/soarkit/openai-gpt/internal/host/ctxmerge"
	"github.com/soarkit/openai-gpt/internal/host/state"
	"github.com/soarkit/openai-gpt/internal/protocol"
)

// TestModule is the war-room name of test-module; Run sends it to Test.
const TestModule = "test-module"

// Outcome is what one war-room line produced.
type Outcome struct {
	Line     string           // the line as typed
	Command  string           // the command's name
	Args     map[string]any   // the arguments as sent, after coercion
	Entries  []protocol.Entry // the command's entries, as stored
	EntryIDs []string         // their war-room entry ids
	Context  map[string]any   // what this command wrote to the incident context
}

// Failed reports whether the command returned an error entry.
func (o Outcome) Failed() bool { return protocol.Result{Entries: o.Entries}.Failed() }

// Run runs one war-room line. An error means the host refused the call
// (syntax, unknown command, bad arguments, an invalid result) or could not
// run the plugin; nothing is then stored. A command that failed in its own
// terms returns an Outcome with an error entry, stored like any other.
func (h *Host) Run(ctx context.Context, line string) (Outcome, error) {
	parsed, err := cmdline.ParseCommandLine(line)
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{Line: strings.TrimSpace(line), Command: parsed.Name, Context: map[string]any{}}
	if parsed.Name == TestModule {
		return h.runTestModule(ctx, out, parsed)
	}
	cmd, ok := h.manifest.Command(parsed.Name)
	if !ok {
		return Outcome{}, h.unknownCommand(parsed.Name)
	}
	if err := h.resolveLast(ctx, cmd, parsed.Args); err != nil {
		return Outcome{}, err
	}
	args, err := cmd.Coerce(parsed.Args)
	if err != nil {
		return Outcome{}, err
	}
	if err := cmd.ValidateArgs(args); err != nil {
		return Outcome{}, fmt.Errorf("%s: %w", cmd.Name, err)
	}
	out.Args = args
	params, err := h.Params(ctx)
	if err != nil {
		return Outcome{}, err
	}

	// The result is checked against schemas compiled on first use: compile
	// them while the plugin works, not after it answers.
	go cmd.PrepareResult()
	cctx, cancel := h.callContext(ctx)
	defer cancel()
	id := h.callID(cmd.Name)
	h.live.open(id) // openai-get-events may push the events it reads
	defer h.live.close(id)
	res, err := h.plugin.Execute(cctx, id, protocol.ExecuteRequest{Command: cmd.Name, Args: args, Params: params})
	if te := h.timedOut(cmd.Name, ctx, cctx, err); te != nil {
		// As a platform does: the command failed, and the war room says so.
		return h.record(ctx, out, protocol.ErrorResult(te.Error()))
	}
	if err != nil {
		return Outcome{}, fmt.Errorf("%s: the plugin call failed: %w", cmd.Name, err)
	}
	// Again on this side: the plugin may be another build, or buggy.
	if err := cmd.ValidateResult(res); err != nil {
		return Outcome{}, fmt.Errorf("%s: the plugin returned an invalid result, rejected: %w", cmd.Name, err)
	}
	return h.record(ctx, out, res)
}

// record merges the outputs into the incident context and stores the
// entries in the war room.
func (h *Host) record(ctx context.Context, out Outcome, res protocol.Result) (Outcome, error) {
	if err := ctxmerge.Apply(out.Context, res.Outputs); err != nil {
		return Outcome{}, fmt.Errorf("%s: %w", out.Command, err)
	}
	if len(res.Outputs) > 0 {
		err := h.cfg.Store.UpdateContext(ctx, state.ScopeIncident, func(doc map[string]any) error {
			return ctxmerge.Apply(doc, res.Outputs)
		})
		if err != nil {
			return Outcome{}, fmt.Errorf("%s: %w", out.Command, err)
		}
	}
	ids, err := h.cfg.Store.AppendEntries(ctx, out.Line, res.Entries)
	if err != nil {
		return Outcome{}, err
	}
	out.Entries, out.EntryIDs = res.Entries, ids
	return out, nil
}

func (h *Host) runTestModule(ctx context.Context, out Outcome, parsed cmdline.Command) (Outcome, error) {
	if len(parsed.Args) > 0 {
		return Outcome{}, fmt.Errorf("%s takes no arguments", TestModule)
	}
	tr, err := h.Test(ctx)
	if err != nil {
		return Outcome{}, err
	}
	res := protocol.Result{Entries: []protocol.Entry{{Type: protocol.EntryNote, ContentsFormat: protocol.FormatText, Contents: "ok"}}}
	if !tr.OK {
		res = protocol.ErrorResult(tr.Error)
	}
	return h.record(ctx, out, res)
}

// unknownCommand names the closest commands, so a typo is easy to fix.
func (h *Host) unknownCommand(name string) error {
	names := []string{TestModule}
	for _, c := range h.manifest.Commands {
		names = append(names, c.Name)
	}
	sort.Strings(names)
	var near []string
	for _, n := range names {
		if strings.Contains(n, name) || strings.Contains(name, n) || distance(n, name) <= 3 {
			near = append(near, n)
		}
	}
	msg := fmt.Sprintf("unknown command %q", name)
	if len(near) > 0 {
		msg += fmt.Sprintf("; did you mean %s?", strings.Join(near, " or "))
	}
	return fmt.Errorf("%s; commands: %s", msg, strings.Join(names, ", "))
}

// distance is the Levenshtein distance between a and b, in bytes.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
