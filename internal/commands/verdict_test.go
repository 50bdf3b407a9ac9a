package commands

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/gpt"
	"github.com/soarkit/openai-gpt/manifest"
)

const fullVerdict = `{"analysis":"The sender spoofs \"IT\".\nIt links to a login page.","confidence":0.93,` +
	`"indicators":{"domains":["evil.example"],"emails":[],"ips":[],"urls":["http://evil.example/login"]},` +
	`"reasons":["spoofed sender","credential harvesting"],"verdict":"malicious"}`

func TestReadAnalysis(t *testing.T) {
	tests := []struct {
		name        string
		answer      gpt.Answer
		verdict     string   // want Verdict.Verdict
		missing     []string // want in Missing (and in the unknown verdict's reasons)
		text        []string // want in Text
		notInText   []string
		wantMissing bool
		said        string // want in Said, when set
	}{
		{
			name:    "structured verdict",
			answer:  gpt.Answer{Text: fullVerdict, Structured: true},
			verdict: "malicious",
			text:    []string{"**Verdict: MALICIOUS** (confidence 93%)", "- spoofed sender", `The sender spoofs "IT".` + "\nIt links"},
		},
		{
			name: "responses cut off at max_output_tokens inside the analysis",
			answer: gpt.Answer{Text: `{"analysis":"The sender spoofs \"IT\".\nIt links to a lo`, Status: "incomplete",
				IncompleteReason: "max_output_tokens"},
			verdict: verdictUnknown, wantMissing: true,
			missing:   []string{"cut off (max_output_tokens)", "larger max_tokens"},
			text:      []string{"**Verdict: UNKNOWN**", `The sender spoofs "IT".` + "\nIt links to a lo …", "[cut off: max_output_tokens]"},
			notInText: []string{`{"analysis"`, `\"`, `\n`, "not set", "did not return"},
			said:      `The sender spoofs "IT".` + "\nIt links to a lo",
		},
		{
			name: "chat cut off at max_tokens: still flagged structured",
			answer: gpt.Answer{Text: `{"analysis":"Looks like phishing","confidence":0.9,"indicators":{"domains":["ev`,
				Structured: true, IncompleteReason: "max_tokens reached"},
			verdict: verdictUnknown, wantMissing: true,
			missing:   []string{"cut off (max_tokens reached)", "larger max_tokens"},
			text:      []string{"Looks like phishing …"},
			notInText: []string{"{", "confidence", "not the requested JSON"},
		},
		{
			name:    "cut off inside an escape",
			answer:  gpt.Answer{Text: `{"analysis":"caf\u00e9 and \u00`, IncompleteReason: "max_output_tokens"},
			verdict: verdictUnknown, wantMissing: true,
			missing: []string{"cut off"},
			text:    []string{"café and …"},
		},
		{
			name:    "cut off before any analysis text",
			answer:  gpt.Answer{Text: `{"anal`, IncompleteReason: "max_output_tokens"},
			verdict: verdictUnknown, wantMissing: true,
			missing:   []string{"cut off (max_output_tokens)"},
			text:      []string{"No analysis text was returned"},
			notInText: []string{`{"anal`},
		},
		{
			name:    "cut off by the content filter",
			answer:  gpt.Answer{Text: `{"analysis":"Partial`, IncompleteReason: "content_filter"},
			verdict: verdictUnknown, wantMissing: true,
			missing: []string{"cut off (content_filter)"},
			text:    []string{"Partial …"},
		},
		{
			name:    "refused",
			answer:  gpt.Answer{Text: "The model refused: I can't help with that.", Refusal: "I can't help with that."},
			verdict: verdictUnknown, wantMissing: true,
			missing: []string{"refused", "I can't help with that."},
			said:    "I can't help with that.",
		},
		{
			name:    "server without structured output answered prose",
			answer:  gpt.Answer{Text: "This email is a phishing attempt."},
			verdict: verdictUnknown, wantMissing: true,
			missing: []string{"did not return structured output"},
			text:    []string{"This email is a phishing attempt."},
			said:    "This email is a phishing attempt.",
		},
		{
			name:    "empty answer",
			answer:  gpt.Answer{Structured: true},
			verdict: verdictUnknown, wantMissing: true,
			missing: []string{"no text"},
		},
		{
			name:    "structured but not a verdict",
			answer:  gpt.Answer{Text: `{"analysis":"Fine.","verdict":"maybe","confidence":0.5,"reasons":[],"indicators":{}}`, Structured: true},
			verdict: verdictUnknown, wantMissing: true,
			missing:   []string{`verdict "maybe" is not malicious, suspicious or benign`},
			text:      []string{"Fine."},
			notInText: []string{`"verdict"`},
		},
		{
			name:    "complete JSON despite a plain-text fallback is still used",
			answer:  gpt.Answer{Text: fullVerdict},
			verdict: "malicious",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readAnalysis(tt.answer)
			assert.Equal(t, tt.verdict, got.Verdict.Verdict)
			assert.Equal(t, tt.wantMissing, got.Missing != "", "missing: %q", got.Missing)
			for _, m := range tt.missing {
				assert.Contains(t, got.Missing, m)
				require.Len(t, got.Verdict.Reasons, 1)
				assert.Contains(t, got.Verdict.Reasons[0], m, "the reason is in context too")
			}
			if tt.wantMissing {
				assert.Zero(t, got.Verdict.Confidence)
				assert.True(t, strings.HasPrefix(got.Text, "**Verdict: UNKNOWN** (no structured verdict: "+got.Missing+")"), got.Text)
				// The context (replayed to the model later) holds what the
				// model said: no banner, no marker of ours.
				for _, ours := range []string{"Verdict: UNKNOWN", "no structured verdict", "No analysis text was returned", "[cut off"} {
					assert.NotContains(t, got.Said, ours)
				}
			} else {
				assert.Equal(t, got.Text, got.Said)
			}
			if tt.said != "" {
				assert.Equal(t, tt.said, got.Said)
			}
			for _, s := range tt.text {
				assert.Contains(t, got.Text, s)
			}
			for _, s := range tt.notInText {
				assert.NotContains(t, got.Text, s)
			}
		})
	}
}

