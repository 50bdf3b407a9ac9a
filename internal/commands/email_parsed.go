package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/soarkit/openai-gpt/internal/email"
	"github.com/soarkit/openai-gpt/internal/protocol"
	"github.com/soarkit/openai-gpt/internal/warroom"
)

// displayCap bounds one value shown in a war-room table; the model gets
// more (its own budget), the analyst gets the file.
const displayCap = 2000

// emailPart is what an analysis looks at.
type emailPart int

const (
	partHeader emailPart = iota
	partBody
)

// readEmail reads and parses an .eml file entry. Every failure names the
// entry and what is wrong with it.
func readEmail(ctx context.Context, host protocol.Host, entryID string) (*email.Message, string, error) {
	if entryID == "" {
		return nil, "", errors.New("no email given: pass the entry id of an uploaded .eml file (entry_id / entryId)")
	}
	f, err := host.ReadFile(ctx, entryID, email.DefaultMaxBytes)
	if err != nil {
		if strings.Contains(err.Error(), "over the limit") {
			// The host refused to send more than the cap: say why there is one.
			return nil, "", fmt.Errorf("entry %s: %v: %w (the limit is %d MiB)", entryID, err, email.ErrTooLarge, email.DefaultMaxBytes>>20)
		}
		return nil, "", fmt.Errorf("entry %s: %w", entryID, err)
	}
	msg, err := email.Parse(f.Data)
	if err != nil {
		return nil, f.Name, fmt.Errorf("entry %s (%s) could not be analysed: %w", entryID, f.Name, err)
	}
	return msg, f.Name, nil
}

// parsedEntry is the first entry of an analysis: what was parsed, and the
// forensics computed without a model.
func parsedEntry(part emailPart, msg *email.Message, name string) protocol.Entry {
	var b strings.Builder
	contents := map[string]any{"file": name, "forensics": msg.Forensics, "warnings": msg.Warnings, "cuts": msg.Cuts}
	if part == partHeader {
		b.WriteString(headerTable(msg, name))
		contents["headers"] = msg.Headers
	} else {
		t := warroom.NewTable("Email body: "+name, "Part", "Content")
		t.Row("Subject", msg.Subject).Row("From", msg.From)
		// The HTML as the reader sees it; its source (inline CSS, markup)
		// is in the entry's data, for whoever needs it. A text part with
		// the same words (or derived from the HTML) is shown once.
		if msg.Text != "" && (msg.HTMLText == "" || !sameWords(msg.HTMLText, msg.Text)) {
			t.Row("Text", capText(msg.Text))
		}
		if msg.HTMLText != "" {
			t.Row("HTML (as text)", capText(msg.HTMLText))
		}
		if msg.HTML != "" {
			t.Row("HTML source", fmt.Sprintf("%d bytes, in the entry's data (html)", len(msg.HTML)))
		}
		b.WriteString(t.Markdown())
		b.WriteString(attachmentsTable(msg).Markdown())
		contents["subject"], contents["text"], contents["html"], contents["html_text"] = msg.Subject, msg.Text, msg.HTML, msg.HTMLText
		contents["attachments"] = msg.Attachments
	}
	b.WriteString(forensicsMarkdown(part, msg.Forensics))
	if len(msg.Warnings) > 0 {
		b.WriteString("\n**Parse warnings** (the email is malformed; analysed as far as possible):\n")
		for _, w := range msg.Warnings {
			b.WriteString("- " + warroom.Escape(w) + "\n")
		}
	}
	if len(msg.Cuts) > 0 {
		b.WriteString("\n**Read in part** (a size bound was reached; the rest is in the file):\n")
		for _, c := range msg.Cuts {
			b.WriteString("- " + warroom.Escape(c) + "\n")
		}
	}
	return warroom.Note(contents, b.String())
}

