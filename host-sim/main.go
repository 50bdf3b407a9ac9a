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
	"io"
	"log"
	"os"
)

func main() {
	// go-plugin's broker reports through the standard logger when a
	// session ends before the plugin dialled back ("acceptAndServe error:
	// broker closed"), which is routine here: a refused call starts the
	// plugin only for its manifest. host-sim itself never uses that logger;
	// the plugin's own logs go to plugin.log (and stderr with -v).
	log.SetOutput(io.Discard)
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
