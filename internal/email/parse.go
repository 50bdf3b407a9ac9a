// Package email parses untrusted .eml files and computes header forensics
// (authentication results, the Received chain, sender mismatches and body
// indicators) without asking a model.
//
// Everything here treats its input as hostile: sizes are capped, malformed
// MIME is tolerated as far as enmime allows (its complaints become Warnings),
// and a panic inside a library becomes an error instead of a crash.
package email

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jhillyerd/enmime/v2"
	"github.com/jhillyerd/enmime/v2/mediatype"
)

// DefaultMaxBytes is the largest .eml the package accepts: 40 MiB, room for
// a 20 MB attachment once base64 has grown it by a third (about 28 MB of
// file), plus the rest of the message. Callers should cap what they read at
// this size; Parse rejects anything larger.
const DefaultMaxBytes = 40 << 20

// Limits that bound the work done on one message, whatever its content.
const (
	maxNestDepth   = 3   // message/rfc822 inside message/rfc822 ...
	maxNested      = 20  // nested messages parsed per message
	maxWarnings    = 50  // warnings kept per message
	maxPartErrors  = 20  // enmime errors stored per MIME part
	maxHeaders     = 500 // header fields kept in Message.Headers
	maxHeaderBytes = 1 << 20
)

// Sentinel errors. Parse wraps them with detail; test with errors.Is.
var (
	// ErrEmpty means the file has no content at all.
	ErrEmpty = errors.New("the email file is empty: attach the original .eml (with its headers) and try again")
	// ErrTooLarge means the file is over DefaultMaxBytes.
	ErrTooLarge = errors.New("the email file is too large: export the message without its large attachments, or analyse the attachments separately")
	// ErrNotEmail means the file does not start with an RFC 5322 header block
	// (for example an image, a PDF or plain prose).
	ErrNotEmail = errors.New("the file is not an email: expected an .eml with a header block (From:, To:, Subject:, ...); export the message as .eml / message/rfc822 and attach that")
	// ErrTooComplex means the MIME structure nests too deeply or has too
	// many parts to be parsed in reasonable time (see mimeShape).
	ErrTooComplex = errors.New("the email's MIME structure is too complex to analyse safely (real mail is far simpler; this is typical of a file built to stall parsers)")
	// ErrMalformed means the MIME structure was too broken to parse at all.
	ErrMalformed = errors.New("the email could not be parsed: its MIME structure is broken beyond repair; check the file was exported intact")
)

// Header is one header field, in the order it appears, with RFC 2047 encoded
// words decoded and folded lines joined.
type Header struct {
	Name  string
	Value string
}

// Attachment describes an attached or inline part. Its content is not kept:
// only what an analyst needs to look it up elsewhere.
type Attachment struct {
	Name        string
	ContentType string
	Size        int
	SHA256      string
}

// Message is a parsed email with its forensics.
type Message struct {
	// Headers are the top-level header fields in order, decoded.
	Headers []Header
	// First value of the common headers, decoded ("" when absent).
	Subject, From, To, Cc, ReplyTo, ReturnPath, Sender, Date, MessageID string
	// Text is the text/plain body as enmime assembles it (converted from the
	// HTML part when the message has no text/plain part).
	Text string
	// HTML is the HTML part's source, decoded to UTF-8; "" when the
	// message has no HTML part. Untrusted: show it escaped, never render it.
	HTML string
	// HTMLText is the HTML part rendered as readable text, links kept as
	// "text (url)"; "" when the message has no HTML part.
	HTMLText string
	// Attachments lists attachments and inline parts.
	Attachments []Attachment
	// Nested holds message/rfc822 parts (forwarded mail), parsed recursively
	// down to a fixed depth.
	Nested []*Message
	// Warnings are non-fatal parse problems, human-readable.
	Warnings []string
	// Cuts say what was left out to keep the work bounded on large mail: a
	// text part read in part, HTML rendered as text in part, indicators
	// searched in part. Human-readable; Facts reports them.
	Cuts []string
	// Forensics are the facts computed from headers and body.
	Forensics Forensics
}

// Forensics are header and body facts computed without a model.
type Forensics struct {
	Auth       []AuthResult
	Hops       []Hop
	Mismatches []Mismatch
	Indicators Indicators
}

// Parse parses raw as an email. The caller should already have capped the
// size; Parse still refuses anything over DefaultMaxBytes. It returns an error
// wrapping ErrEmpty, ErrTooLarge, ErrNotEmail or ErrMalformed when there is
// nothing useful to show, and otherwise a Message whose Warnings list what
// was tolerated.
func Parse(raw []byte) (*Message, error) {
	return parse(raw, 0)
}

