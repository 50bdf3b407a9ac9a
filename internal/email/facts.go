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

func (m *Message) writeFacts(b *strings.Builder, indent string) {
	f := &m.Forensics
	line := func(format string, args ...any) {
		b.WriteString(indent)
		fmt.Fprintf(b, format, args...)
		b.WriteByte('\n')
	}

	if len(f.Auth) == 0 {
		line("Authentication results: none recorded")
	} else {
		line("Authentication results (topmost first; only those added by the recipient's own servers are trustworthy):")
		for i, a := range f.Auth {
			if i == factsMaxAuth {
				line("- ... %d more", len(f.Auth)-i)
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
			line("%s [%s]", s, src)
		}
	}

	if len(f.Hops) == 0 {
		line("Received chain: no Received headers")
	} else {
		line("Received chain (%d hops, oldest first):", len(f.Hops))
		for i, h := range f.Hops {
			if i == factsMaxHops {
				line("... %d more hops", len(f.Hops)-i)
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
			if i > 0 && !h.Time.IsZero() && !f.Hops[i-1].Time.IsZero() {
				s += "; delay " + h.Delay.String()
				if h.Delay < 0 {
					s += " (negative: clocks disagree or the header is forged)"
				} else if h.Delay > factsDelayOutlier {
					s += " (unusually long)"
				}
			}
			line("%s", s)
		}
	}

	if len(f.Mismatches) == 0 {
		line("Sender mismatches: none (From vs Reply-To, Return-Path, Sender)")
	} else {
		line("Sender mismatches:")
		for _, mm := range f.Mismatches {
			line("- %s", oneLine(mm.Note))
		}
	}

	ind := f.Indicators
	writeList(line, "URLs", ind.URLs)
	writeList(line, "Domains", ind.Domains)
	writeList(line, "IPs", ind.IPs)
	writeList(line, "Email addresses", ind.Emails)

	if len(m.Attachments) > 0 {
		line("Attachments (%d):", len(m.Attachments))
		for i, a := range m.Attachments {
			if i == factsMaxAttach {
				line("- ... %d more", len(m.Attachments)-i)
				break
			}
			line("- %s (%s, %d bytes, sha256 %s)", orDash(a.Name), orDash(a.ContentType), a.Size, a.SHA256)
		}
	}

	for i, n := range m.Nested {
		if i == factsMaxNested || b.Len() > factsMaxBytes {
			line("... %d more forwarded messages", len(m.Nested)-i)
			break
		}
		line("Forwarded message %d: From %s, Subject %s", i+1, orDash(n.From), orDash(n.Subject))
		n.writeFacts(b, indent+"  ")
	}
}

func writeList(line func(string, ...any), label string, items []string) {
	if len(items) == 0 {
		line("%s in body: none", label)
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
	line("%s in body (%d): %s", label, len(items), s)
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
