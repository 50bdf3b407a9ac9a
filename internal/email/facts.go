package email

import (
	"fmt"
	"strings"
	"time"
)

// Caps on what Facts prints, so the prompt stays small whatever the mail.
const (
	factsMaxAuth      = 20
	factsMaxHops      = 20
	factsMaxList      = 25
	factsMaxValue     = 200
	factsMaxBytes     = 12 << 10
	factsMaxNested    = 5
	factsMaxAttach    = 10
	factsDelayOutlier = time.Hour
)

// Facts summarises the forensics as compact plain text for the model prompt:
// authentication results, the Received chain with delays, sender mismatches,
// indicators and attachments. Values are raw (not defanged) so the model can
// quote them exactly, but every value is flattened to one line and truncated,
// so header content cannot forge extra lines of facts. The result is capped.
func (m *Message) Facts() string {
	var b strings.Builder
	m.writeFacts(&b, "")
	out := b.String()
	if len(out) > factsMaxBytes {
		out = truncate(out, factsMaxBytes) + "\n[facts truncated]\n"
	}
	return out
}

// factLines writes indented lines of facts.
type factLines struct {
	b      *strings.Builder
	indent string
}

func (w factLines) line(format string, args ...any) {
	w.b.WriteString(w.indent)
	fmt.Fprintf(w.b, format, args...)
	w.b.WriteByte('\n')
}

func (m *Message) writeFacts(b *strings.Builder, indent string) {
	w := factLines{b: b, indent: indent}
	f := &m.Forensics
	w.auth(f.Auth)
	w.hops(f.Hops)
	w.mismatches(f.Mismatches)
	w.list("URLs", f.Indicators.URLs)
	w.list("Domains", f.Indicators.Domains)
	w.list("IPs", f.Indicators.IPs)
	w.list("Email addresses", f.Indicators.Emails)
	if len(f.Indicators.Phones) > 0 { // "none" would add a line to every prompt for a rare indicator
		w.list("Phone numbers", f.Indicators.Phones)
	}
	w.attachments(m.Attachments)
	if len(m.Cuts) > 0 {
		// Say so, so a clean list is not read as covering the whole email.
		w.line("Read in part (size bounds): %s", oneLine(strings.Join(m.Cuts, "; ")))
	}
	for i, n := range m.Nested {
		if i == factsMaxNested || b.Len() > factsMaxBytes {
			w.line("... %d more forwarded messages", len(m.Nested)-i)
			break
		}
		w.line("Forwarded message %d: From %s, Subject %s", i+1, orDash(n.From), orDash(n.Subject))
		n.writeFacts(b, indent+"  ")
	}
}

func (w factLines) auth(results []AuthResult) {
	if len(results) == 0 {
		w.line("Authentication results: none recorded")
		return
	}
	w.line("Authentication results (topmost first; only those added by the recipient's own servers are trustworthy):")
	for i, a := range results {
		if i == factsMaxAuth {
			w.line("- ... %d more", len(results)-i)
			break
		}
		s := fmt.Sprintf("- %s=%s", oneLine(a.Method), oneLine(a.Result))
		if a.Method == "unparsed" {
			s = "- unparsed"
		}
		if a.Detail != "" {
			s += " " + oneLine(a.Detail)
		}
		src := a.Source
		if a.AuthServID != "" {
			src += " by " + oneLine(a.AuthServID)
		}
		w.line("%s [%s]", s, src)
	}
}

func (w factLines) hops(hops []Hop) {
	if len(hops) == 0 {
		w.line("Received chain: no Received headers")
		return
	}
	w.line("Received chain (%d hops, oldest first):", len(hops))
	for i, h := range hops {
		if i == factsMaxHops {
			w.line("... %d more hops", len(hops)-i)
			break
		}
		s := fmt.Sprintf("%d. from %s", i+1, orDash(h.From))
		if h.IP != "" && !strings.Contains(h.From, h.IP) {
			s += " [" + h.IP + "]"
		}
		s += " by " + orDash(h.By)
		if h.With != "" {
			s += " with " + oneLine(h.With)
		}
		if h.Time.IsZero() {
			s += "; time unknown"
		} else {
			s += "; " + h.Time.UTC().Format(time.RFC3339)
		}
		if i > 0 && !h.Time.IsZero() && !hops[i-1].Time.IsZero() {
			s += "; delay " + h.Delay.String()
			if h.Delay < 0 {
				s += " (negative: clocks disagree or the header is forged)"
			} else if h.Delay > factsDelayOutlier {
				s += " (unusually long)"
			}
		}
		w.line("%s", s)
	}
}

func (w factLines) mismatches(mismatches []Mismatch) {
	if len(mismatches) == 0 {
		w.line("Sender mismatches: none (From vs Reply-To, Return-Path, Sender)")
		return
	}
	w.line("Sender mismatches:")
	for _, mm := range mismatches {
		w.line("- %s", oneLine(mm.Note))
	}
}

func (w factLines) attachments(attachments []Attachment) {
	if len(attachments) == 0 {
		return
	}
	w.line("Attachments (%d):", len(attachments))
	for i, a := range attachments {
		if i == factsMaxAttach {
			w.line("- ... %d more", len(attachments)-i)
			break
		}
		w.line("- %s (%s, %d bytes, sha256 %s)", orDash(a.Name), orDash(a.ContentType), a.Size, a.SHA256)
	}
}

func (w factLines) list(label string, items []string) {
	if len(items) == 0 {
		w.line("%s in body: none", label)
		return
	}
	shown := items
	if len(shown) > factsMaxList {
		shown = shown[:factsMaxList]
	}
	vals := make([]string, len(shown))
	for i, v := range shown {
		vals[i] = oneLine(v)
	}
	s := strings.Join(vals, ", ")
	if len(items) > len(shown) {
		s += fmt.Sprintf(", ... %d more", len(items)-len(shown))
	}
	w.line("%s in body (%d): %s", label, len(items), s)
}

// oneLine flattens control characters (newlines included) to spaces and
// truncates, so an attacker-chosen value stays inside its own line.
func oneLine(s string) string {
	s = truncate(s, factsMaxValue)
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029 {
			return ' '
		}
		return r
	}, s)
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return oneLine(s)
}
