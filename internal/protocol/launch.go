package protocol

import (
	"fmt"
	"os/exec"
	"time"

	"github.com/hashicorp/go-hclog"
	plugin "github.com/hashicorp/go-plugin"
)

// Serve runs the plugin side until the host goes away. It is called from
// the plugin's main and does not return while the host is connected.
func Serve(impl Integration, logger hclog.Logger) {
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: Handshake,
		Plugins:         PluginMap(&GRPCPlugin{Impl: impl}),
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
	Path   string       // the plugin binary
	Host   HostService  // serves the plugin's callbacks
	Logger hclog.Logger // receives the plugin's logs; nil discards them
	Env    []string     // extra environment for the plugin process
}

// Launch starts the plugin binary, performs the handshake and dispenses the
// integration. Close the session to stop the process.
func Launch(cfg LaunchConfig) (*Session, error) {
	logger := cfg.Logger
	if logger == nil {
		logger = hclog.NewNullLogger()
	}
	cmd := exec.Command(cfg.Path)
	cmd.Env = append(cmd.Environ(), cfg.Env...)
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
