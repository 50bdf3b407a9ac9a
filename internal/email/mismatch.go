package email

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"

	"github.com/jhillyerd/enmime/v2"
	"golang.org/x/net/publicsuffix"
)

// Mismatch records that From and another sender header point at different
// organisations, a classic sign of spoofing or of replies being diverted.
type Mismatch struct {
	Header1, Domain1 string // always "From" and its domain
	Header2, Domain2 string // Reply-To, Return-Path or Sender, and its domain
	Note             string // a sentence for the analyst
}

// mismatches compares the From domain with Reply-To, Return-Path and Sender,
// by registrable domain (mail.example.com and example.com are the same
// organisation; example.com and example.net are not).
func (m *Message) mismatches() []Mismatch {
	fromDomains := addressDomains(m.From)
	if len(fromDomains) == 0 {
		return nil
	}
	from := fromDomains[0]
	var out []Mismatch
	for _, other := range []struct{ name, value string }{
		{"Reply-To", m.ReplyTo},
		{"Return-Path", m.ReturnPath},
		{"Sender", m.Sender},
	} {
		for _, d := range addressDomains(other.value) {
			if sameOrganisation(from, d) {
				continue
			}
			out = append(out, Mismatch{
				Header1: "From", Domain1: from,
				Header2: other.name, Domain2: d,
				Note: fmt.Sprintf("From is %s but %s is %s: %s", from, other.name, d, mismatchWhy(other.name)),
			})
		}
	}
	return out
}

func mismatchWhy(header string) string {
	switch header {
	case "Reply-To":
		return "replies go to a different organisation than the apparent sender"
	case "Return-Path":
		return "the envelope sender (what SPF checked) differs from the displayed sender"
	default:
		return "the message was sent on behalf of the displayed sender by another organisation"
	}
}

// addressDomains returns the lower-case domains of the addresses in an
// address header, deduplicated. It is lenient: when the list does not parse,
// it takes the text after the last "@" of each comma-separated piece.
func addressDomains(v string) []string {
	v = strings.TrimSpace(v)
	if v == "" || v == "<>" {
		return nil
	}
	var addrs []string
	if list, err := enmime.ParseAddressList(v); err == nil {
		for _, a := range list {
			addrs = append(addrs, a.Address)
		}
	} else if a, err := mail.ParseAddress(v); err == nil {
		addrs = append(addrs, a.Address)
	} else {
		addrs = strings.Split(v, ",")
	}
	var out []string
	for _, a := range addrs {
		i := strings.LastIndexByte(a, '@')
		if i < 0 {
			continue
		}
		d := strings.ToLower(strings.Trim(a[i+1:], " \t<>\"'[]."))
		if d == "" || strings.ContainsAny(d, " \t") || len(d) > 255 {
			continue
		}
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
		if len(out) >= 10 {
			break
		}
	}
	return out
}

// sameOrganisation reports whether two domains share a registrable domain
// (eTLD+1 under the public suffix list).
func sameOrganisation(a, b string) bool {
	return registrable(a) == registrable(b)
}

// registrable returns the eTLD+1 of d, or d itself when there is none (an IP
// literal, a bare suffix, a made-up TLD still has an ICANN-less "+1").
func registrable(d string) string {
	d = strings.TrimSuffix(strings.ToLower(d), ".")
	if r, err := publicsuffix.EffectiveTLDPlusOne(d); err == nil {
		return r
	}
	return d
}
