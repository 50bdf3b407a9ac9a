package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"

	"github.com/chzyer/readline"
	"github.com/mattn/go-isatty"

	"github.com/soarkit/openai-gpt/internal/host/cmdline"
	"github.com/soarkit/openai-gpt/manifest"
)

// historyLimit is how many lines the line editor keeps in the history
// file.
const historyLimit = 1000

// errInterrupted is Ctrl-C at the prompt: the line is dropped.
var errInterrupted = errors.New("interrupted")

// lineTooLongError is a line over maxLineBytes; it was read to its end
// and dropped.
type lineTooLongError struct {
	line int // 1-based
	size int // bytes, newline included
}

func (e *lineTooLongError) Error() string {
	return fmt.Sprintf("line %d is over the %d MiB a REPL line may hold (%.1f MiB); it was skipped: put long text in a file (file add PATH) or split the line",
		e.line, maxLineBytes>>20, float64(e.size)/(1<<20))
}

// lineSource is where the REPL's lines come from: the line editor on a
// terminal, plain lines from a pipe or a file.
type lineSource interface {
	// next returns the next line without its newline; io.EOF ends the
	// REPL, errInterrupted and *lineTooLongError drop one line.
	next() (string, error)
	// keep adds a line to the history.
	keep(line string)
	close()
}

// interactive reports whether the REPL talks to a person: stdin and
// stdout are terminals.
func (a *app) interactive() bool {
	if a.fakeTerminal {
		return true
	}
	in, ok1 := a.stdin.(*os.File)
	out, ok2 := a.stdout.(*os.File)
	return ok1 && ok2 && isatty.IsTerminal(in.Fd()) && isatty.IsTerminal(out.Fd())
}

// lineSource returns the line editor (history in historyFile, completion
// from m) for a person, plain bounded lines otherwise.
func (a *app) lineSource(m *manifest.Manifest, historyFile string) (lineSource, error) {
	// The history may hold war-room text: only its owner reads it. The
	// line editor would create it world-readable.
	if f, err := os.OpenFile(historyFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600); err == nil {
		f.Close()
	}
	if !a.interactive() {
		return &pipedSource{r: newLineReader(a.stdin, maxLineBytes), historyFile: historyFile}, nil
	}
	cfg := &readline.Config{
		Prompt:                 "> ",
		HistoryFile:            historyFile,
		HistoryLimit:           historyLimit,
		DisableAutoSaveHistory: true, // keep decides, so lines carrying secrets stay out
		AutoComplete:           completer{m},
		Stdout:                 a.stdout,
		Stderr:                 a.stderr,
	}
	// Some terminals (a fresh pty, a serial console) report no width,
	// and the editor would then refuse to complete.
	cfg.FuncGetWidth = func() int {
		if w := readline.GetScreenWidth(); w > 0 {
			return w
		}
		return 80
	}
	if a.fakeTerminal {
		cfg.Stdin = io.NopCloser(a.stdin)
		cfg.FuncIsTerminal = func() bool { return true }
		cfg.FuncMakeRaw = func() error { return nil }
		cfg.FuncExitRaw = func() error { return nil }
		cfg.FuncOnWidthChanged = func(func()) {}
	}
	rl, err := readline.NewEx(cfg)
	if err != nil {
		return nil, fmt.Errorf("start the line editor: %w", err)
	}
	// Loading a history over historyLimit rewrites the file, with the
	// editor's default mode.
	_ = os.Chmod(historyFile, 0o600)
	return &editorSource{rl: rl}, nil
}

// editorSource reads lines through the line editor.
type editorSource struct {
	rl *readline.Instance
	n  int
}

func (s *editorSource) next() (string, error) {
	line, err := s.rl.Readline()
	switch {
	case errors.Is(err, readline.ErrInterrupt):
		return "", errInterrupted
	case err != nil:
		return "", err
	}
	s.n++
	// The editor holds what was typed or pasted; the limit is the same as
	// for piped input.
	if len(line) > maxLineBytes {
		return "", &lineTooLongError{line: s.n, size: len(line)}
	}
	return line, nil
}

func (s *editorSource) keep(line string) { _ = s.rl.SaveHistory(line) } // history is a convenience
func (s *editorSource) close()           { s.rl.Close() }

// pipedSource reads plain lines, appending them to the history file.
type pipedSource struct {
	r           *lineReader
	historyFile string
}

func (s *pipedSource) next() (string, error) { return s.r.next() }
func (s *pipedSource) close()                {}

func (s *pipedSource) keep(line string) {
	f, err := os.OpenFile(s.historyFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return // history is a convenience; never fail a command over it
	}
	defer f.Close()
	fmt.Fprintln(f, line)
}

// lineReader reads lines of at most max bytes. A longer line is read to
// its end without being kept, so memory stays bounded and the next line
// is read as usual.
type lineReader struct {
	r   *bufio.Reader
	max int
	n   int // lines read
}

func newLineReader(r io.Reader, max int) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 64<<10), max: max}
}

func (l *lineReader) next() (string, error) {
	var buf []byte
	size := 0
	for {
		chunk, err := l.r.ReadSlice('\n')
		size += len(chunk)
		if size <= l.max+2 { // room for "\r\n"
			buf = append(buf, chunk...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		if size == 0 {
			return "", io.EOF
		}
		l.n++
		line := strings.TrimSuffix(strings.TrimSuffix(string(buf), "\n"), "\r")
		if size > len(buf) || len(line) > l.max {
			return "", &lineTooLongError{line: l.n, size: size}
		}
		return line, nil
	}
}

// secretLine reports whether a line carries a secret, which the history
// must not keep: `instance set` of a secret parameter or of a URL with a
// password, or a war-room argument the manifest marks secret. A line that
// does not parse is kept out too: what it holds is unknown.
func secretLine(m *manifest.Manifest, line string) bool {
	line = strings.TrimSpace(line)
	if pairs, ok := instanceSetPairs(line); ok {
		kv, err := parseInstancePairs(pairs)
		if err != nil {
			return true
		}
		for k, v := range kv {
			if p, ok := m.Param(k); (ok && p.Secret() && v != "") || maskURLPassword(v) != v {
				return true
			}
		}
		return false
	}
	if !strings.HasPrefix(line, "!") || line == "!!" {
		return false
	}
	wr, err := cmdline.ParseCommandLine(line)
	if err != nil {
		return true
	}
	cmd, ok := m.Command(wr.Name)
	if !ok {
		return false
	}
	for k := range wr.Args {
		if a, ok := cmd.Argument(k); ok && a.Secret {
			return true
		}
	}
	return false
}

// instanceSetPairs returns what follows `instance set` on a line.
func instanceSetPairs(line string) (string, bool) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(line), "instance")
	if !ok || rest == "" || !unicode.IsSpace(rune(rest[0])) {
		return "", false
	}
	rest, ok = strings.CutPrefix(strings.TrimSpace(rest), "set")
	if !ok || (rest != "" && !unicode.IsSpace(rune(rest[0]))) {
		return "", false
	}
	return strings.TrimSpace(rest), true
}

// parseInstancePairs reads KEY=VALUE pairs with the war-room quoting
// rules, so a value may hold blanks: event_types_to_fetch="Apps,Apps Auth".
func parseInstancePairs(pairs string) (map[string]string, error) {
	// The parser wants a command name first; "set" stands in.
	c, err := cmdline.ParseCommandLine("set " + pairs)
	if err != nil {
		return nil, err
	}
	return c.Args, nil
}
