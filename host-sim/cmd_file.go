package main

import (
	"context"
	"fmt"
	"io"
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
	data, err := readFileEntry(path)
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

// readFileEntry reads a file for a file entry, refusing directories and
// files over maxFileEntry before reading them.
func readFileEntry(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	switch {
	case info.IsDir():
		return nil, fmt.Errorf("%s is a directory; give a file", path)
	case info.Size() > maxFileEntry:
		return nil, fmt.Errorf("%s is %.1f MiB, over the %d MiB a file entry may hold", path, float64(info.Size())/(1<<20), maxFileEntry>>20)
	}
	// The file may grow between Stat and the read.
	data, err := io.ReadAll(io.LimitReader(f, maxFileEntry+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileEntry {
		return nil, fmt.Errorf("%s grew past the %d MiB a file entry may hold while it was read", path, maxFileEntry>>20)
	}
	return data, nil
}
