// Package lazyregexp is a regexp compiled on first use instead of at
// package init, after the Go toolchain's own internal/lazyregexp.
//
// Every package init of a binary runs at every start, whatever the run
// needs: the plugin, which a host may start once per command, and
// host-sim pay for every package-level regexp.MustCompile of every package
// they link (internal/email's host pattern alone cost about 10 ms). A
// package-level lazyregexp.New costs nothing until a match needs it.
package lazyregexp

import (
	"regexp"
	"sync"
)

// Regexp is a *regexp.Regexp compiled on first use. It is safe for
// concurrent use, as a *regexp.Regexp is. It forwards the methods this
// module calls; Regexp() gives the compiled value for the others.
type Regexp struct{ re func() *regexp.Regexp }

// New compiles expr on first use, panicking then if it does not compile
// (as regexp.MustCompile would at init).
func New(expr string) *Regexp {
	return Of(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// Of defers compile, which builds the regexp (xurls.Strict, say), to the
// first use.
func Of(compile func() *regexp.Regexp) *Regexp {
	return &Regexp{re: sync.OnceValue(compile)}
}

// Regexp is the compiled regexp.
func (r *Regexp) Regexp() *regexp.Regexp { return r.re() }

// FindAllString is regexp.Regexp.FindAllString.
func (r *Regexp) FindAllString(s string, n int) []string { return r.re().FindAllString(s, n) }

// FindAllStringIndex is regexp.Regexp.FindAllStringIndex.
func (r *Regexp) FindAllStringIndex(s string, n int) [][]int {
	return r.re().FindAllStringIndex(s, n)
}

// FindAllStringSubmatch is regexp.Regexp.FindAllStringSubmatch.
func (r *Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	return r.re().FindAllStringSubmatch(s, n)
}

// FindString is regexp.Regexp.FindString.
func (r *Regexp) FindString(s string) string { return r.re().FindString(s) }

// FindStringSubmatch is regexp.Regexp.FindStringSubmatch.
func (r *Regexp) FindStringSubmatch(s string) []string { return r.re().FindStringSubmatch(s) }

// FindStringIndex is regexp.Regexp.FindStringIndex.
func (r *Regexp) FindStringIndex(s string) []int { return r.re().FindStringIndex(s) }

// MatchString is regexp.Regexp.MatchString.
func (r *Regexp) MatchString(s string) bool { return r.re().MatchString(s) }

// ReplaceAllString is regexp.Regexp.ReplaceAllString.
func (r *Regexp) ReplaceAllString(src, repl string) string {
	return r.re().ReplaceAllString(src, repl)
}

// ReplaceAllStringFunc is regexp.Regexp.ReplaceAllStringFunc.
func (r *Regexp) ReplaceAllStringFunc(src string, repl func(string) string) string {
	return r.re().ReplaceAllStringFunc(src, repl)
}

// Split is regexp.Regexp.Split.
func (r *Regexp) Split(s string, n int) []string { return r.re().Split(s, n) }
