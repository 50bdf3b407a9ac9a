// Package commands is the plugin's side of the boundary: it resolves a
// call to its handler, checks what comes in and what goes out against the
// manifest, and keeps failures (bad input, API errors, panics) inside the
// war room as error entries.
package commands

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/hashicorp/go-hclog"

	"github.com/soarkit/openai-gpt/internal/protocol"
	"github.com/soarkit/openai-gpt/internal/redact"
	"github.com/soarkit/openai-gpt/internal/settings"
	"github.com/soarkit/openai-gpt/internal/warroom"
	"github.com/soarkit/openai-gpt/manifest"
)

// Handler runs one command. An error becomes an error entry; handlers
// return one for anything the user should read (wrapped with context).
type Handler func(ctx context.Context, c *Call) (protocol.Result, error)

// Plugin implements protocol.Integration.
type Plugin struct {
	log      hclog.Logger
	redactor *redact.Redactor
	handlers map[string]Handler
	// transports are the connection pools every call's clients share, so a
	// warm plugin reuses its connections.
	transports settings.Transports
}

// New returns the plugin with every command registered. Secrets seen in
// params are added to redactor, which also guards the log output.
func New(log hclog.Logger, redactor *redact.Redactor) *Plugin {
	if log == nil {
		log = hclog.NewNullLogger()
	}
	if redactor == nil {
		redactor = &redact.Redactor{}
	}
	return &Plugin{log: log, redactor: redactor, handlers: handlers()}
}

// Manifest returns the embedded integration.yml.
func (p *Plugin) Manifest(context.Context) ([]byte, error) { return manifest.YAML(), nil }

// Execute runs one command and always answers with a result: failures are
// error entries, so the host never sees the plugin fall over.
func (p *Plugin) Execute(ctx context.Context, host protocol.Host, req protocol.ExecuteRequest) (res protocol.Result, err error) {
	log := p.log.With("command", req.Command)
	defer p.guard(log, "handler", func(r any) {
		res, err = protocol.ErrorResult(fmt.Sprintf("internal error in %s: %v (the plugin is still running; please report this)", req.Command, r)), nil
	}, func() { res = p.redactResult(res) })

	cmd, ok := manifest.Default().Command(req.Command)
	handler, known := p.handlers[req.Command]
	if !ok || !known {
		return protocol.ErrorResult(fmt.Sprintf("unknown command %q", req.Command)), nil
	}
	// The result is checked against schemas compiled on first use: compile
	// them while the handler waits for the API, not after it answers.
	go cmd.PrepareResult()
	s, err := p.settings(req.Params)
	if err != nil {
		return protocol.ErrorResult(err.Error()), nil
	}
	if err := cmd.ValidateArgs(req.Args); err != nil {
		return protocol.ErrorResult(fmt.Sprintf("%s: %v", req.Command, err)), nil
	}
	call := &Call{Name: req.Command, Args: cmd.Canonical(req.Args), Settings: s, Host: host, Log: log, cmd: cmd}
	log.Debug("running")
	res, err = handler(ctx, call)
	if err != nil {
		log.Info("command failed", "error", p.redactor.String(describe(err)))
		return protocol.ErrorResult(describe(err)), nil
	}
	if err := cmd.ValidateResult(res); err != nil {
		log.Error("invalid result", "error", err)
		return protocol.ErrorResult(fmt.Sprintf("%s produced an invalid result (a bug in the plugin): %v", req.Command, err)), nil
	}
	if w := modelWarning(req.Params); w != "" && call.client != nil && len(res.Entries) > 0 {
		// The model answered: say so under its answer (the last entry).
		log.Warn(w)
		res.Entries[len(res.Entries)-1].HumanReadable += "\n> Note: " + warroom.Escape(w) + "\n"
	}
	return res, nil
}

// guard is deferred by each entry point (Execute, Test, FetchEvents): a
// panic is logged with its stack, secrets masked, and becomes the answer
// failed sets; then redact masks secrets in whatever is answered. A panic
// never reaches go-plugin, which would end the plugin process.
func (p *Plugin) guard(log hclog.Logger, what string, failed func(panicked any), redact func()) {
	if r := recover(); r != nil {
		log.Error(what+" panicked", "panic", p.redactor.String(fmt.Sprint(r)), "stack", string(debug.Stack()))
		failed(r)
	}
	redact()
}

// modelWarning says when model-select, not overridden by model-freetext,
// holds a model the manifest does not list (an instance carried over from
// the reference integration or an older version): it is used as given,
// never refused, and the answer says so.
func modelWarning(params map[string]any) string {
	if s, _ := params["model-freetext"].(string); strings.TrimSpace(s) != "" {
		return ""
	}
	model, _ := params["model-select"].(string)
	model = strings.TrimSpace(model)
	p, ok := manifest.Default().Param("model-select")
	if model == "" || !ok || slices.Contains(p.Options, model) {
		return ""
	}
	return fmt.Sprintf("model-select %q is not one of the listed models; it was used as given (set model-freetext to choose any model without this note)", model)
}

// settings parses params and registers their secrets with the redactor
// before anything can echo them.
func (p *Plugin) settings(params map[string]any) (settings.Settings, error) {
	for _, secret := range settings.ParamSecrets(params) {
		p.redactor.Add(secret)
	}
	s, err := settings.Parse(params, eventLabels())
	if err != nil {
		return s, fmt.Errorf("instance configuration: %w", err)
	}
	s.HTTPLog = p.log.Named("http")
	s.Transports = &p.transports
	return s, nil
}

// redactResult masks secrets anywhere in a result, however a handler
// came to include them.
func (p *Plugin) redactResult(res protocol.Result) protocol.Result {
	b, err := json.Marshal(res)
	if err != nil {
		return protocol.ErrorResult("could not encode the result")
	}
	masked := p.redactor.String(string(b))
	if masked == string(b) {
		return res
	}
	var out protocol.Result
	if err := json.Unmarshal([]byte(masked), &out); err != nil {
		return protocol.ErrorResult("could not encode the result")
	}
	return out
}

func eventLabels() []string {
	if p, ok := manifest.Default().Param("event_types_to_fetch"); ok {
		return p.Options
	}
	return nil
}
