// Package host is the reusable SOAR host the simulator is built on: it
// starts the plugin, checks each call against the plugin's manifest before
// and after it runs, merges outputs into the incident context, keeps the
// war room and serves the plugin's callbacks (contexts, file entries,
// event batches) from a state.Store.
//
// Its sub-packages each hold one idea: state (the SQLite store), cmdline
// (the command-line parser), ctxmerge (context merge rules) and render
// (terminal markdown).
package host

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/soarkit/openai-gpt/internal/host/state"
	"github.com/soarkit/openai-gpt/internal/pluginrpc"
	"github.com/soarkit/openai-gpt/internal/protocol"
	"github.com/soarkit/openai-gpt/manifest"
)

// Plugin is a running integration as the host drives it. *pluginrpc.Session
// implements it; tests substitute or wrap it (see Config.Intercept).
type Plugin interface {
	Manifest(ctx context.Context) ([]byte, error)
	Test(ctx context.Context, callID string, req protocol.TestRequest) (protocol.TestResult, error)
	Execute(ctx context.Context, callID string, req protocol.ExecuteRequest) (protocol.Result, error)
	FetchEvents(ctx context.Context, callID string, req protocol.FetchRequest) (protocol.FetchResult, error)
	Close()
}

// Config says how to run the plugin and where state lives.
type Config struct {
	// PluginPath is the plugin binary (Launch only).
	PluginPath string
	// PluginEnv is extra environment for the plugin process (Launch only).
	PluginEnv []string
	// Logger receives the plugin's logs (forwarded by go-plugin); nil
	// discards them.
	Logger hclog.Logger
	// Store holds the instance, contexts, war room, files and datasets.
	Store *state.Store
	// OpenStore, when Store is nil, opens it (Launch only) while the
	// plugin process starts: a cold start then pays for the database's
	// open and the plugin's start-up side by side, not one after the
	// other. Host.Store returns it; the caller closes it.
	OpenStore func() (*state.Store, error)
	// Timeout bounds each call to the plugin; zero means no deadline.
	Timeout time.Duration
	// SecretEnv looks up secrets missing from the instance; nil means the
	// environment is not consulted.
	SecretEnv SecretEnv
	// Intercept, if set, wraps the plugin, e.g. to count calls in tests.
	Intercept func(Plugin) Plugin
	// OnPush, if set, is told about every batch stored (fetch progress).
	OnPush func(protocol.Batch)
}

// Host is a plugin session with its state.
type Host struct {
	cfg      Config
	plugin   Plugin
	pid      int // the plugin process, when Launch started one
	manifest *manifest.Manifest
	calls    atomic.Int64 // numbers call ids
	live     liveCalls    // the calls whose batch pushes are admitted
}

// Launch starts the plugin binary and loads its manifest.
func Launch(ctx context.Context, cfg Config) (*Host, error) {
	if cfg.PluginPath == "" {
		return nil, errors.New("no plugin binary given; pass --plugin PATH")
	}
	if _, err := os.Stat(cfg.PluginPath); err != nil {
		return nil, fmt.Errorf("plugin binary %s not found; build it with `go build -o %s ./plugin` or pass --plugin PATH", cfg.PluginPath, cfg.PluginPath)
	}
	h := &Host{cfg: cfg}
	// The plugin calls back only during calls, after Launch returns: the
	// store is set by then (opened waits for it).
	opened := make(chan error, 1)
	if cfg.Store == nil && cfg.OpenStore != nil {
		go func() {
			st, err := cfg.OpenStore()
			h.cfg.Store = st
			opened <- err
		}()
	} else {
		opened <- nil
	}
	sess, err := pluginrpc.Launch(pluginrpc.LaunchConfig{
		Path:   cfg.PluginPath,
		Host:   h.Services(),
		Logger: cfg.Logger,
		Env:    cfg.PluginEnv,
	})
	if serr := <-opened; serr != nil || err != nil {
		if sess != nil {
			sess.Close()
		}
		if serr != nil {
			return nil, serr
		}
		if cfg.Store == nil && h.cfg.Store != nil {
			h.cfg.Store.Close()
		}
		return nil, err
	}
	if err := h.attach(ctx, sess); err != nil {
		sess.Close()
		if cfg.Store == nil && h.cfg.Store != nil {
			h.cfg.Store.Close() // opened here: the caller never saw it
		}
		return nil, err
	}
	h.pid = sess.Pid()
	return h, nil
}

// New builds a host around an already running plugin (for tests: a fake
// Plugin that calls back through Services).
func New(ctx context.Context, cfg Config, p Plugin) (*Host, error) {
	h := &Host{cfg: cfg}
	if err := h.attach(ctx, p); err != nil {
		return nil, err
	}
	return h, nil
}

func (h *Host) attach(ctx context.Context, p Plugin) error {
	if h.cfg.Store == nil {
		return errors.New("host: no state store")
	}
	if h.cfg.Intercept != nil {
		p = h.cfg.Intercept(p)
	}
	h.plugin = p
	ctx, cancel := h.callContext(ctx)
	defer cancel()
	doc, err := p.Manifest(ctx)
	if err != nil {
		return fmt.Errorf("ask the plugin for its manifest: %w", err)
	}
	m, err := manifest.Load(doc)
	if err != nil {
		return fmt.Errorf("the plugin's manifest is invalid: %w", err)
	}
	h.manifest = m
	return nil
}

// PluginPID is the plugin's process id, or 0 when the host did not start
// the process itself (New).
func (h *Host) PluginPID() int { return h.pid }

// Manifest is the plugin's manifest, as it declared it at launch.
func (h *Host) Manifest() *manifest.Manifest { return h.manifest }

// Store is the host's state.
func (h *Host) Store() *state.Store { return h.cfg.Store }

// Close stops the plugin.
func (h *Host) Close() {
	if h.plugin != nil {
		h.plugin.Close()
	}
}

func (h *Host) callContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if h.cfg.Timeout > 0 {
		return context.WithTimeout(ctx, h.cfg.Timeout)
	}
	return context.WithCancel(ctx)
}

// TimeoutError is a plugin call that ran past the host's timeout: the
// command's failure (exit 1 in host-sim), not a refusal by the host.
type TimeoutError struct {
	Call    string // the command, test-module or fetch-events
	Timeout time.Duration
}

// Error says it once, naming the timeout and what to change.
func (e *TimeoutError) Error() string {
	return fmt.Sprintf("%s did not finish within the host's %s timeout for a plugin call; raise it (host-sim --timeout) or try again", e.Call, e.Timeout)
}

// timedOut is the TimeoutError of a call that failed with err because its
// context, from callContext(ctx), reached the host's timeout rather than
// the caller's end. The error counts as well as cctx: gRPC sends the
// deadline to the plugin, whose side can end the stream a moment before
// cctx's own timer fires (seen under load: "context deadline exceeded:
// stream terminated by RST_STREAM").
func (h *Host) timedOut(call string, ctx, cctx context.Context, err error) error {
	if err == nil || h.cfg.Timeout <= 0 || ctx.Err() != nil {
		return nil
	}
	if errors.Is(cctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) {
		return &TimeoutError{Call: call, Timeout: h.cfg.Timeout}
	}
	return nil
}

func (h *Host) callID(what string) string {
	return fmt.Sprintf("%s-%d", what, h.calls.Add(1))
}
