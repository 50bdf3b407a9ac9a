package email

import (
	"strings"

	"github.com/soarkit/openai-gpt/internal/lazyregexp"
)

var (
	// schemeRe finds the schemes that make a string clickable.
	schemeRe = lazyregexp.New(`(?i)\b(?:(http)(s?)|(ftp)(s?))://`)
	// hostRe finds domain names (Unicode labels included) and IPv4 literals.
	hostRe = lazyregexp.New(`(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62}[\p{L}\p{N}])?\.)+(?:\p{L}{2,63}|xn--[a-zA-Z0-9-]{1,59})|(?:[0-9]{1,3}\.){3}[0-9]{1,3}`)
)

// Defang makes URLs, domains, IPs and addresses in s non-clickable for
// display: "http://" becomes "hxxp://", the last dot of a host becomes "[.]"
// (example[.]com, 1.2.3[.]4). It is idempotent. Stored values and values sent
// to other tools stay raw; only show Defang's output to people.
func Defang(s string) string {
	s = schemeRe.ReplaceAllStringFunc(s, func(m string) string {
		l := strings.ToLower(m)
		switch {
		case strings.HasPrefix(l, "https"):
			return "hxxps://"
		case strings.HasPrefix(l, "http"):
			return "hxxp://"
		case strings.HasPrefix(l, "ftps"):
			return "fxps://"
		default:
			return "fxp://"
		}
	})
	var b strings.Builder
	last := 0
	for _, loc := range hostRe.FindAllStringIndex(s, -1) {
		start, end := loc[0], loc[1]
		switch {
		case strings.HasPrefix(s[end:], "[.]"):
			// The tail of an already defanged host ("evil.example" in
			// "evil.example[.]com"): leave it, so Defang is idempotent.
			continue
		case start > 0 && s[start-1] == '/' && !(start > 1 && s[start-2] == '/'):
			continue // a path segment such as "/a.php", not a host
		}
		i := start + strings.LastIndexByte(s[start:end], '.')
		b.WriteString(s[last:i])
		b.WriteString("[.]")
		last = i + 1
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}
