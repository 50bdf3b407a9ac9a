package main

import (
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"github.com/soarkit/openai-gpt/manifest"
)

// replVerbs are the REPL's own verbs; anything else is a war-room
// command (!name ...).
var replVerbs = []string{"test", "fetch", "events", "context", "instance", "file", "history", "help", "exit"}

// maxPathCandidates bounds what path completion lists from one directory.
const maxPathCandidates = 500

// completion is what Tab offers: candidates replace word, the end of the
// line before the cursor, and each begins with word.
type completion struct {
	word       string
	candidates []string
}

// complete returns the completions for the text before the cursor, from
// the manifest: REPL verbs and !commands first, then a command's argument
// names and predefined values, instance parameter names and options,
// datasets, fetch flags and file paths.
func complete(m *manifest.Manifest, before string) completion {
	done, word, open := splitForCompletion(before)
	if open && !strings.Contains(word, "=") {
		return completion{word: word}
	}
	if len(done) == 0 {
		return firstWords(m, word)
	}
	switch first := done[0]; {
	case strings.HasPrefix(first, "!"):
		if cmd, ok := m.Command(first[1:]); ok {
			return argCompletion(cmd, done[1:], word)
		}
	case first == "instance":
		if len(done) == 1 {
			return matching(word, []string{"set", "show"}, " ")
		}
		if done[1] == "set" {
			return paramCompletion(m, done[2:], word)
		}
	case first == "file":
		if len(done) == 1 {
			return matching(word, []string{"add"}, " ")
		}
		if len(done) == 2 && done[1] == "add" {
			return pathCompletion(word)
		}
	case first == "events":
		if len(done) == 1 {
			return matching(word, m.Datasets(), " ")
		}
	case first == "fetch":
		var flags []string
		for _, f := range []string{"--once", "--every", "--drain", "--stats"} {
			if !slices.Contains(done, f) {
				flags = append(flags, f)
			}
		}
		return matching(word, flags, " ")
	case first == "context":
		if len(done) == 1 {
			return matching(word, []string{"--json"}, " ")
		}
	}
	return completion{word: word}
}

// firstWords completes the first word: a REPL verb or a !command.
func firstWords(m *manifest.Manifest, word string) completion {
	var names []string
	if !strings.HasPrefix(word, "!") {
		names = append(names, replVerbs...)
	}
	for _, c := range m.Commands {
		if !c.Deprecated {
			names = append(names, "!"+c.Name)
		}
	}
	return matching(word, names, " ")
}

// argCompletion completes a command's argument: its name (those not given
// yet), or after "=" one of its predefined values.
func argCompletion(cmd *manifest.Command, given []string, word string) completion {
	if name, value, ok := strings.Cut(word, "="); ok {
		arg, ok := cmd.Argument(name)
		if !ok {
			return completion{word: value}
		}
		values := arg.Predefined
		if len(values) == 0 && arg.Type == manifest.ArgBoolean {
			values = []string{"true", "false"}
		}
		return valueCompletion(value, values, false)
	}
	var names []string
	for _, a := range cmd.Arguments {
		if !a.Deprecated && !givenName(given, a.Name) {
			names = append(names, a.Name)
		}
	}
	return matching(word, names, "=")
}

// paramCompletion completes `instance set`: a parameter name, or after
// "=" a checkbox value or one of the parameter's options (after the last
// comma for a multi select).
func paramCompletion(m *manifest.Manifest, given []string, word string) completion {
	if name, value, ok := strings.Cut(word, "="); ok {
		p, ok := m.Param(name)
		if !ok {
			return completion{word: value}
		}
		switch p.Type {
		case manifest.ParamBoolean:
			return valueCompletion(value, []string{"true", "false"}, false)
		case manifest.ParamMultiSelect:
			return valueCompletion(value, p.Options, true)
		}
		return valueCompletion(value, p.Options, false)
	}
	var names []string
	for _, p := range m.Params {
		if !p.Hidden && !givenName(given, p.Name) {
			names = append(names, p.Name)
		}
	}
	return matching(word, names, "=")
}

