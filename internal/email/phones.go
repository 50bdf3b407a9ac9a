package email

import (
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/soarkit/openai-gpt/internal/lazyregexp"
)

// Phone numbers are indicators of callback phishing ("your subscription
// was renewed, call us to cancel"): the body carries no link, only a number.
// Finding candidates is a regexp's job; deciding whether a candidate is a
// real number is libphonenumber's (its Go port), whose metadata knows every
// country's lengths and prefixes. Order numbers, dates and IP addresses are
// made of digits too, so a candidate must also look like a phone number as
// people write one (see phoneShape).

const (
	// maxPhones caps the phone list like the other indicator lists.
	maxPhones = maxIndicators
	// maxPhoneCandidates bounds the work on a body full of digits.
	maxPhoneCandidates = 500
)

var (
	// phoneCandidateRe is a run that starts with "+", "(" or a digit, ends
	// with a digit and holds only digits and the separators people put in
	// phone numbers (dashes of every width included: "+1 – (888) - 596").
	// Line breaks end a candidate.
	phoneCandidateRe = lazyregexp.New(`(?:\+|\(|\b)[0-9][0-9 \t().\-\x{2010}-\x{2015}\x{00A0}/]{5,40}[0-9]\)?`)
	// dateLikeRe is 2021-09-29, 29/09/2021, 29.09.2021, 2021/09/29.
	dateLikeRe = lazyregexp.New(`^(?:[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}|[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{2,4})$`)
	// dottedQuadRe is an IPv4 address (or a version number shaped like one).
	dottedQuadRe = lazyregexp.New(`^[0-9]{1,3}(?:\.[0-9]{1,3}){3}$`)
	// nanpGroupedRe is a North American number written in groups:
	// (888) 596-1028, 888-596-1028, 888.596.1028, 1-888-596-1028.
	nanpGroupedRe = lazyregexp.New(`^(?:1[ \-.]?)?(?:\([0-9]{3}\)[ \-.]?|[0-9]{3}[ \-.])[0-9]{3}[ \-.][0-9]{4}$`)
)

// dashReplacer turns the typographic dashes and no-break spaces of
// copy-pasted numbers into plain ones before shape checks.
var dashReplacer = strings.NewReplacer(
	"\u2010", "-", "\u2011", "-", "\u2012", "-", "\u2013", "-", "\u2014", "-", "\u2015", "-", "\u00a0", " ",
)

// findPhones returns the valid phone numbers in text in E.164 form
// (+18885961028), deduplicated in first-seen order.
func findPhones(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, loc := range phoneCandidateRe.FindAllStringIndex(text, maxPhoneCandidates) {
		if len(out) >= maxPhones {
			break
		}
		// A digit or letter glued to the candidate makes it part of a
		// longer token (an order number, a hex id): not a phone number.
		if loc[0] > 0 && isWordByte(text[loc[0]-1]) || loc[1] < len(text) && isWordByte(text[loc[1]]) {
			continue
		}
		e164, ok := phoneNumber(text[loc[0]:loc[1]])
		if ok && !seen[e164] {
			seen[e164] = true
			out = append(out, e164)
		}
	}
	return out
}

func isWordByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

// phoneNumber decides whether a candidate is a phone number: a plausible
// shape (phoneShape) and a number libphonenumber calls valid.
func phoneNumber(candidate string) (string, bool) {
	c := strings.TrimSpace(dashReplacer.Replace(candidate))
	region, ok := phoneShape(c)
	if !ok {
		return "", false
	}
	num, err := phonenumbers.Parse(c, region)
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return "", false
	}
	return phonenumbers.Format(num, phonenumbers.E164), true
}

// phoneShape says whether c is written like a phone number, and in which
// region to read it: an international number ("+" and a country code,
// read as such), or a North American one written in its usual groups
// (read as US, the region whose format it has). A bare run of digits is
// an order or invoice number far more often than a phone number, and a
// date or a dotted quad is never one.
func phoneShape(c string) (region string, ok bool) {
	digits := 0
	for i := 0; i < len(c); i++ {
		if c[i] >= '0' && c[i] <= '9' {
			digits++
		}
	}
	switch {
	case digits < 8 || digits > 15: // E.164 allows at most 15 digits
		return "", false
	case dateLikeRe.MatchString(c), dottedQuadRe.MatchString(c):
		return "", false
	case strings.HasPrefix(c, "+"):
		return "ZZ", true // the country code is written: no default region
	}
	// Separators other than single spaces and dashes are squeezed so that
	// "(888) - (596) - (1028)" reads as the groups it is.
	squeezed := squeezeSeparators(c)
	if nanpGroupedRe.MatchString(squeezed) {
		return "US", true
	}
	return "", false
}

// squeezeSeparators reduces each run of separators to one character (the
// first dash, else a space) and drops the parentheses around groups other
// than a leading area code.
func squeezeSeparators(c string) string {
	var b strings.Builder
	sep := ""
	for i := 0; i < len(c); i++ {
		ch := c[i]
		switch {
		case ch >= '0' && ch <= '9':
			if sep != "" && b.Len() > 0 {
				b.WriteString(sep)
			}
			sep = ""
			b.WriteByte(ch)
		case ch == '(' && b.Len() == 0:
			b.WriteByte(ch)
		case ch == ')' && b.Len() == 4 && strings.HasPrefix(b.String(), "("):
			b.WriteByte(ch)
		case ch == '-' || ch == '.' || ch == '/':
			if sep == "" || sep == " " {
				sep = string(ch)
			}
		default: // spaces, tabs, other parentheses
			if sep == "" {
				sep = " "
			}
		}
	}
	return b.String()
}

// DefangPhone shows an E.164 number (as Forensics and the verdict hold
// it) in international format with its digit groups split by "[-]", so no
// phone, softphone or data detector offers to dial it from the war room:
// +18885961028 becomes "+1 888[-]596[-]1028". Like Defang, it is for people
// only; stored values stay E.164.
func DefangPhone(e164 string) string {
	num, err := phonenumbers.Parse(e164, "ZZ")
	if err != nil {
		return e164
	}
	f := phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
	cc, rest, ok := strings.Cut(f, " ")
	if !ok {
		return f
	}
	return cc + " " + strings.NewReplacer(" ", "[-]", "-", "[-]").Replace(rest)
}

// NormalizePhone reads a phone number someone else wrote (a model's
// verdict, say) with the same rules as the body scan, returning its E.164
// form, or false when it is not a plausible, valid number.
func NormalizePhone(s string) (string, bool) {
	if len(s) > 64 {
		return "", false
	}
	return phoneNumber(s)
}
