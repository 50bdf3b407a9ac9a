package email

import (
	"net/netip"
	"net/url"
	"strings"

	"mvdan.cc/xurls/v2"

	"github.com/soarkit/openai-gpt/internal/lazyregexp"
)

const (
	// maxIndicatorInput caps the body text scanned for indicators; the
	// interesting links of a phishing mail are never megabytes in.
	maxIndicatorInput = 1 << 20
	// maxIndicators caps each indicator list.
	maxIndicators = 200
	// maxTokenLen skips tokens too long to be a sensible indicator (base64
	// blobs pasted into a body), which would only cost regexp time.
	maxTokenLen = 4096
)

// Indicators are the observables found in the body text, the rendered HTML
// and the HTML's link attributes; each list is deduplicated, in first-seen
// order, and capped.
type Indicators struct {
	URLs    []string
	Domains []string
	IPs     []string
	Emails  []string
	// Phones are E.164 numbers (see phones.go): callback phishing gives
	// a number to call instead of a link.
	Phones []string
}

// Package-level regexps are compiled once, on first use (lazyregexp), and
// only ever read, which is safe for concurrent use.
var (
	// urlRe is xurls' strict matcher: URLs with a scheme only, because
	// scheme-less matching flags file names and sentences as domains.
	urlRe   = lazyregexp.Of(xurls.Strict)
	emailRe = lazyregexp.New(`[A-Za-z0-9._%+\-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}`)
	ipv4Re  = lazyregexp.New(`(?:^|[^0-9.])((?:[0-9]{1,3}\.){3}[0-9]{1,3})(?:$|[^0-9.])`)
	// wwwRe finds scheme-less "www." hosts, which phishing text often uses.
	wwwRe = lazyregexp.New(`(?i)(?:^|[^a-z0-9.-])(www\.(?:[a-z0-9-]+\.)+[a-z]{2,63})`)
)

// indicatorSet accumulates deduplicated, capped lists.
type indicatorSet struct {
	ind  Indicators
	seen map[string]bool
	// tokens already scanned: bodies repeat the same links many times, and
	// the rendered HTML repeats every href as "(url)".
	tokens map[string]bool
}

func (s *indicatorSet) add(list *[]string, kind, v string) {
	if v == "" || len(*list) >= maxIndicators {
		return
	}
	key := kind + "\x00" + v
	if s.seen[key] {
		return
	}
	s.seen[key] = true
	*list = append(*list, v)
}

// extractIndicators scans text, htmlText and the HTML link targets.
func extractIndicators(text, htmlText string, links []string) Indicators {
	s := &indicatorSet{seen: make(map[string]bool), tokens: make(map[string]bool)}
	budget := maxIndicatorInput
	for _, l := range links {
		s.scanLink(l)
	}
	for _, body := range []string{text, htmlText} {
		if budget <= 0 {
			break
		}
		if len(body) > budget {
			body = body[:budget]
		}
		budget -= len(body)
		s.scanText(body)
		s.addPhones(body)
	}
	return s.ind
}

// scanText walks whitespace-separated tokens and runs each matcher only on
// tokens that could hold its kind of indicator. URLs, addresses and IPs never
// contain whitespace, so this finds the same things as scanning the whole
// text while keeping the (large) xurls automaton off ordinary words.
func (s *indicatorSet) scanText(text string) {
	for len(text) > 0 {
		i := strings.IndexFunc(text, isNotSpace)
		if i < 0 {
			return
		}
		text = text[i:]
		j := strings.IndexFunc(text, isSpace)
		if j < 0 {
			j = len(text)
		}
		tok := text[:j]
		text = text[j:]
		tok = trimWrapping(tok)
		if len(tok) < 4 || len(tok) > maxTokenLen || s.tokens[tok] {
			continue
		}
		s.tokens[tok] = true
		s.scanToken(tok)
	}
}

func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', 0x85, 0xA0:
		return true
	}
	return false
}

func isNotSpace(r rune) bool { return !isSpace(r) }

