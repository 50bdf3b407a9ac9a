package redact

import (
	"net/url"
	"strings"
)

// URLPassword returns v with the password of its user info
// (scheme://user:password@host) replaced by mask; any other value comes back
// as it is. A URL that does not parse is masked too, from the typed text:
// it is the one most likely to be shown back, in an error or a listing.
func URLPassword(v, mask string) string {
	if u, err := url.Parse(v); err == nil && u.Host != "" {
		if u.User == nil {
			return v
		}
		if _, ok := u.User.Password(); !ok {
			return v
		}
		// A placeholder url.URL will not escape, swapped for the mask after.
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
		return strings.Replace(u.String(), ":xxxxx@", ":"+mask+"@", 1)
	}
	// As typed: everything between the first ":" after "//" and the last
	// "@" may be the password (it may hold "/", "?" or "#", which is
	// often why the URL did not parse).
	scheme, rest, ok := strings.Cut(v, "//")
	if !ok {
		return v
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return v
	}
	user, _, ok := strings.Cut(rest[:at], ":")
	if !ok {
		return v
	}
	return scheme + "//" + user + ":" + mask + rest[at:]
}