func parse(raw []byte, depth int) (m *Message, err error) {
	// enmime and its dependencies (charset detection, HTML parsing) see
	// attacker-controlled bytes; a bug there must not take the plugin down.
	defer func() {
		if r := recover(); r != nil {
			m = nil
			err = fmt.Errorf("%w (internal parser failure: %v)", ErrMalformed, r)
		}
	}()

	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, ErrEmpty
	}
	if len(raw) > DefaultMaxBytes {
		return nil, fmt.Errorf("%w (%d bytes, limit %d)", ErrTooLarge, len(raw), DefaultMaxBytes)
	}
	raw = trimPreamble(raw)
	headers, why := scanHeaders(raw)
	if why != "" {
		return nil, fmt.Errorf("%w (%s)", ErrNotEmail, why)
	}

	l := scanLayout(raw)
	switch {
	case l.depth > maxMultipartDepth:
		return nil, fmt.Errorf("%w (multiparts nested more than %d deep)", ErrTooComplex, maxMultipartDepth)
	case l.parts > maxMIMEParts:
		return nil, fmt.Errorf("%w (more than %d MIME parts)", ErrTooComplex, maxMIMEParts)
	}
	sk := buildSkeleton(raw, l)
	env, err := newParser().ReadEnvelope(bytes.NewReader(sk.raw))
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrMalformed, err)
	}

	m = &Message{Headers: headers, Text: env.Text, Cuts: sk.cuts}
	m.fillCommonHeaders()
	for _, e := range env.Errors {
		if isFault(e) {
			m.warn(describeError(e))
		}
	}

	if env.HTML != "" {
		var hrefs []string
		m.HTML = env.HTML
		m.HTMLText, hrefs = htmlToText(env.HTML)
		if len(env.HTML) > maxHTMLBytes {
			m.Cuts = append(m.Cuts, fmt.Sprintf("HTML rendered as text: first %s of %s", kib(maxHTMLBytes), kib(len(env.HTML))))
		}
		if m.Text == "" {
			// enmime's own HTML down-conversion is disabled (see newParser) so
			// the HTML is parsed once; reuse the result as the text body.
			m.Text = m.HTMLText
		}
		htmlText := m.HTMLText
		if htmlText == m.Text {
			htmlText = "" // the same text: scan it once
		}
		m.Forensics.Indicators = extractIndicators(m.Text, htmlText, hrefs)
		m.noteIndicatorCut(len(m.Text) + len(htmlText))
	} else {
		m.Forensics.Indicators = extractIndicators(m.Text, "", nil)
		m.noteIndicatorCut(len(m.Text))
	}

	m.collectParts(env, depth, sk)
	m.Forensics.Auth = m.authResults()
	m.Forensics.Hops = m.hops()
	m.Forensics.Mismatches = m.mismatches()
	return m, nil
}

// newParser builds a tolerant enmime parser. It is cheap, so each call gets
// its own instead of sharing package state.
func newParser() *enmime.Parser {
	return enmime.NewParser(
		enmime.SkipMalformedParts(true),
		enmime.MultipartWOBoundaryAsSinglePart(true),
		enmime.SetReadPartErrorPolicy(enmime.AllowCorruptTextPartErrorPolicy),
		enmime.MaxStoredPartErrors(maxPartErrors),
		enmime.StripMediaTypeInvalidCharacters(true),
		// The HTML is converted once in htmlToText; enmime would do it a
		// second time with no way to reuse the parsed tree.
		enmime.DisableTextConversion(true),
		// Trust a declared charset instead of second-guessing it with
		// statistical detection, which cost more than the rest of the parse
		// on the corpus. Parts that declare none are still detected.
		enmime.DisableCharacterDetection(true),
		enmime.SetCustomParseMediaType(parseMediaType),
	)
}

// parseMediaType is enmime's own tolerant media type parser, plus RFC 2045's
// rule that a Content-Type without a subtype is not a type: "text" alone
// would otherwise make the body an attachment the model never reads.
func parseMediaType(ctype string) (string, map[string]string, []string, error) {
	mtype, params, invalid, err := mediatype.ParseWithOptions(ctype, mediatype.ParseOptions{StripMediaTypeInvalidCharacters: true})
	if err == nil && mtype == "text" {
		mtype = "text/plain"
	}
	return mtype, params, invalid, err
}

