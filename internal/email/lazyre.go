package email

import (
	"regexp"
	"sync"
)

// lazyRegexp is a regexp compiled on first use instead of at package init:
// a plugin started for one command that never parses an email (most of
// them) would otherwise pay for every pattern at start-up (hostRe's Unicode
// classes alone cost about 10 ms). Compiled once, it is safe for
// concurrent use like any *regexp.Regexp. It forwards the methods this
// package calls.
type lazyRegexp struct{ re func() *regexp.Regexp }

// lazy defers compile until the first match.
func lazy(compile func() *regexp.Regexp) *lazyRegexp {
	return &lazyRegexp{re: sync.OnceValue(compile)}
}

// lazyMustCompile is regexp.MustCompile, deferred.
func lazyMustCompile(expr string) *lazyRegexp {
	return lazy(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

func (l *lazyRegexp) FindAllString(s string, n int) []string { return l.re().FindAllString(s, n) }

func (l *lazyRegexp) FindAllStringSubmatch(s string, n int) [][]string {
	return l.re().FindAllStringSubmatch(s, n)
}

func (l *lazyRegexp) FindAllStringIndex(s string, n int) [][]int {
	return l.re().FindAllStringIndex(s, n)
}

func (l *lazyRegexp) FindString(s string) string { return l.re().FindString(s) }

func (l *lazyRegexp) MatchString(s string) bool { return l.re().MatchString(s) }

func (l *lazyRegexp) ReplaceAllString(src, repl string) string {
	return l.re().ReplaceAllString(src, repl)
}

func (l *lazyRegexp) ReplaceAllStringFunc(src string, repl func(string) string) string {
	return l.re().ReplaceAllStringFunc(src, repl)
}