func attachmentsTable(msg *email.Message) *warroom.Table {
	t := warroom.NewTable("Attachments", "Name", "Type", "Size", "SHA-256")
	for _, a := range msg.Attachments {
		t.Row(a.Name, a.ContentType, a.Size, a.SHA256)
	}
	for i, n := range msg.Nested {
		t.Row(fmt.Sprintf("forwarded message %d: %s", i+1, n.Subject), "message/rfc822", "", "")
	}
	return t
}

// forensicsMarkdown renders the forensics; indicators are defanged so no
// one clicks them from the war room.
func forensicsMarkdown(part emailPart, f email.Forensics) string {
	var b strings.Builder
	if part == partHeader {
		auth := warroom.NewTable("Authentication results", "Method", "Result", "Detail", "Source")
		for _, a := range f.Auth {
			auth.Row(a.Method, a.Result, a.Detail, a.Source)
		}
		b.WriteString(auth.Markdown())
		hops := warroom.NewTable("Received chain (oldest first)", "Hop", "From", "By", "Time", "Delay")
		for i, h := range f.Hops {
			when, delay := "", ""
			if !h.Time.IsZero() {
				when = h.Time.UTC().Format(time.RFC3339)
			}
			if h.Delay != 0 {
				delay = h.Delay.String()
			}
			hops.Row(i+1, h.From, h.By, when, delay)
		}
		b.WriteString(hops.Markdown())
		if len(f.Mismatches) > 0 {
			mm := warroom.NewTable("Sender mismatches", "Header", "Domain", "Differs from", "Domain", "Note")
			for _, m := range f.Mismatches {
				mm.Row(m.Header1, m.Domain1, m.Header2, m.Domain2, m.Note)
			}
			b.WriteString(mm.Markdown())
		}
	}
	ind := warroom.NewTable("Indicators found (defanged)", "Type", "Value")
	for _, group := range []struct {
		kind   string
		values []string
	}{{"URL", f.Indicators.URLs}, {"Domain", f.Indicators.Domains}, {"IP", f.Indicators.IPs}, {"Email", f.Indicators.Emails}} {
		for _, v := range group.values {
			ind.Row(group.kind, email.Defang(v))
		}
	}
	for _, p := range f.Indicators.Phones {
		ind.Row("Phone", email.DefangPhone(p))
	}
	b.WriteString(ind.Markdown())
	return b.String()
}

// headerContent is the headers as the model sees them.
func headerContent(msg *email.Message) string {
	var b strings.Builder
	for _, h := range msg.Headers {
		b.WriteString(h.Name + ": " + h.Value + "\n")
	}
	return b.String()
}

// bodyContent is the body as the model sees it: the envelope basics, the
// text and HTML parts, attachments and forwarded messages.
func bodyContent(msg *email.Message) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Subject: %s\nFrom: %s\nTo: %s\n\n", msg.Subject, msg.From, msg.To)
	if msg.Text != "" {
		b.WriteString("[text part]\n" + msg.Text + "\n\n")
	}
	if msg.HTMLText != "" && msg.HTMLText != msg.Text {
		b.WriteString("[HTML part, as text with link targets]\n" + msg.HTMLText + "\n\n")
	}
	for _, a := range msg.Attachments {
		fmt.Fprintf(&b, "[attachment] %s (%s, %d bytes, sha256 %s)\n", a.Name, a.ContentType, a.Size, a.SHA256)
	}
	for i, n := range msg.Nested {
		fmt.Fprintf(&b, "\n[forwarded message %d]\n%s", i+1, bodyContent(n))
	}
	return b.String()
}

// capText shortens s for display to about displayCap bytes, cutting
// between characters. Invalid UTF-8 is replaced first, so a stray byte
// cannot make the cut swallow the text.
func capText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= displayCap {
		return s
	}
	end := displayCap
	for end > 0 && !utf8.RuneStart(s[end]) {
		end--
	}
	return s[:end] + fmt.Sprintf(" … [%d more bytes]", len(s)-end)
}