// notFaults are enmime notes that describe ordinary mail: most phishing is
// HTML-only, a part may omit Content-Type (RFC 2045 makes it text/plain),
// and a charset guess that disagrees with the declared one is only a guess.
// Reporting them as warnings labelled every other email "malformed" and
// buried the real faults (unknown transfer encodings, corrupt base64,
// unusable charsets) under them.
var notFaults = map[string]bool{
	enmime.ErrorPlainTextFromHTML:  true,
	enmime.ErrorMissingContentType: true,
	enmime.ErrorCharsetDeclaration: true,
}

// isFault reports whether an enmime note is a defect of the email worth
// showing; a note that lost part of the message always is.
func isFault(e *enmime.Error) bool {
	return e.Severe || !notFaults[e.Name]
}

// describeError turns an enmime error into an analyst-readable sentence.
func describeError(e *enmime.Error) string {
	s := e.Name
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	if e.Severe {
		s += " (part of the message could not be read)"
	}
	return truncate(s, 300)
}

func (m *Message) warn(s string) {
	if slices.Contains(m.Warnings, s) {
		return // enmime repeats a complaint once per bad character
	}
	if len(m.Warnings) < maxWarnings {
		m.Warnings = append(m.Warnings, s)
	} else if len(m.Warnings) == maxWarnings {
		m.Warnings = append(m.Warnings, "further warnings omitted")
	}
}

// header returns the first value of the named header, "" when absent.
func (m *Message) header(name string) string {
	for _, h := range m.Headers {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

// headerValues returns every value of the named header in message order.
func (m *Message) headerValues(name string) []string {
	var out []string
	for _, h := range m.Headers {
		if strings.EqualFold(h.Name, name) {
			out = append(out, h.Value)
		}
	}
	return out
}

func (m *Message) fillCommonHeaders() {
	m.Subject = m.header("Subject")
	m.From = m.header("From")
	m.To = m.header("To")
	m.Cc = m.header("Cc")
	m.ReplyTo = m.header("Reply-To")
	m.ReturnPath = m.header("Return-Path")
	m.Sender = m.header("Sender")
	m.Date = m.header("Date")
	m.MessageID = m.header("Message-Id")
}

// noteIndicatorCut records that the indicator search stopped short of the
// scanned text's n bytes.
func (m *Message) noteIndicatorCut(n int) {
	if n > maxIndicatorInput {
		m.Cuts = append(m.Cuts, fmt.Sprintf("indicators searched in the first %s of %s of text", kib(maxIndicatorInput), kib(n)))
	}
}

// collectParts fills Attachments (attachments, inlines and other non-text
// leaves) and parses message/rfc822 parts into Nested. Parts whose body
// the skeleton kept from enmime carry a marker as content; their size and
// hash were computed while the skeleton was built.
func (m *Message) collectParts(env *enmime.Envelope, depth int, sk *skeleton) {
	seen := make(map[*enmime.Part]bool)
	add := func(parts []*enmime.Part) {
		for _, p := range parts {
			if p == nil || seen[p] || strings.HasPrefix(p.ContentType, "multipart/") {
				continue
			}
			seen[p] = true
			a := Attachment{Name: p.FileName, ContentType: p.ContentType}
			if sp := sk.stripped[string(p.Content)]; sp != nil {
				a.Size, a.SHA256 = sp.size, sp.sha256
				if sp.fault != "" {
					m.warn(sp.fault)
				}
			} else {
				sum := sha256.Sum256(p.Content)
				a.Size, a.SHA256 = len(p.Content), hex.EncodeToString(sum[:])
			}
			m.Attachments = append(m.Attachments, a)
		}
	}
	add(env.Attachments)
	add(env.Inlines)
	add(env.OtherParts)

	if env.Root == nil {
		return
	}
	nested := env.Root.DepthMatchAll(func(p *enmime.Part) bool {
		return p != env.Root && isMessagePart(p.ContentType)
	})
	for i, p := range nested {
		if depth+1 > maxNestDepth {
			m.warn(fmt.Sprintf("forwarded message nested deeper than %d levels was not parsed", maxNestDepth))
			return
		}
		if i >= maxNested {
			m.warn(fmt.Sprintf("only the first %d forwarded messages were parsed", maxNested))
			return
		}
		content := p.Content
		if sp := sk.stripped[string(content)]; sp != nil && sp.message != nil {
			content = sp.message
		}
		sub, err := parse(content, depth+1)
		if err != nil {
			m.warn(fmt.Sprintf("forwarded message %q could not be parsed: %v", p.FileName, err))
			continue
		}
		m.Nested = append(m.Nested, sub)
	}
}

func isMessagePart(ct string) bool {
	ct = strings.ToLower(ct)
	return ct == "message/rfc822" || ct == "message/global"
}

// truncate cuts s to at most n bytes on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && cut < len(s) && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}
