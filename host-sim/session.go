package main

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/hashicorp/go-hclog"

	"github.com/soarkit/openai-gpt/internal/host"
	"github.com/soarkit/openai-gpt/internal/host/state"
	"github.com/soarkit/openai-gpt/internal/protocol"
)

// pluginLogName is the file in the state directory that keeps every
// plugin log line, -v or not.
const pluginLogName = "plugin.log"

// session is an open state directory with, once started, a running
// plugin.
type session struct {
	store *state.Store
	host  *host.Host
	log   io.Closer
}

func (s *session) close() {
	if s.host != nil {
		s.host.Close()
	}
	if s.log != nil {
		s.log.Close()
	}
	if s.store != nil {
		s.store.Close()
	}
}

// openStore opens the state directory alone (verbs that need no plugin).
func (a *app) openStore(g *globals) (*session, int) {
	st, err := state.Open(g.state)
	if err != nil {
		return nil, a.fail(exitRefused, "%v", err)
	}
	return &session{store: st}, exitOK
}

// openHost opens the state directory and starts the plugin. onPush, if
// set, sees every batch stored.
// The database opens while the plugin starts (host.Config.OpenStore).
func (a *app) openHost(ctx context.Context, g *globals, onPush func(protocol.Batch)) (*session, int) {
	// plugin.log lives in the state directory, opened before the store.
	if err := os.MkdirAll(g.state, 0o700); err != nil {
		return nil, a.fail(exitRefused, "state: create the state directory: %v", err)
	}
	s := &session{}
	var storeErr error
	open := func() (*state.Store, error) {
		st, err := state.Open(g.state)
		storeErr = err
		return st, err
	}
	if err := a.startHostWith(ctx, g, s, onPush, open); err != nil {
		if storeErr != nil {
			return nil, a.fail(exitRefused, "%v", storeErr)
		}
		return nil, a.fail(exitRefused, "could not run the plugin: %v", err)
	}
	s.store = s.host.Store()
	return s, exitOK
}

// startHost starts the plugin for an open session.
func (a *app) startHost(ctx context.Context, g *globals, s *session, onPush func(protocol.Batch)) error {
	return a.startHostWith(ctx, g, s, onPush, nil)
}

// startHostWith starts the plugin; with s.store nil, open opens the store
// meanwhile.
func (a *app) startHostWith(ctx context.Context, g *globals, s *session, onPush func(protocol.Batch), open func() (*state.Store, error)) error {
	logger, closer := a.pluginLogger(g)
	var env []string
	if g.verbose {
		env = append(env, "OPENAI_GPT_LOG_LEVEL=debug")
	}
	h, err := host.Launch(ctx, host.Config{
		PluginPath: a.pluginPath(g),
		PluginEnv:  env,
		Logger:     logger,
		Store:      s.store,
		OpenStore:  open,
		Timeout:    g.timeout,
		SecretEnv:  a.secretEnv,
		Intercept:  a.intercept,
		OnPush:     onPush,
	})
	if err != nil {
		if closer != nil {
			closer.Close()
		}
		return err
	}
	s.host, s.log = h, closer
	return nil
}

// pluginLogger writes the plugin's logs (forwarded by go-plugin) to
// plugin.log in the state directory, and to stderr with -v.
func (a *app) pluginLogger(g *globals) (hclog.Logger, io.Closer) {
	var out []io.Writer
	var closer io.Closer
	if f, err := os.OpenFile(filepath.Join(g.state, pluginLogName), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600); err == nil {
		out, closer = append(out, f), f
	}
	level := hclog.Info
	if g.verbose {
		out = append(out, a.stderr)
		level = hclog.Debug
	}
	return hclog.New(&hclog.LoggerOptions{
		Name:   "host-sim",
		Level:  level,
		Output: io.MultiWriter(out...),
	}), closer
}

// pluginPath is --plugin, else openai-gpt next to the host-sim
// executable, else on $PATH, else bin/openai-gpt (the Makefile's layout,
// which also serves `go run ./host-sim`).
func (a *app) pluginPath(g *globals) string {
	if g.plugin != "" {
		return g.plugin
	}
	if exe, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(exe), "openai-gpt")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("openai-gpt"); err == nil {
		return p
	}
	return filepath.Join("bin", "openai-gpt")
}
