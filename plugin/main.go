// Command openai-gpt is the OpenAI GPT integration plugin. A SOAR host
// launches it through go-plugin; started by hand it explains that and exits.
package main

import (
	"os"

	"github.com/hashicorp/go-hclog"

	"github.com/soarkit/openai-gpt/internal/commands"
	"github.com/soarkit/openai-gpt/internal/pluginrpc"
	"github.com/soarkit/openai-gpt/internal/redact"
	"github.com/soarkit/openai-gpt/manifest"
)

func main() {
	// Logs are JSON on stderr, which go-plugin forwards to the host's
	// logger; every line passes through the redactor first.
	redactor := &redact.Redactor{}
	level := hclog.LevelFromString(os.Getenv("OPENAI_GPT_LOG_LEVEL"))
	if level == hclog.NoLevel {
		level = hclog.Info
	}
	logger := hclog.New(&hclog.LoggerOptions{
		Name:       "openai-gpt",
		Level:      level,
		JSONFormat: true,
		Output:     redactor.Writer(os.Stderr),
	})
	// A host's first call needs the manifest and the fixed result schemas
	// whatever the command: load them while the host connects, not after
	// its call comes in.
	go manifest.Prepare()
	pluginrpc.Serve(commands.New(logger, redactor), logger)
}
