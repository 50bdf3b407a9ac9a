package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/soarkit/openai-gpt/internal/email"
	"github.com/soarkit/openai-gpt/internal/gpt"
	"github.com/soarkit/openai-gpt/internal/prompts"
	"github.com/soarkit/openai-gpt/internal/protocol"
	"github.com/soarkit/openai-gpt/internal/warroom"
)

// emailAPI says which OpenAI API an analysis command uses.
type emailAPI int

const (
	viaChat      emailAPI = iota // gpt-check-email-*: Chat Completions, conversation context
	viaResponses                 // gpt-analyze-email-*: Responses API, response chain context
)

// analyzeEmail builds the handler of one of the four analysis commands.
func analyzeEmail(part emailPart, api emailAPI) Handler {
	return func(ctx context.Context, c *Call) (protocol.Result, error) {
		client, err := c.GPT()
		if err != nil {
			return protocol.Result{}, err
		}
		entryID := c.String("entry_id") // entryId on the check commands: same argument
		msg, name, err := readEmail(ctx, c.Host, entryID)
		if err != nil {
			return protocol.Result{}, err
		}
		prompt, err := emailPrompt(part, msg, c.String("additional_instructions"))
		if err != nil {
			return protocol.Result{}, err
		}

		var answer gpt.Answer
		if api == viaChat {
			answer, err = client.Chat(ctx, gpt.ChatRequest{
				Schema:   verdictSchema(),
				Messages: []gpt.Message{{Role: gpt.RoleSystem, Content: prompt.System}, {Role: gpt.RoleUser, Content: prompt.User}},
			})
		} else {
			if err = c.checkResponsesTokens(); err != nil {
				return protocol.Result{}, err
			}
			answer, err = client.Respond(ctx, gpt.ResponseRequest{
				Schema:       verdictSchema(),
				Instructions: prompt.System, Input: prompt.User, Effort: c.String("reasoning_effort"),
			})
		}
		if err != nil {
			return protocol.Result{}, err
		}

		result := withEmailPhones(readAnalysis(answer), msg.Forensics.Indicators.Phones)
		text := result.Text
		if prompt.Cut != "" {
			answer.Notes = append(answer.Notes, "the email sent to the model was cut to "+prompt.Cut)
		}
		if result.Missing != "" {
			answer.Notes = append(answer.Notes, fmt.Sprintf("OpenAiChatGPTV3.Verdict now holds verdict=%s for entry %s (its reasons say why), replacing any earlier verdict",
				verdictUnknown, entryID))
		}
		title := "Email header analysis"
		if part == partBody {
			title = "Email body analysis"
		}
		res := protocol.Result{Entries: []protocol.Entry{
			parsedEntry(part, msg, name),
			warroom.Note(answerContents(answer, text), answerMarkdown(title, text, answer, responseIDOf(api, answer))),
		}}
		// The context keeps what the model said (result.Said), which later
		// turns replay to it; the UNKNOWN banner is for the analyst only.
		if api == viaChat {
			res.Outputs = append(res.Outputs, conversationOutput(turn{User: prompt.User, Assistant: result.Said}, true))
		} else {
			res.Outputs = append(res.Outputs, responseOutput(prompt.User, result.Said, answer.ID, true))
		}
		res.Outputs = append(res.Outputs, verdictOutput(result.Verdict, c.Name, entryID, answer.ID))
		return res, nil
	}
}

// responseIDOf is the id the usage table shows: a Responses API id, which
// later turns can continue; a chat completion's id is not shown there.
func responseIDOf(api emailAPI, a gpt.Answer) string {
	if api == viaResponses {
		return a.ID
	}
	return ""
}

