// Package cmdline parses war-room command lines as a person types them:
//
//	!gpt-send-message message="say \"hi\"" temperature=0.2 note='it''s'
//
// A line is a command name, optionally led by "!", followed by key=value
// arguments. A value may be bare (up to the next blank), or quoted with
// double or single quotes; inside quotes a backslash escapes the quote
// character and the backslash itself, and any other backslash is kept as
// typed (so Windows paths and regexes survive). A value may contain "=".
package cmdline

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Command is a parsed war-room line.
type Command struct {
	Name string
	Args map[string]string
}

// SyntaxError is a line that cannot be parsed; Pos is the byte offset of
// the problem.
type SyntaxError struct {
	Pos int
	Msg string
}

// Error says what is wrong and where.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("war-room syntax: %s (at byte %d)", e.Msg, e.Pos)
}

// The parser reads any name a war room would (XSOAR allows dots and dashes
// in argument names, and commands of other integrations); whether the name
// is one this integration declares is the manifest's question, answered
// after parsing with an error that lists the valid names. So these are
// deliberately wider than the manifest's own name rules.
var (
	commandNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)
	argNameRE     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)
)

// ParseCommandLine parses one war-room line.
func ParseCommandLine(line string) (Command, error) {
	p := parser{s: line}
	p.skipBlanks()
	if p.peek() == '!' {
		p.i++
	}
	start := p.i
	name := p.word()
	if name == "" {
		return Command{}, p.fail(start, "no command; write a line such as !gpt-send-message message=\"hi\"")
	}
	if !commandNameRE.MatchString(name) {
		return Command{}, p.fail(start, fmt.Sprintf("%q is not a command name (letters, digits, - and _)", name))
	}
	cmd := Command{Name: name, Args: map[string]string{}}
	for {
		p.skipBlanks()
		if p.done() {
			return cmd, nil
		}
		at := p.i
		key, val, err := p.arg()
		if err != nil {
			return Command{}, err
		}
		if _, dup := cmd.Args[key]; dup {
			return Command{}, p.fail(at, fmt.Sprintf("argument %s is given twice; give it once", key))
		}
		cmd.Args[key] = val
	}
}

type parser struct {
	s string
	i int
}

func (p *parser) done() bool { return p.i >= len(p.s) }

func (p *parser) peek() byte {
	if p.done() {
		return 0
	}
	return p.s[p.i]
}

func (p *parser) fail(pos int, msg string) error { return &SyntaxError{Pos: pos, Msg: msg} }

// rune returns the rune at the cursor and its width.
func (p *parser) rune() (rune, int) { return utf8.DecodeRuneInString(p.s[p.i:]) }

func (p *parser) skipBlanks() {
	for !p.done() {
		r, w := p.rune()
		if !unicode.IsSpace(r) {
			return
		}
		p.i += w
	}
}

// word reads up to the next blank.
func (p *parser) word() string {
	start := p.i
	for !p.done() {
		r, w := p.rune()
		if unicode.IsSpace(r) {
			break
		}
		p.i += w
	}
	return p.s[start:p.i]
}

// arg reads one key=value.
func (p *parser) arg() (string, string, error) {
	start := p.i
	for !p.done() {
		r, w := p.rune()
		if r == '=' || unicode.IsSpace(r) {
			break
		}
		p.i += w
	}
	key := p.s[start:p.i]
	if p.peek() != '=' {
		return "", "", p.fail(start, fmt.Sprintf("%q has no value; write arguments as name=value (quote values with blanks: name=\"two words\")", key))
	}
	if key == "" {
		return "", "", p.fail(start, "an argument has no name before '='; write name=value")
	}
	if !argNameRE.MatchString(key) {
		return "", "", p.fail(start, fmt.Sprintf("%q is not an argument name (letters, digits and _)", key))
	}
	p.i++ // '='
	switch q := p.peek(); q {
	case '"', '\'':
		val, err := p.quoted(q, key)
		return key, val, err
	}
	return key, p.word(), nil
}

// quoted reads a value in quotes q, unescaping \q and \\.
func (p *parser) quoted(q byte, key string) (string, error) {
	open := p.i
	p.i++
	var b strings.Builder
	for {
		if p.done() {
			return "", p.fail(open, fmt.Sprintf("the value of %s opens a %c quote that is never closed", key, q))
		}
		c := p.s[p.i]
		switch {
		case c == '\\' && p.i+1 < len(p.s) && (p.s[p.i+1] == q || p.s[p.i+1] == '\\'):
			b.WriteByte(p.s[p.i+1])
			p.i += 2
		case c == q:
			p.i++
			if !p.done() {
				if r, _ := p.rune(); !unicode.IsSpace(r) {
					return "", p.fail(p.i, fmt.Sprintf("unexpected text right after the closing quote of %s; put a blank between arguments", key))
				}
			}
			return b.String(), nil
		default:
			b.WriteByte(c)
			p.i++
		}
	}
}