// trimWrapping drops one layer of the brackets and quotes that surround
// links in text, so "(https://x)" and "https://x" count as one token.
func trimWrapping(tok string) string {
	if len(tok) < 2 {
		return tok
	}
	switch tok[0] {
	case '(', '<', '[', '"', '\'':
		tok = tok[1:]
	}
	switch tok[len(tok)-1] {
	case ')', '>', ']', '"', '\'', ',', '.':
		tok = tok[:len(tok)-1]
	}
	return tok
}

func (s *indicatorSet) scanToken(tok string) {
	hasColon := strings.IndexByte(tok, ':') >= 0
	// Only URLs with an authority ("scheme://") are of interest; xurls'
	// scheme-only forms (cid:, tel:, sms:) are noise, and mailto: addresses
	// are found by the address matcher below.
	if hasColon && strings.Contains(tok, "://") {
		for _, u := range urlRe.FindAllString(tok, 20) {
			s.addURL(u)
		}
	}
	if strings.IndexByte(tok, '@') >= 0 {
		for _, e := range emailRe.FindAllString(tok, 20) {
			s.addEmail(e)
		}
	}
	if strings.IndexByte(tok, '.') < 0 {
		return
	}
	if !hasColon && (strings.Contains(tok, "www.") || strings.Contains(tok, "WWW.")) {
		for _, m := range wwwRe.FindAllStringSubmatch(tok, 20) {
			s.add(&s.ind.Domains, "d", strings.ToLower(m[1]))
		}
	}
	if strings.ContainsAny(tok, "0123456789") {
		for _, m := range ipv4Re.FindAllStringSubmatch(tok, 20) {
			s.addIP(m[1])
		}
	}
}

// scanLink handles an href/src/action value: absolute URLs and mailto:
// targets count, relative paths and anchors do not.
func (s *indicatorSet) scanLink(l string) {
	if len(l) > maxTokenLen {
		l = l[:maxTokenLen]
	}
	if s.tokens[l] {
		return
	}
	s.tokens[l] = true
	if len(l) > 7 && strings.EqualFold(l[:7], "mailto:") {
		for _, e := range emailRe.FindAllString(l, 20) {
			s.addEmail(e)
		}
		return
	}
	if !strings.Contains(l, "://") {
		return // relative, anchor, cid: or javascript:
	}
	// A well-formed absolute link is taken as is: running the large xurls
	// automaton over every href was the costliest step on the corpus.
	if pu, err := url.Parse(l); err == nil && pu.Host != "" && isWebScheme(pu.Scheme) && !strings.ContainsAny(l, " \t\r\n<>\"") {
		s.add(&s.ind.URLs, "u", l)
		s.addHost(pu.Hostname())
		return
	}
	for _, u := range urlRe.FindAllString(l, 5) {
		s.addURL(u)
	}
}

func isWebScheme(scheme string) bool {
	switch strings.ToLower(scheme) {
	case "http", "https", "ftp", "ftps", "sftp", "ws", "wss":
		return true
	}
	return false
}

func (s *indicatorSet) addURL(u string) {
	lower := strings.ToLower(u)
	if strings.HasPrefix(lower, "mailto:") {
		for _, e := range emailRe.FindAllString(u, 20) {
			s.addEmail(e)
		}
		return
	}
	s.add(&s.ind.URLs, "u", u)
	pu, err := url.Parse(u)
	if err != nil {
		return
	}
	s.addHost(pu.Hostname())
}

func (s *indicatorSet) addEmail(e string) {
	s.add(&s.ind.Emails, "e", e)
	if i := strings.LastIndexByte(e, '@'); i >= 0 {
		s.addHost(e[i+1:])
	}
}

// addHost files a host under IPs or Domains.
func (s *indicatorSet) addHost(h string) {
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	if h == "" {
		return
	}
	if a, err := netip.ParseAddr(h); err == nil {
		s.add(&s.ind.IPs, "i", a.Unmap().String())
		return
	}
	if !strings.Contains(h, ".") {
		return // "localhost", a bare word: not a useful indicator
	}
	s.add(&s.ind.Domains, "d", h)
}

func (s *indicatorSet) addPhones(body string) {
	for _, p := range findPhones(body) {
		s.add(&s.ind.Phones, "p", p)
	}
}

func (s *indicatorSet) addIP(v string) {
	if a, err := netip.ParseAddr(v); err == nil && a.Is4() {
		s.add(&s.ind.IPs, "i", a.String())
	}
}
