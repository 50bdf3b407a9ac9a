package email

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/emersion/go-msgauth/authres"
)

// Sources of an AuthResult.
const (
	SourceAuthResults    = "Authentication-Results"
	SourceReceivedSPF    = "Received-SPF"
	SourceARCAuthResults = "ARC-Authentication-Results"
)

const maxAuthResults = 100

// AuthResult is one authentication verdict recorded by a receiving server.
//
// Only the results added by your own mail servers (normally the topmost
// ones) are trustworthy: a sender can forge any header below them.
type AuthResult struct {
	// Method is the lower-case method: spf, dkim, dmarc, arc, or another
	// registered one (iprev, auth, compauth, ...); "unparsed" when the header
	// could not be read and Detail holds its raw value.
	Method string
	// Result is the lower-case result: pass, fail, softfail, neutral, none,
	// temperror, permerror, policy, ...
	Result string
	// Detail holds the properties that identify what was checked, such as
	// "smtp.mailfrom=evil.example header.d=evil.example".
	Detail string
	// Source names the header the result came from.
	Source string
	// AuthServID is the server that produced the result, when stated.
	AuthServID string
}

// authResults reads Authentication-Results, ARC-Authentication-Results and
// Received-SPF, topmost (most recently added) first.
func (m *Message) authResults() []AuthResult {
	var out []AuthResult
	for _, h := range m.Headers {
		if len(out) >= maxAuthResults {
			break
		}
		switch strings.ToLower(h.Name) {
		case "authentication-results":
			out = m.appendAuthRes(out, h.Value, SourceAuthResults)
		case "arc-authentication-results":
			out = m.appendAuthRes(out, stripARCInstance(h.Value), SourceARCAuthResults)
		case "received-spf":
			out = append(out, parseReceivedSPF(h.Value))
		}
	}
	return out
}

// appendAuthRes parses one Authentication-Results value. authres stops at
// the first malformed result, so what it read before is kept and the rest is
// recorded raw with a warning rather than dropped silently.
func (m *Message) appendAuthRes(out []AuthResult, value, source string) []AuthResult {
	clean := stripComments(value)
	// Microsoft 365 omits the authserv-id ("spf=pass ...; dkim=..."), which
	// authres would misread as a bad version; give it an empty one.
	if first, _, _ := strings.Cut(clean, ";"); isMethodResult(first) {
		clean = ";" + clean
	}
	id, results, err := authres.Parse(clean)
	for _, r := range results {
		if a, ok := fromAuthres(r); ok {
			a.Source, a.AuthServID = source, id
			out = append(out, a)
		}
	}
	if err != nil {
		m.warn(fmt.Sprintf("%s header only partly understood (%v): %s", source, err, truncate(value, 200)))
		out = append(out, AuthResult{Method: "unparsed", Detail: truncate(value, 500), Source: source, AuthServID: id})
	}
	return out
}

// isMethodResult reports whether s starts like "spf=pass" rather than like an
// authserv-id.
func isMethodResult(s string) bool {
	f := strings.Fields(s)
	if len(f) == 0 {
		return false
	}
	k, _, ok := strings.Cut(f[0], "=")
	return ok && k != ""
}

