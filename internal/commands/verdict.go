package commands

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/soarkit/openai-gpt/internal/email"
	"github.com/soarkit/openai-gpt/internal/gpt"
	"github.com/soarkit/openai-gpt/internal/protocol"
)

// verdictSchema asks the model for its analysis as prose plus a verdict a
// playbook can branch on (Structured Outputs, strict mode: every property
// required, no extras).
func verdictSchema() *gpt.Schema {
	list := map[string]any{"type": "array", "items": map[string]any{"type": "string"}}
	return &gpt.Schema{
		Name:        "email_verdict",
		Description: "A SOC analyst's verdict on a suspicious email, with the written analysis.",
		Doc: map[string]any{
			"type":                 "object",
			"additionalProperties": false,
			"required":             []any{"analysis", "verdict", "confidence", "reasons", "indicators"},
			"properties": map[string]any{
				"analysis":   map[string]any{"type": "string", "description": "The written analysis for the analyst, in markdown."},
				"verdict":    map[string]any{"type": "string", "enum": []any{"malicious", "suspicious", "benign"}},
				"confidence": map[string]any{"type": "number", "minimum": 0, "maximum": 1},
				"reasons":    list,
				"indicators": map[string]any{
					"type":                 "object",
					"additionalProperties": false,
					"required":             []any{"urls", "domains", "ips", "emails", "phones"},
					"properties":           map[string]any{"urls": list, "domains": list, "ips": list, "emails": list, "phones": list},
				},
			},
		},
	}
}

// Verdict is the structured verdict of an email analysis.
type Verdict struct {
	Analysis   string     `json:"analysis"`
	Verdict    string     `json:"verdict"`
	Confidence float64    `json:"confidence"`
	Reasons    []string   `json:"reasons"`
	Indicators Indicators `json:"indicators"`
}

// Indicators are what the model says to block or investigate.
type Indicators struct {
	URLs    []string `json:"urls"`
	Domains []string `json:"domains"`
	IPs     []string `json:"ips"`
	Emails  []string `json:"emails"`
	// Phones are E.164 numbers: the model's, and those the parser found
	// in the email (withEmailPhones).
	Phones []string `json:"phones"`
}

// parseVerdict reads a structured answer; a model that ignored the schema
// gives an error and the caller falls back to the text.
func parseVerdict(text string) (Verdict, error) {
	var v Verdict
	if err := json.Unmarshal([]byte(strings.TrimSpace(text)), &v); err != nil {
		return Verdict{}, fmt.Errorf("the answer is not the requested JSON: %w", err)
	}
	if !slices.Contains([]string{"malicious", "suspicious", "benign"}, v.Verdict) {
		return Verdict{}, fmt.Errorf("verdict %q is not malicious, suspicious or benign", v.Verdict)
	}
	if v.Confidence < 0 || v.Confidence > 1 {
		return Verdict{}, fmt.Errorf("confidence %g is outside 0–1", v.Confidence)
	}
	return v, nil
}

// orEmpty keeps JSON lists as [] rather than null.
func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// verdictUnknown is the verdict recorded for an analysis that gave none, so
// that an earlier email's verdict never stays in context looking current.
const verdictUnknown = "unknown"

// analysis is what an email analysis answer yields.
type analysis struct {
	// Text is for the analyst and the context: the verdict line, then the
	// written analysis (readable text, never a raw JSON fragment).
	Text string
	// Verdict is the structured verdict, or a verdictUnknown one whose
	// reasons say why there is none.
	Verdict Verdict
	// Missing says why there is no verdict ("" when there is one).
	Missing string
	// Said is what the model said, for the context that later turns replay
	// to it: Text without the UNKNOWN banner and the cut-off marker, which
	// belong in the war-room entry only.
	Said string
}

// readAnalysis splits an analysis answer into the analyst's text and the
// verdict. An answer without a usable verdict keeps what text it has and
// says truthfully why: refused, cut off (and by what), plain text instead
// of structured output, or JSON that is not a verdict.
func readAnalysis(a gpt.Answer) analysis {
	if a.Refusal != "" {
		res := missingVerdict("the model refused to analyse the email: "+a.Refusal, "", "")
		res.Said = a.Refusal
		return res
	}
	v, err := parseVerdict(a.Text)
	if err == nil {
		text := verdictMarkdown(v) + v.Analysis
		return analysis{Text: text, Verdict: v, Said: text}
	}
	switch {
	case a.IncompleteReason != "":
		why := "the answer was cut off (" + a.IncompleteReason + ") before the structured verdict was complete"
		if strings.Contains(a.IncompleteReason, "max") {
			why += "; run it again with a larger max_tokens"
		}
		return missingVerdict(why, readableAnalysis(a.Text), " … _[cut off: "+a.IncompleteReason+"]_")
	case strings.TrimSpace(a.Text) == "":
		return missingVerdict("the model returned no text (a refusal or an empty answer)", "", "")
	case !a.Structured:
		return missingVerdict("the model or server did not return structured output, so the answer is plain text", a.Text, "")
	}
	return missingVerdict("the answer is not a usable verdict ("+err.Error()+")", readableAnalysis(a.Text), "")
}

