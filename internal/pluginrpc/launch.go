package pluginrpc

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"time"

	"github.com/hashicorp/go-hclog"
	plugin "github.com/hashicorp/go-plugin"

	"github.com/soarkit/openai-gpt/internal/protocol"
)

// Serve runs the plugin side until the host goes away. It is called from
// the plugin's main and does not return while the host is connected.
//
// The plugin also exits when its host dies without stopping it (kill -9,
// a crash): on Linux through the parent-death signal, everywhere through
// a check of the host's callback connection (watchHost).
func Serve(impl protocol.Integration, logger hclog.Logger) {
	if os.Getenv(NoParentDeathSignalEnv) == "" {
		if err := dieWithParent(); errors.Is(err, errHostGone) {
			logger.Error("exiting: " + err.Error())
			os.Exit(1)
		} else if err != nil {
			logger.Warn("the plugin may outlive a crashed host", "error", err)
		}
	}
	// A host closes its callback service only when it is done with the
	// plugin: it is stopping it (then this merely wins the race with the
	// shutdown call, hence no error) or it died.
	gone := func() {
		logger.Info("exiting: the host closed its callback service (it stopped the plugin, or it died)")
		os.Exit(0)
	}
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: Handshake,
		Plugins:         PluginMap(&GRPCPlugin{Impl: impl, OnHostGone: gone}),
		GRPCServer:      plugin.DefaultGRPCServer,
		Logger:          logger,
	})
}

// Session is a running plugin process, as a host holds it.
type Session struct {
	*Client
	proc *plugin.Client
}

// LaunchConfig says how a host starts the plugin.
type LaunchConfig struct {
	Path   string               // the plugin binary
	Host   protocol.HostService // serves the plugin's callbacks
	Logger hclog.Logger         // receives the plugin's logs; nil discards them
	Env    []string             // extra environment for the plugin process
}

// Launch starts the plugin binary, performs the handshake and dispenses the
// integration. Close the session to stop the process.
func Launch(cfg LaunchConfig) (*Session, error) {
	logger := cfg.Logger
	if logger == nil {
		logger = hclog.NewNullLogger()
	}
	cmd := exec.Command(cfg.Path)
	cmd.Env = append(cmd.Environ(), HostPIDEnv+"="+strconv.Itoa(os.Getpid()))
	cmd.Env = append(cmd.Env, cfg.Env...)
	proc := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  Handshake,
		Plugins:          PluginMap(&GRPCPlugin{Host: cfg.Host}),
		Cmd:              cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		Logger:           logger,
		StartTimeout:     30 * time.Second,
	})
	rpc, err := proc.Client()
	if err != nil {
		proc.Kill()
		return nil, fmt.Errorf("start plugin %s: %w", cfg.Path, err)
	}
	raw, err := rpc.Dispense(PluginName)
	if err != nil {
		proc.Kill()
		return nil, fmt.Errorf("dispense plugin %s: %w", cfg.Path, err)
	}
	return &Session{Client: raw.(*Client), proc: proc}, nil
}

// Close stops the plugin process.
func (s *Session) Close() { s.proc.Kill() }

// Pid is the plugin's process id (0 once it has exited), for a host
// that reports on the process, e.g. its memory.
func (s *Session) Pid() int {
	rc := s.proc.ReattachConfig()
	if rc == nil {
		return 0
	}
	return rc.Pid
}

// Exited reports whether the plugin process has exited.
func (s *Session) Exited() bool { return s.proc.Exited() }

// NoParentDeathSignalEnv, set to any value in the plugin's environment,
// turns off the parent-death signal so that only the host connection
// check ends an orphaned plugin (tests use it to check that path alone).
const NoParentDeathSignalEnv = "SOAR_PLUGIN_NO_PDEATHSIG"
