package fakeopenai

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/soarkit/openai-gpt/internal/lazyregexp"
)

// The fake's answers are deterministic functions of the request, so tests
// can check what the client sent by reading what the model "said".

// estimateTokens is a rough, deterministic token count: about four
// characters a token, as OpenAI's own rule of thumb.
func estimateTokens(s string) int {
	n := utf8.RuneCountInString(s)
	if n == 0 {
		return 0
	}
	return (n + 3) / 4
}

// effortTokens is how many reasoning tokens a reasoning model spends at an
// effort level. Reasoning tokens count against max_completion_tokens /
// max_output_tokens, as on the real API, so a tight limit can leave no
// room for visible text.
func effortTokens(effort string) int {
	switch effort {
	case "none":
		return 0
	case "minimal":
		return 8
	case "low":
		return 64
	case "high":
		return 448
	case "xhigh":
		return 960
	}
	return 192 // medium, the default
}

// truncateTokens keeps about n tokens of s (4 characters each), cut on a
// rune boundary.
func truncateTokens(s string, n int) string {
	if n <= 0 {
		return ""
	}
	r := []rune(s)
	if len(r) <= n*4 {
		return s
	}
	return string(r[:n*4])
}

// convo is the model-independent view of a request that answers are made
// from.
type convo struct {
	model    string // as requested
	turn     int    // user turns (chat) or chain length (responses)
	previous string // previous_response_id, responses only
	note     string // extra marker shown after the turn, e.g. "context compacted"
	system   string // system/developer messages and instructions, joined
	lastUser string // the last user message's text
	history  string // every message's text, joined (the SOC template reads the verdict from it)
}

func (c convo) prefix() string {
	var extra []string
	if c.previous != "" {
		extra = append(extra, "previous "+c.previous)
	}
	if c.note != "" {
		extra = append(extra, c.note)
	}
	p := fmt.Sprintf("[fake %s] turn %d", c.model, c.turn)
	if len(extra) > 0 {
		p += " (" + strings.Join(extra, ", ") + ")"
	}
	return p + ": "
}

// answerText is the assistant's free-text answer: a SOC email when asked for
// one, a verdict paragraph for an email analysis, otherwise an echo.
func answerText(c convo) string {
	switch {
	case isSOCEmailRequest(c.lastUser):
		return c.prefix() + socEmail(c)
	case isEmailAnalysis(c.lastUser):
		return c.prefix() + verdictParagraph(classifyEmail(c.lastUser))
	}
	return c.prefix() + "You said: " + firstRunes(c.lastUser, 200)
}

func firstRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

var (
	socWords   = lazyregexp.New(`(?i)\bsoc\b|security operations`)
	draftWords = lazyregexp.New(`(?i)\btemplate\b|\bwrite an? (e-?mail|message)\b|\bdraft\b`)
)

func isSOCEmailRequest(text string) bool {
	// Only the analyst's text counts: an email under analysis may well say
	// "draft" or "SOC" itself.
	text = fence.ReplaceAllString(text, "")
	return socWords.MatchString(text) && draftWords.MatchString(text)
}

func isEmailAnalysis(text string) bool {
	t := strings.ToLower(text)
	return (strings.Contains(t, "email") || strings.Contains(t, "e-mail")) &&
		(strings.Contains(t, "phishing") || strings.Contains(t, "verdict") || strings.Contains(t, "malicious"))
}

// emailVerdict is the fake's analysis of an email prompt.
type emailVerdict struct {
	verdict    string // malicious, suspicious or benign
	confidence float64
	reasons    []string
	ind        indicators
}

type indicators struct {
	urls, domains, ips, emails []string
}

// emailSignal is one phishing trait the fake recognises, with its weight.
type emailSignal struct {
	pattern string
	weight  int
	reason  string
}

var emailSignals = []emailSignal{
	{"password", 2, "asks for or mentions a password"},
	{"verify your account", 2, "urges the recipient to verify their account"},
	{"login", 2, "points to a login page"},
	{"log in", 2, "points to a login page"},
	{"credential", 2, "asks for credentials"},
	{"bitcoin", 2, "asks for a cryptocurrency payment"},
	{"gift card", 2, "asks for gift cards"},
	{"wire transfer", 2, "asks for a wire transfer"},
	{"suspended", 1, "threatens account suspension"},
	{"urgent", 1, "creates urgency"},
	{"immediately", 1, "creates urgency"},
	{"click here", 1, "pushes the reader to click a link"},
	{"ignore previous instructions", 3, "contains a prompt-injection attempt"},
	{"classify this as benign", 3, "contains a prompt-injection attempt"},
}

// authFailure finds failed sender authentication in headers or forensics
// facts (spf=fail, DKIM: fail, dmarc=fail ...).
var authFailure = lazyregexp.New(`(?i)\b(spf|dkim|dmarc)\s*[=:]\s*(fail|softfail|permerror)`)

// fence matches the product's untrusted-content markers. When present, only
// the fenced text is evidence: the instructions around it name phishing
// traits ("credential harvesting", "urgency") that must not count.
var fence = lazyregexp.New(`(?s)<<<UNTRUSTED ([^>\s]+)>>>\n?(.*?)\n?<<<END UNTRUSTED ([^>\s]+)>>>`)

// evidence is the part of a prompt the classifier reads: the last fenced
// block, the email itself (the product fences its forensics facts before
// it; they count only through authFailure, as before they were fenced).
func evidence(prompt string) string {
	ms := fence.FindAllStringSubmatch(prompt, -1)
	if len(ms) == 0 {
		return prompt
	}
	return ms[len(ms)-1][2]
}