func emailPrompt(part emailPart, msg *email.Message, instructions string) (prompts.Prompt, error) {
	if part == partHeader {
		return prompts.EmailHeader(prompts.Email{Content: headerContent(msg), Facts: msg.Facts(),
			AdditionalInstructions: instructions, Budget: prompts.HeaderBudget})
	}
	return prompts.EmailBody(prompts.Email{Content: bodyContent(msg), Facts: msg.Facts(),
		AdditionalInstructions: instructions, Budget: prompts.BodyBudget})
}

// createSOCEmailTemplate is gpt-create-soc-email-template: a SOC email from
// the chat conversation so far, appended to it.
func createSOCEmailTemplate(ctx context.Context, c *Call) (protocol.Result, error) {
	if err := requireAnalysis(ctx, c.Host, analysisForTemplate); err != nil {
		return protocol.Result{}, err
	}
	client, err := c.GPT()
	if err != nil {
		return protocol.Result{}, err
	}
	history, err := conversation(ctx, c)
	if err != nil {
		return protocol.Result{}, err
	}
	prompt, err := prompts.SOCEmail(c.String("additionalInstructions"))
	if err != nil {
		return protocol.Result{}, err
	}
	answer, sent, err := chatTurn(ctx, c, client, []string{prompt.System}, history, prompt.User)
	if err != nil {
		return protocol.Result{}, err
	}
	md := answerMarkdown("SOC email template", answer.Text, answer, "")
	if len(history) == 0 {
		md += "\n_No conversation in context: run gpt-check-email-body or gpt-check-email-header first for a template based on an analysis._\n"
	} else {
		md += fmt.Sprintf("\n_Based on %d of %d conversation turns._\n", sent, len(history))
	}
	return protocol.Result{
		Entries: []protocol.Entry{warroom.Note(answerContents(answer, answer.Text), md)},
		Outputs: []protocol.Output{conversationOutput(turn{User: prompt.User, Assistant: answer.Text}, false)},
	}, nil
}

// draftSOCEmail is gpt-draft-soc-email: continues the previous response
// (normally an analysis) so the model drafts from what it concluded.
func draftSOCEmail(ctx context.Context, c *Call) (protocol.Result, error) {
	// The instance's settings first: an analysis run now would not help
	// a max_tokens the Responses API refuses.
	if err := c.checkResponsesTokens(); err != nil {
		return protocol.Result{}, err
	}
	if err := requireAnalysis(ctx, c.Host, analysisForDraft); err != nil {
		return protocol.Result{}, err
	}
	client, err := c.GPT()
	if err != nil {
		return protocol.Result{}, err
	}
	previous, err := lastResponseID(ctx, c)
	if err != nil {
		return protocol.Result{}, err
	}
	prompt, err := prompts.SOCEmail(c.String("additional_instructions"))
	if err != nil {
		return protocol.Result{}, err
	}
	answer, err := client.Respond(ctx, gpt.ResponseRequest{
		Effort:       c.String("reasoning_effort"),
		Instructions: prompt.System, Input: prompt.User, PreviousID: previous,
	})
	if err != nil {
		return protocol.Result{}, err
	}
	if previous == "" {
		answer.Notes = append(answer.Notes, "no previous response in context: drafted without an analysis (run gpt-analyze-email-body first)")
	}
	out := responseOutput(prompt.User, answer.Text, answer.ID, true)
	// The context output as written, long texts shortened: the draft itself
	// is the next entry, whole.
	contextMD := warroom.NewTable("SOC email draft (OpenAiChatGPTV3.Response, replaces the previous one)", "response_id", "continues", "user", "assistant")
	contextMD.Row(answer.ID, previous, shorten(prompt.User, 160), shorten(answer.Text, 160))
	return protocol.Result{
		Entries: []protocol.Entry{
			warroom.Note(out.Value, contextMD.Markdown()),
			warroom.Note(answerContents(answer, answer.Text), answerMarkdown("SOC email draft", answer.Text, answer, answer.ID)),
		},
		Outputs: []protocol.Output{out},
	}, nil
}

// shorten cuts s to about n runes at a word boundary, marking the cut.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return cut + " …"
}
