package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// maxFileEntry caps a file entry; the plugin caps what it reads anyway,
// this keeps the state database sane.
const maxFileEntry = 64 << 20

func (a *app) file(g *globals, args []string) int {
	fs := g.flagSet("file", a.stderr)
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return exitRefused
	}
	if len(rest) != 2 || rest[0] != "add" {
		return a.fail(exitRefused, "usage: host-sim file add PATH")
	}
	path := rest[1]
	info, err := os.Stat(path)
	if err != nil {
		return a.fail(exitRefused, "file add: %v", err)
	}
	switch {
	case info.IsDir():
		return a.fail(exitRefused, "file add: %s is a directory; give a file", path)
	case info.Size() > maxFileEntry:
		return a.fail(exitRefused, "file add: %s is %.1f MiB, over the %d MiB a file entry may hold", path, float64(info.Size())/(1<<20), maxFileEntry>>20)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return a.fail(exitRefused, "file add: %v", err)
	}
	s, code := a.openStore(g)
	if s == nil {
		return code
	}
	defer s.close()
	id, err := s.store.AddFile(context.Background(), filepath.Base(path), data)
	if err != nil {
		return a.fail(exitRefused, "%v", err)
	}
	fmt.Fprintln(a.stdout, id)
	return exitOK
}
