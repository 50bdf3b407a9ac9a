package gpt

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"
	"github.com/openai/openai-go/v3/shared"
)

// ResponseRequest is one Responses API call.
type ResponseRequest struct {
	Model        string // "": the client's Config.Model
	Input        string
	Instructions string
	PreviousID   string     // continue a stored response chain
	Gen          Generation // zero: the client's Config.Gen
	Effort       string     // reasoning effort; sent only to reasoning models
	Background   bool       // create in the background, then poll until done
	// CompactThreshold, when > 0, asks the server to compact the chain once
	// it passes this many tokens.
	CompactThreshold int64
	Schema           *Schema
}

// ResponseFailedError is a response that ended failed or cancelled.
type ResponseFailedError struct {
	ID, Status, Code, Message string
}

// Error says how the response ended, with OpenAI's code and message.
func (e *ResponseFailedError) Error() string {
	msg := fmt.Sprintf("response %s ended %s", e.ID, e.Status)
	if e.Code != "" {
		msg += fmt.Sprintf(" (%s)", e.Code)
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// StillRunningError is a background response the host's deadline did not
// let us wait for; it keeps running at OpenAI.
type StillRunningError struct {
	ID, Status string
	Err        error
}

// Error says the response is still running at OpenAI, and how to get it.
func (e *StillRunningError) Error() string {
	return fmt.Sprintf("background response %s was still %s when the command's deadline passed; it keeps running at OpenAI and can be fetched by its id", e.ID, e.Status)
}

// Unwrap returns the context error that ended the wait.
func (e *StillRunningError) Unwrap() error { return e.Err }

// Respond sends a Responses API request; a background one is polled with
// backoff until it is completed, failed, incomplete or cancelled, or until
// ctx ends.
func (c *Client) Respond(ctx context.Context, req ResponseRequest) (Answer, error) {
	req.Model, req.Gen = c.defaults(req.Model, req.Gen)
	params, notes := c.responseParams(req)
	create := func() (*responses.Response, error) {
		if req.Background {
			return c.createBackground(ctx, params)
		}
		return c.ResponsesAPI.New(ctx, params)
	}
	res, err := create()
	structured := req.Schema != nil
	if err != nil && structured && structuredUnsupported(err) {
		notes = append(notes, "structured output not available on this model or server ("+Describe(err)+"); answered as text")
		params.Text = responses.ResponseTextConfigParam{}
		structured = false
		res, err = create()
	}
	if err != nil {
		return Answer{}, err
	}
	if req.Background {
		if res, err = c.poll(ctx, res); err != nil {
			return Answer{}, err
		}
	}
	a, err := answerOf(res, req.Model)
	a.Structured = structured && a.IncompleteReason == "" && a.Refusal == ""
	a.Notes = append(notes, a.Notes...)
	return a, err
}

func (c *Client) responseParams(req ResponseRequest) (responses.ResponseNewParams, []string) {
	gen, note := req.Gen.forModel(req.Model)
	notes := appendNonEmpty(nil, note)
	p := responses.ResponseNewParams{
		Model: shared.ResponsesModel(req.Model),
		Input: responses.ResponseNewParamsInputUnion{OfString: openai.String(req.Input)},
	}
	if req.Instructions != "" {
		p.Instructions = openai.String(req.Instructions)
	}
	if req.PreviousID != "" {
		p.PreviousResponseID = openai.String(req.PreviousID)
	}
	if gen.MaxTokens != nil {
		p.MaxOutputTokens = openai.Int(*gen.MaxTokens)
	}
	if gen.Temperature != nil {
		p.Temperature = openai.Float(*gen.Temperature)
	}
	if gen.TopP != nil {
		p.TopP = openai.Float(*gen.TopP)
	}
	// Other models reject reasoning settings; the effort (which has a
	// default, so it is nearly always set) is dropped for them silently,
	// as the integration documents.
	if req.Effort != "" && IsReasoningModel(req.Model) {
		p.Reasoning = shared.ReasoningParam{Effort: shared.ReasoningEffort(req.Effort)}
	}
	if req.Background {
		p.Background = openai.Bool(true)
		p.Store = openai.Bool(true) // background responses must be stored
	}
	if req.CompactThreshold > 0 {
		p.ContextManagement = []responses.ResponseNewParamsContextManagement{{
			Type: "compaction", CompactThreshold: openai.Int(req.CompactThreshold),
		}}
	}
	if req.Schema != nil {
		format := responses.ResponseFormatTextConfigParamOfJSONSchema(req.Schema.Name, req.Schema.Doc)
		format.OfJSONSchema.Strict = openai.Bool(true)
		format.OfJSONSchema.Description = openai.String(req.Schema.Description)
		p.Text = responses.ResponseTextConfigParam{Format: format}
	}
	return p, notes
}

// poll waits for a background response to reach a terminal status.
func (c *Client) poll(ctx context.Context, res *responses.Response) (*responses.Response, error) {
	wait := c.pollInterval
	for res.Status == responses.ResponseStatusQueued || res.Status == responses.ResponseStatusInProgress {
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, &StillRunningError{ID: res.ID, Status: string(res.Status), Err: ctx.Err()}
		case <-timer.C:
		}
		next, err := c.ResponsesAPI.Get(ctx, res.ID, responses.ResponseGetParams{})
		if err != nil {
			if ctx.Err() != nil {
				return nil, &StillRunningError{ID: res.ID, Status: string(res.Status), Err: err}
			}
			return nil, err
		}
		res = next
		wait = min(wait*2, 5*time.Second)
	}
	return res, nil
}

// refusalOf is the text of the refusal parts of a response's messages:
// OutputText leaves them out, and an empty answer would not say why.
func refusalOf(res *responses.Response) string {
	var parts []string
	for _, item := range res.Output {
		if item.Type != "message" {
			continue
		}
		for _, c := range item.Content {
			if c.Type == "refusal" && c.Refusal != "" {
				parts = append(parts, c.Refusal)
			}
		}
	}
	return strings.Join(parts, " ")
}

// errEmptyResponse is an answer with none of a response's fields: `{}`
// parses as a Response, and would otherwise pass for an empty answer.
var errEmptyResponse = errors.New("the Responses API answered without a response id, status or output, so there is no answer to show; " +
	"the url parameter probably points at a server that does not implement the Responses API (POST /v1/responses)")

// answerOf reads a response in a terminal status.
func answerOf(res *responses.Response, requested string) (Answer, error) {
	if res.ID == "" && res.Status == "" && len(res.Output) == 0 {
		return Answer{}, errEmptyResponse
	}
	a := Answer{
		ID: res.ID, Model: res.Model, Status: string(res.Status), Text: res.OutputText(),
		InputTokens: res.Usage.InputTokens, OutputTokens: res.Usage.OutputTokens,
		TotalTokens: res.Usage.TotalTokens, ReasoningTokens: res.Usage.OutputTokensDetails.ReasoningTokens,
		Reasoning: IsReasoningModel(requested) || IsReasoningModel(res.Model),
	}
	if refusal := refusalOf(res); refusal != "" && a.Text == "" {
		a.refused(refusal)
	}
	switch res.Status {
	case responses.ResponseStatusFailed:
		return a, &ResponseFailedError{ID: res.ID, Status: string(res.Status), Code: string(res.Error.Code), Message: res.Error.Message}
	case responses.ResponseStatusCancelled:
		return a, &ResponseFailedError{ID: res.ID, Status: string(res.Status)}
	case responses.ResponseStatusIncomplete:
		a.IncompleteReason = res.IncompleteDetails.Reason
		if a.IncompleteReason == "" {
			a.IncompleteReason = "unknown reason"
		}
	}
	return a, nil
}