func TestReadableAnalysis(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"analysis":"done"}`, "done"},
		{`{"verdict":"benign","reasons":["a","b"],"analysis":"after other keys`, "after other keys"},
		{`  {"analysis" :  "spaced \"quote`, `spaced "quote`},
		{`{"analysis":"trailing backslash \`, "trailing backslash"},
		{`{"analysis":"half \ud83d`, "half"},
		{`{"analysis":"pair \ud83d\ude`, "pair"},
		{`{"analysis":"pair \ud83d\ude00 whole`, "pair \U0001F600 whole"},
		{`{"analysis":"escaped \\ud83d`, `escaped \ud83d`},
		{`{"verdict":"benign"}`, ""},
		{`{"analysis":42}`, ""},
		{`{"verdict":"benign","reasons":["cut`, ""},
		{"plain prose", "plain prose"},
		{"", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, readableAnalysis(tt.in), "%q", tt.in)
	}
}

// TestVerdictOutputsMatchTheManifest: both a verdict and an unknown one are
// what the host accepts for every analysis command, and replace the path.
func TestVerdictOutputsMatchTheManifest(t *testing.T) {
	known := readAnalysis(gpt.Answer{Text: fullVerdict, Structured: true})
	unknown := readAnalysis(gpt.Answer{Text: `{"analysis":"x`, IncompleteReason: "max_output_tokens"})
	for _, name := range []string{"gpt-check-email-header", "gpt-check-email-body", "gpt-analyze-email-header", "gpt-analyze-email-body"} {
		cmd, ok := manifest.Default().Command(name)
		require.True(t, ok, name)
		for _, a := range []analysis{known, unknown} {
			o := verdictOutput(a.Verdict, name, "7@1", "resp_1")
			assert.Equal(t, pathVerdict, o.Prefix)
			assert.True(t, o.ReplaceExisting, "the path always describes the last analysis")
			b, err := json.Marshal(o.Value)
			require.NoError(t, err)
			var v any
			require.NoError(t, json.Unmarshal(b, &v))
			require.NoError(t, cmd.ValidateOutput(o.Prefix, v), "%s: %s", name, b)
			m := v.(map[string]any)
			assert.Equal(t, "7@1", m["entry_id"])
			assert.Equal(t, name, m["command"])
			assert.Equal(t, a.Verdict.Verdict, m["verdict"])
		}
	}
	o := verdictOutput(unknown.Verdict, "gpt-check-email-body", "7@1", "")
	assert.NotContains(t, o.Value, "response_id", "no id from the chat path")
}

// TestVerdictCarriesEmailPhones: phone numbers found in the email join the
// verdict's indicators (E.164 in context) and show defanged in the entry.
func TestVerdictCarriesEmailPhones(t *testing.T) {
	a := readAnalysis(gpt.Answer{Text: strings.Replace(fullVerdict, `"urls":`, `"phones":["call +1 (888) 596-1028","not a number at all"],"urls":`, 1), Structured: true})
	a = withEmailPhones(a, []string{"+18885961028"})
	assert.Equal(t, []string{"+18885961028"}, a.Verdict.Indicators.Phones)
	assert.Contains(t, a.Text, "+1 888[-]596[-]1028")
	assert.NotContains(t, a.Text, "+18885961028")
	out := verdictOutput(a.Verdict, "gpt-analyze-email-body", "1@1", "")
	ind := out.Value.(map[string]any)["indicators"].(map[string]any)
	assert.Equal(t, []string{"+18885961028"}, ind["phones"])
	assert.Contains(t, verdictSchema().Doc["properties"].(map[string]any)["indicators"].(map[string]any)["required"], "phones")
}
