// Package prompts holds the model prompts, one embedded template per task.
// Untrusted email content is fenced between markers carrying a random tag,
// and the system prompt tells the model that fenced text is data, never
// instructions; content is cut to a budget and the cut is reported.
package prompts

import (
	"crypto/rand"
	"embed"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"text/template"
	"unicode/utf8"
)

//go:embed templates/*.tmpl
var files embed.FS

// parsed is built on first use: the plugin's cold start should not pay for
// templates a command never renders.
var parsed = sync.OnceValues(func() (*template.Template, error) {
	return template.New("prompts").Option("missingkey=error").ParseFS(files, "templates/*.tmpl")
})

// Budgets, in bytes, for untrusted content in one prompt (about 6k
// and 12k tokens): enough for real headers and bodies, bounded for hostile ones.
const (
	HeaderBudget = 24_000
	BodyBudget   = 48_000
)

// Email is what an email analysis prompt is made of.
type Email struct {
	Content                string // the untrusted part: headers or body text
	Facts                  string // platform forensics, computed without a model
	AdditionalInstructions string
	Budget                 int // bytes of Content kept; 0 means no cut
}

// Prompt is a rendered prompt: System goes in the system message (Chat) or
// instructions (Responses); User is the user message. Cut describes what
// was dropped from the untrusted content, "" when nothing was.
type Prompt struct {
	System string
	User   string
	Cut    string
}

// EmailHeader renders the header analysis prompt.
func EmailHeader(e Email) (Prompt, error) { return renderEmail("email_header.tmpl", e) }

// EmailBody renders the body analysis prompt.
func EmailBody(e Email) (Prompt, error) { return renderEmail("email_body.tmpl", e) }

// SOCEmail renders the SOC email request; it carries no untrusted content
// of its own (the analysis is in the conversation), but shares the system
// prompt so the model keeps treating earlier fenced text as data.
func SOCEmail(additionalInstructions string) (Prompt, error) {
	boundary, err := newBoundary("")
	if err != nil {
		return Prompt{}, err
	}
	system, err := render("system.tmpl", map[string]any{"Boundary": boundary})
	if err != nil {
		return Prompt{}, err
	}
	user, err := render("soc_email.tmpl", map[string]any{"AdditionalInstructions": oneLine(additionalInstructions)})
	return Prompt{System: system, User: user}, err
}

func renderEmail(name string, e Email) (Prompt, error) {
	content, cut := truncate(e.Content, e.Budget)
	boundary, err := newBoundary(content + e.Facts + e.AdditionalInstructions)
	if err != nil {
		return Prompt{}, err
	}
	data := map[string]any{
		"Boundary": boundary, "Content": content, "Facts": e.Facts,
		"AdditionalInstructions": oneLine(e.AdditionalInstructions), "Cut": cut,
	}
	system, err := render("system.tmpl", data)
	if err != nil {
		return Prompt{}, err
	}
	user, err := render(name, data)
	return Prompt{System: system, User: user, Cut: cut}, err
}

func render(name string, data any) (string, error) {
	t, err := parsed()
	if err != nil {
		return "", fmt.Errorf("prompt templates: %w", err)
	}
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("render prompt %s: %w", name, err)
	}
	return b.String(), nil
}

// newBoundary returns a random tag that does not occur in content, so the
// content cannot forge the closing marker.
func newBoundary(content string) (string, error) {
	for {
		var b [12]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", fmt.Errorf("random prompt boundary: %w", err)
		}
		tag := hex.EncodeToString(b[:])
		if !strings.Contains(content, tag) {
			return tag, nil
		}
	}
}

// truncate keeps at most budget bytes of s, cut on a rune boundary, and
// describes the cut.
func truncate(s string, budget int) (string, string) {
	if budget <= 0 || len(s) <= budget {
		return s, ""
	}
	cut := s[:budget]
	for !utf8.ValidString(cut) && len(cut) > 0 {
		cut = cut[:len(cut)-1]
	}
	return cut, fmt.Sprintf("the first %d of %d bytes", len(cut), len(s))
}

// oneLine keeps analyst instructions on one line so they cannot fake the
// structure of the prompt around them.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