// missingVerdict is an analysis without a verdict: the entry's text is the
// UNKNOWN banner saying why, then what the model said (said) followed by
// cut, a marker of where it was cut off.
func missingVerdict(why, said, cut string) analysis {
	md := fmt.Sprintf("**Verdict: %s** (no structured verdict: %s)\n\n", strings.ToUpper(verdictUnknown), why)
	if said == "" {
		md += "_No analysis text was returned._"
	} else {
		md += said + cut
	}
	return analysis{Text: md, Said: said, Verdict: Verdict{Verdict: verdictUnknown, Reasons: []string{"no structured verdict: " + why}}, Missing: why}
}

// readableAnalysis is the written analysis held by a structured answer,
// even one cut off in the middle of it: the (possibly unterminated)
// "analysis" string of the JSON object. Text that is not a JSON object is
// prose and returned as is; a JSON object without a readable analysis
// gives "".
func readableAnalysis(text string) string {
	t := strings.TrimSpace(text)
	if !strings.HasPrefix(t, "{") {
		return t
	}
	dec := json.NewDecoder(strings.NewReader(t))
	if _, err := dec.Token(); err != nil {
		return ""
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		if key, _ := tok.(string); key == "analysis" {
			return strings.TrimSpace(jsonStringPrefix(t[dec.InputOffset():]))
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return ""
		}
	}
	return ""
}

// jsonStringPrefix decodes the string value that follows a key in s
// (`: "..."`), complete or cut off; an escape cut in half is dropped.
func jsonStringPrefix(s string) string {
	s = strings.TrimLeft(s, " \t\r\n")
	s, ok := strings.CutPrefix(s, ":")
	if !ok {
		return ""
	}
	s = strings.TrimLeft(s, " \t\r\n")
	if !strings.HasPrefix(s, `"`) {
		return ""
	}
	end, closed := len(s), false
	highSurrogate := -1 // where the last escape starts, if it is a \uD800-\uDBFF ending the text so far
scan:
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			n := 2
			if i+1 < len(s) && s[i+1] == 'u' {
				n = 6
			}
			if i+n > len(s) {
				end = i
				break scan
			}
			highSurrogate = -1
			if n == 6 {
				if r, err := strconv.ParseUint(s[i+2:i+6], 16, 16); err == nil && r >= 0xD800 && r < 0xDC00 {
					highSurrogate = i
				}
			}
			i += n - 1
			continue
		case '"':
			end, closed = i+1, true
			break scan
		}
		highSurrogate = -1
	}
	if !closed && highSurrogate >= 0 && highSurrogate+6 == end {
		end = highSurrogate // half of a pair: its other half was cut off
	}
	lit := s[:end]
	if !closed {
		lit += `"`
	}
	var out string
	if json.Unmarshal([]byte(lit), &out) != nil {
		return ""
	}
	return out
}

// verdictOutput is OpenAiChatGPTV3.Verdict for one analysed entry. It
// replaces whatever is there: the path always describes the last analysis,
// with verdict "unknown" (and the reason in reasons) when it gave none.
func verdictOutput(v Verdict, command, entryID, responseID string) protocol.Output {
	value := map[string]any{
		"verdict":    v.Verdict,
		"confidence": v.Confidence,
		"reasons":    orEmpty(v.Reasons),
		"indicators": map[string]any{
			"urls": orEmpty(v.Indicators.URLs), "domains": orEmpty(v.Indicators.Domains),
			"ips": orEmpty(v.Indicators.IPs), "emails": orEmpty(v.Indicators.Emails),
			"phones": orEmpty(v.Indicators.Phones),
		},
		"command":  command,
		"entry_id": entryID,
	}
	if responseID != "" {
		value["response_id"] = responseID
	}
	return protocol.Output{Prefix: pathVerdict, Value: value, ReplaceExisting: true}
}

// verdictMarkdown renders the verdict above the analysis text.
func verdictMarkdown(v Verdict) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**Verdict: %s** (confidence %.0f%%)\n\n", strings.ToUpper(v.Verdict), v.Confidence*100)
	if len(v.Reasons) > 0 {
		b.WriteString("Reasons:\n")
		for _, r := range v.Reasons {
			b.WriteString("- " + r + "\n")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// withEmailPhones adds the phone numbers the parser found in the email to
// the verdict's indicators and names them, defanged, under the verdict:
// callback phishing carries a number to call and no link, and the parser's
// libphonenumber check is surer of a number than the model's reading.
func withEmailPhones(a analysis, phones []string) analysis {
	// The model's numbers are kept only when libphonenumber agrees they
	// are numbers (E.164 then), like the ones found in the body.
	var kept []string
	for _, p := range a.Verdict.Indicators.Phones {
		if n, ok := email.NormalizePhone(p); ok && !slices.Contains(kept, n) {
			kept = append(kept, n)
		}
	}
	a.Verdict.Indicators.Phones = kept
	if len(phones) == 0 && len(kept) == 0 {
		return a
	}
	for _, p := range phones {
		if !slices.Contains(a.Verdict.Indicators.Phones, p) {
			a.Verdict.Indicators.Phones = append(a.Verdict.Indicators.Phones, p)
		}
	}
	shown := make([]string, len(a.Verdict.Indicators.Phones))
	for i, p := range a.Verdict.Indicators.Phones {
		shown[i] = email.DefangPhone(p)
	}
	line := "Phone numbers (callback phishing gives a number to call, not a link): " + strings.Join(shown, ", ") + "\n\n"
	// Under the verdict line, above the analysis.
	if i := strings.Index(a.Text, "\n\n"); i >= 0 {
		a.Text = a.Text[:i+2] + line + a.Text[i+2:]
	} else {
		a.Text = line + a.Text
	}
	return a
}
