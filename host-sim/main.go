// Command host-sim plays a SOAR host on a laptop: it launches the
// openai-gpt plugin exactly as a platform would (go-plugin, gRPC), keeps
// state between runs in an SQLite database (instance, contexts, war room,
// file entries, cursors, datasets) and shows what the plugin returns.
//
//	host-sim instance set url=https://api.openai.com/ apikey=sk-...
//	host-sim run '!gpt-send-message message="hi there"'
//	host-sim demo
//
// Run `host-sim help` for every verb.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