// fromAuthres flattens authres's per-method types into an AuthResult.
func fromAuthres(r authres.Result) (AuthResult, bool) {
	var (
		a     AuthResult
		props [][2]string
	)
	switch r := r.(type) {
	case *authres.SPFResult:
		a.Method, a.Result = "spf", string(r.Value)
		props = [][2]string{{"smtp.mailfrom", r.From}, {"smtp.helo", r.Helo}, {"reason", r.Reason}}
	case *authres.DKIMResult:
		a.Method, a.Result = "dkim", string(r.Value)
		props = [][2]string{{"header.d", r.Domain}, {"header.i", r.Identifier}, {"reason", r.Reason}}
	case *authres.DMARCResult:
		a.Method, a.Result = "dmarc", string(r.Value)
		props = [][2]string{{"header.from", r.From}, {"reason", r.Reason}}
	case *authres.ARCResult:
		a.Method, a.Result = "arc", string(r.Value)
		oldest := ""
		if r.OldestPass > 0 {
			oldest = strconv.Itoa(r.OldestPass)
		}
		props = [][2]string{{"smtp.remote-ip", r.RemoteIP}, {"header.oldest-pass", oldest}}
	case *authres.IPRevResult:
		a.Method, a.Result = "iprev", string(r.Value)
		props = [][2]string{{"policy.iprev", r.IP}, {"reason", r.Reason}}
	case *authres.AuthResult:
		a.Method, a.Result = "auth", string(r.Value)
		props = [][2]string{{"smtp.auth", r.Auth}, {"reason", r.Reason}}
	case *authres.DomainKeysResult:
		a.Method, a.Result = "domainkeys", string(r.Value)
		props = [][2]string{{"header.d", r.Domain}, {"header.from", r.From}, {"header.sender", r.Sender}, {"reason", r.Reason}}
	case *authres.SenderIDResult:
		a.Method, a.Result = "sender-id", string(r.Value)
		props = [][2]string{{"header." + strings.ToLower(r.HeaderKey), r.HeaderValue}, {"reason", r.Reason}}
	case *authres.GenericResult:
		a.Method, a.Result = strings.ToLower(r.Method), string(r.Value)
		keys := make([]string, 0, len(r.Params))
		for k := range r.Params {
			keys = append(keys, k)
		}
		sort.Strings(keys) // map order would make Detail differ run to run
		for _, k := range keys {
			props = append(props, [2]string{k, r.Params[k]})
		}
	default:
		return a, false
	}
	a.Result = strings.ToLower(a.Result)
	var d []string
	for _, p := range props {
		if p[1] != "" {
			d = append(d, p[0]+"="+p[1])
		}
	}
	a.Detail = truncate(strings.Join(d, " "), 500)
	return a, true
}

// stripARCInstance removes the "i=N;" instance tag that starts an
// ARC-Authentication-Results value, leaving a plain Authentication-Results.
func stripARCInstance(v string) string {
	t := strings.TrimSpace(v)
	if len(t) > 2 && strings.EqualFold(t[:2], "i=") {
		if _, rest, ok := strings.Cut(t, ";"); ok {
			return rest
		}
	}
	return v
}

// stripComments removes RFC 5322 comments "( ... )", nesting included. authres
// does not: a comment holding ";" or "=" would split or pollute a result.
func stripComments(s string) string {
	if !strings.Contains(s, "(") {
		return s
	}
	var (
		b      strings.Builder
		depth  int
		quoted bool
	)
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quoted:
			if c == '\\' && i+1 < len(s) {
				b.WriteByte(c)
				i++
				c = s[i]
			} else if c == '"' {
				quoted = false
			}
		case depth > 0:
			if c == '\\' {
				i++
			} else if c == '(' {
				depth++
			} else if c == ')' {
				depth--
			}
			continue
		case c == '"':
			quoted = true
		case c == '(':
			depth++
			b.WriteByte(' ')
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// parseReceivedSPF reads "Pass (comment) client-ip=1.2.3.4; envelope-from=...".
func parseReceivedSPF(v string) AuthResult {
	a := AuthResult{Method: "spf", Source: SourceReceivedSPF}
	clean := strings.TrimSpace(stripComments(v))
	result, rest, _ := strings.Cut(clean, " ")
	a.Result = strings.ToLower(strings.TrimSpace(result))
	if a.Result == "" {
		a.Result = "none"
	}
	var d []string
	for _, kv := range strings.FieldsFunc(rest, func(r rune) bool { return r == ';' || r == ' ' || r == '\t' }) {
		k, val, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		switch strings.ToLower(k) {
		case "client-ip", "envelope-from", "helo", "identity", "receiver", "problem", "mechanism":
			d = append(d, strings.ToLower(k)+"="+strings.Trim(val, `"`))
		}
	}
	a.Detail = truncate(strings.Join(d, " "), 500)
	return a
}
