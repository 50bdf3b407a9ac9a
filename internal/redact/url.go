package redact

import (
	"net/url"
	"strings"
)

// URLPassword returns v with the password of its user info
// (scheme://user:password@host) replaced by mask; any other value comes back
// as it is. A URL that does not parse, or parses without user info, is
// masked from the typed text (see TypedURLPassword): it is the one most
// likely to be shown back, in an error or a listing.
func URLPassword(v, mask string) string {
	if u, err := url.Parse(v); err == nil && u.Host != "" && u.User != nil {
		if _, ok := u.User.Password(); !ok {
			return v
		}
		// A placeholder url.URL will not escape, swapped for the mask after.
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
		return strings.Replace(u.String(), ":xxxxx@", ":"+mask+"@", 1)
	}
	start, end, ok := typedPassword(v)
	if !ok {
		return v
	}
	return v[:start] + mask + v[end:]
}

// TypedURLPassword returns the password of a URL as typed, escaped or
// not: everything between the first ":" after "//" and the last "@". It
// may hold "/", "?" or "#" (often why the URL does not parse, or parses
// with the password read as a port and a path), so it is not cut there.
// A URL with an "@" in its path and a port gives more than a password,
// which is the safe side for a secret.
func TypedURLPassword(v string) (string, bool) {
	start, end, ok := typedPassword(v)
	if !ok {
		return "", false
	}
	return v[start:end], true
}

// typedPassword locates TypedURLPassword's answer in v: v[start:end].
func typedPassword(v string) (start, end int, ok bool) {
	slashes := strings.Index(v, "//")
	if slashes < 0 {
		return 0, 0, false
	}
	rest := slashes + 2
	at := strings.LastIndex(v[rest:], "@")
	if at < 0 {
		return 0, 0, false
	}
	colon := strings.Index(v[rest:rest+at], ":")
	if colon < 0 {
		return 0, 0, false
	}
	return rest + colon + 1, rest + at, true
}
