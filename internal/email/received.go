package email

import (
	"net/mail"
	"net/netip"
	"strings"
	"time"
)

const maxHops = 50

// Hop is one Received header: a server handing the message to the next.
type Hop struct {
	// From is the sending host as the receiving server recorded it, with its
	// own comment (usually reverse DNS and IP), e.g.
	// "mail.example.com (mail.example.com [192.0.2.1])".
	From string
	// IP is the first IP address in the from clause, "" when none.
	IP string
	// By is the receiving host.
	By string
	// With is the protocol (SMTP, ESMTPS, HTTP, ...).
	With string
	// Time is the date after the ";", zero when missing or unparsable.
	Time time.Time
	// Delay is Time minus the previous (older) hop's Time; zero when either
	// is unknown. Negative values mean the clocks disagree.
	Delay time.Duration
	// Raw is the unfolded header value.
	Raw string
}

// hops parses the Received chain, oldest first (headers are prepended by
// each server, so message order is newest first).
func (m *Message) hops() []Hop {
	values := m.headerValues("Received")
	if len(values) > maxHops {
		values = values[:maxHops] // the topmost are the ones our servers added
	}
	if len(values) == 0 {
		return nil
	}
	out := make([]Hop, 0, len(values))
	for i := len(values) - 1; i >= 0; i-- {
		h := parseReceived(values[i])
		if n := len(out); n > 0 && !h.Time.IsZero() && !out[n-1].Time.IsZero() {
			h.Delay = h.Time.Sub(out[n-1].Time)
		}
		out = append(out, h)
	}
	return out
}

// parseReceived reads "from A (comment) by B with C id D for <E>; date".
// Comments are skipped when looking for keywords, because they often hold
// words like "with" ("using TLSv1.3 with cipher ...").
func parseReceived(v string) Hop {
	h := Hop{Raw: truncate(v, 2000)}
	clauses, date := v, ""
	if i := strings.LastIndexByte(v, ';'); i >= 0 {
		clauses, date = v[:i], strings.TrimSpace(v[i+1:])
	}
	h.Time = parseDate(date)

	toks := receivedTokens(clauses)
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.comment || i+1 >= len(toks) || toks[i+1].comment {
			continue
		}
		next := toks[i+1].text
		switch strings.ToLower(t.text) {
		case "from":
			if h.From != "" {
				continue
			}
			// The host as announced, then the receiving server's comments
			// about it ("(HELO x) (192.0.2.1)", "(rdns [192.0.2.1])").
			h.From = next
			for j := i + 2; j < len(toks) && j < i+4 && toks[j].comment; j++ {
				h.From += " " + toks[j].text
			}
			h.IP = firstIP(h.From)
			h.From = truncate(h.From, 300)
		case "by":
			if h.By == "" {
				h.By = truncate(next, 300)
			}
		case "with":
			if h.With == "" {
				h.With = truncate(next, 100)
			}
		}
	}
	return h
}

type receivedToken struct {
	text    string
	comment bool
}

// receivedTokens splits a Received value into words and whole "(...)"
// comments, honouring nesting.
func receivedTokens(s string) []receivedToken {
	var toks []receivedToken
	for i := 0; i < len(s) && len(toks) < 200; {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			i++
		case c == '(':
			depth, j := 0, i
			for ; j < len(s); j++ {
				if s[j] == '(' {
					depth++
				} else if s[j] == ')' {
					depth--
					if depth == 0 {
						j++
						break
					}
				}
			}
			toks = append(toks, receivedToken{text: s[i:j], comment: true})
			i = j
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\r\n(", rune(s[j])) {
				j++
			}
			toks = append(toks, receivedToken{text: s[i:j]})
			i = j
		}
	}
	return toks
}

// firstIP returns the first IPv4 or IPv6 literal in s, looking inside
// brackets and parentheses ("[192.0.2.1]", "(IPv6:2001:db8::1)").
func firstIP(s string) string {
	for _, f := range strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '[' || r == ']' || r == '(' || r == ')' || r == ',' || r == '='
	}) {
		f = strings.TrimPrefix(strings.TrimPrefix(f, "IPv6:"), "ipv6:")
		if a, err := netip.ParseAddr(f); err == nil {
			return a.Unmap().String()
		}
	}
	return ""
}

// dateLayouts are the forms seen in Received and Date headers that
// net/mail.ParseDate rejects.
var dateLayouts = []string{
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04:05",
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 06 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04 -0700",
	"Mon Jan 2 15:04:05 2006",
	"Mon Jan 2 15:04:05 -0700 2006",
	"Mon, 2 Jan 2006 15:04:05.999999999 -0700",
	time.RFC3339,
}

// parseDate reads an RFC 5322 date leniently; zero when it cannot.
func parseDate(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 200 {
		return time.Time{}
	}
	if t, err := mail.ParseDate(s); err == nil {
		return t
	}
	// Drop trailing comments such as "(PDT)" or "(UTC)" and squeeze spaces.
	s = strings.Join(strings.Fields(stripComments(s)), " ")
	if t, err := mail.ParseDate(s); err == nil {
		return t
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t
		}
	}
	return time.Time{}
}
