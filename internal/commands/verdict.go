package commands

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/soarkit/openai-gpt/internal/gpt"
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
					"required":             []any{"urls", "domains", "ips", "emails"},
					"properties":           map[string]any{"urls": list, "domains": list, "ips": list, "emails": list},
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