// pathCompletion completes a file path from the directory it names.
func pathCompletion(word string) completion {
	dir, base := filepath.Split(word)
	entries, err := os.ReadDir(cmp.Or(dir, "."))
	if err != nil {
		return completion{word: word}
	}
	out := completion{word: word}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base) || (strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".")) {
			continue
		}
		if len(out.candidates) == maxPathCandidates {
			break
		}
		if e.IsDir() {
			out.candidates = append(out.candidates, dir+name+string(filepath.Separator))
		} else {
			out.candidates = append(out.candidates, dir+name+" ")
		}
	}
	return out
}

// givenName reports whether name=... is among the words typed.
func givenName(words []string, name string) bool {
	for _, w := range words {
		if k, _, ok := strings.Cut(w, "="); ok && k == name {
			return true
		}
	}
	return false
}

// matching keeps the options that begin with word, each followed by
// suffix.
func matching(word string, options []string, suffix string) completion {
	out := completion{word: word}
	for _, o := range options {
		if strings.HasPrefix(o, word) {
			out.candidates = append(out.candidates, o+suffix)
		}
	}
	return out
}

// splitForCompletion splits the text before the cursor into the words
// typed (quotes kept as typed) and the partial word under the cursor,
// following the war-room rules: a value may be quoted right after its
// "=", and inside quotes a backslash escapes. open reports whether the
// partial word is inside a quote.
func splitForCompletion(s string) (done []string, word string, open bool) {
	var cur strings.Builder
	quote, escaped := rune(0), false
	for _, r := range s {
		switch {
		case escaped:
			escaped = false
		case quote != 0 && r == '\\':
			escaped = true
		case quote != 0 && r == quote:
			quote = 0
		case quote == 0 && (r == '"' || r == '\'') && strings.HasSuffix(cur.String(), "=") && strings.Count(cur.String(), "=") == 1:
			quote = r
		case quote == 0 && unicode.IsSpace(r):
			if cur.Len() > 0 {
				done = append(done, cur.String())
				cur.Reset()
			}
			continue
		}
		cur.WriteRune(r)
	}
	return done, cur.String(), quote != 0
}

// valueCompletion completes a value after "=" from options. An option
// with blanks needs quotes: it is offered with its opening quote when
// nothing is typed yet, or inside a quote already open. A multi select
// completes the item after the last comma.
func valueCompletion(value string, options []string, multi bool) completion {
	q := ""
	if value != "" && (value[0] == '"' || value[0] == '\'') {
		q, value = value[:1], value[1:]
	}
	part := value
	if multi {
		part = value[strings.LastIndex(value, ",")+1:]
	}
	out := completion{word: part}
	if strings.Contains(value, "\\") {
		return out // escapes typed: leave it to the person
	}
	for _, o := range options {
		if !strings.HasPrefix(o, part) {
			continue
		}
		blank := strings.ContainsFunc(o, unicode.IsSpace) || strings.ContainsAny(o, `"'`)
		switch {
		case q != "":
			if strings.Contains(o, q) {
				continue
			}
			if !multi {
				o += q + " "
			}
		case !blank:
			if !multi {
				o += " "
			}
		case value == "":
			if o = `"` + o; !multi {
				o += `" `
			}
		default:
			continue // a blank cannot follow an unquoted start
		}
		out.candidates = append(out.candidates, o)
	}
	return out
}

// completer adapts complete to the line editor, which wants the
// candidates' remaining runes and how many runes they replace.
type completer struct{ m *manifest.Manifest }

// Do implements readline.AutoCompleter.
func (c completer) Do(line []rune, pos int) ([][]rune, int) {
	got := complete(c.m, string(line[:pos]))
	out := make([][]rune, len(got.candidates))
	for i, cand := range got.candidates {
		out[i] = []rune(cand[len(got.word):])
	}
	return out, len([]rune(got.word))
}