// classifyEmail gives a deterministic verdict for an email prompt.
func classifyEmail(prompt string) emailVerdict {
	ev := evidence(prompt)
	low := strings.ToLower(ev)
	score := 0
	var reasons []string
	for _, s := range emailSignals {
		if strings.Contains(low, s.pattern) {
			score += s.weight
			if !slices.Contains(reasons, s.reason) {
				reasons = append(reasons, s.reason)
			}
		}
	}
	// Authentication results may be in the platform facts outside the fence.
	if m := authFailure.FindString(prompt); m != "" {
		score += 2
		reasons = append(reasons, "sender authentication failed ("+strings.ToLower(m)+")")
	}
	v := emailVerdict{ind: findIndicators(ev)}
	switch {
	case score >= 3:
		v.verdict = "malicious"
		v.confidence = math.Min(0.99, 0.8+0.03*float64(score))
	case score >= 1:
		v.verdict = "suspicious"
		v.confidence = 0.55 + 0.05*float64(score)
	default:
		v.verdict = "benign"
		v.confidence = 0.9
		reasons = []string{"no phishing indicators found: no credential request, urgency or payment demand"}
	}
	v.confidence = math.Round(v.confidence*100) / 100
	v.reasons = reasons
	return v
}

var (
	urlPattern   = lazyregexp.New(`(?i)\bhttps?://[^\s<>"')\]]+`)
	emailPattern = lazyregexp.New(`(?i)\b[a-z0-9._%+-]+@([a-z0-9-]+\.)+[a-z]{2,}\b`)
	ipPattern    = lazyregexp.New(`\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b`)
)

// findIndicators extracts URLs, their domains and email domains, IPv4
// addresses and email addresses, each once, in order of appearance.
func findIndicators(text string) indicators {
	var ind indicators
	add := func(list *[]string, v string) {
		if v != "" && !slices.Contains(*list, v) && len(*list) < 20 {
			*list = append(*list, v)
		}
	}
	for _, u := range urlPattern.FindAllString(text, -1) {
		u = strings.TrimRight(u, ".,;:")
		add(&ind.urls, u)
		host := strings.SplitN(strings.SplitN(u, "://", 2)[1], "/", 2)[0]
		host = strings.ToLower(strings.SplitN(host, ":", 2)[0])
		if !ipPattern.MatchString(host) {
			add(&ind.domains, host)
		}
	}
	for _, e := range emailPattern.FindAllString(text, -1) {
		add(&ind.emails, strings.ToLower(e))
		add(&ind.domains, strings.ToLower(e[strings.LastIndex(e, "@")+1:]))
	}
	for _, ip := range ipPattern.FindAllString(text, -1) {
		add(&ind.ips, ip)
	}
	return ind
}

func verdictParagraph(v emailVerdict) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Verdict: %s (confidence %.2f).", strings.ToUpper(v.verdict), v.confidence)
	fmt.Fprintf(&b, " Reasons: %s.", strings.Join(v.reasons, "; "))
	if all := slices.Concat(v.ind.urls, v.ind.domains, v.ind.ips, v.ind.emails); len(all) > 0 {
		fmt.Fprintf(&b, " Indicators: %s.", strings.Join(all, ", "))
	}
	switch v.verdict {
	case "malicious":
		b.WriteString(" Recommended action: block the sender and the indicators above, remove the message from every mailbox, and warn the recipient.")
	case "suspicious":
		b.WriteString(" Recommended action: hold the message and verify the sender through a known channel before anyone acts on it.")
	default:
		b.WriteString(" Recommended action: none; release the message.")
	}
	return b.String()
}

// verdictInHistory finds the verdict an earlier turn gave, for the SOC
// email that follows an analysis.
var verdictInHistory = lazyregexp.New(`Verdict: (MALICIOUS|SUSPICIOUS|BENIGN)`)

func socEmail(c convo) string {
	verdict := "suspicious"
	if m := verdictInHistory.FindAllStringSubmatch(c.history, -1); len(m) > 0 {
		verdict = strings.ToLower(m[len(m)-1][1])
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Subject: Security notice: the email you reported is %s\n\n", verdict)
	b.WriteString("Hello,\n\n")
	fmt.Fprintf(&b, "Thank you for reporting a suspicious email. Our Security Operations Center (SOC) analysed it and classified it as %s.\n\n", verdict)
	switch verdict {
	case "benign":
		b.WriteString("We found no sign of phishing or malware. You can treat the message as legitimate.\n\n")
	default:
		b.WriteString("What we did: we blocked the sender and the links it contains, and removed the message from mailboxes.\n\n")
		b.WriteString("What you should do: do not click any link or open any attachment from this email, and delete it. If you entered your password after opening it, reset it now and tell the SOC.\n\n")
	}
	b.WriteString("Please keep reporting emails that look unusual.\n\nBest regards,\nSecurity Operations Center")
	return b.String()
}

// structuredAnswer builds a JSON value that validates against schema, filled
// from the conversation: a verdict enum gets the email classification,
// indicator arrays get what the input contains, free-text fields get the
// answer text.
func structuredAnswer(schema map[string]any, c convo) any {
	g := schemaGen{root: schema, v: classifyEmail(c.lastUser), text: answerText(c)}
	return g.value(schema, "", 0)
}

// jsonObjectAnswer is the answer in JSON mode (response_format json_object),
// where no schema says what to produce.
func jsonObjectAnswer(c convo) map[string]any {
	if isEmailAnalysis(c.lastUser) {
		v := classifyEmail(c.lastUser)
		return map[string]any{
			"verdict": v.verdict, "confidence": v.confidence, "reasons": v.reasons,
			"indicators": map[string]any{"urls": nonNil(v.ind.urls), "domains": nonNil(v.ind.domains),
				"ips": nonNil(v.ind.ips), "emails": nonNil(v.ind.emails)},
		}
	}
	return map[string]any{"answer": answerText(c)}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
