package gpt

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/openai/openai-go/v3"
)

// ModerationResult is the verdict on one input.
type ModerationResult struct {
	Flagged bool
	// Categories maps each category to whether it was flagged; nil where
	// the API answered null (a category it did not evaluate for this
	// input, such as illicit for an image), which is not "not flagged".
	Categories     map[string]*bool
	CategoryScores map[string]float64
}

// ModerateTexts moderates each text; one result per text, in order.
func (c *Client) ModerateTexts(ctx context.Context, model string, texts []string) ([]ModerationResult, error) {
	return c.moderate(ctx, openai.ModerationNewParams{
		Model: model,
		Input: openai.ModerationNewParamsInputUnion{OfStringArray: texts},
	}, len(texts))
}

// ModerateImage moderates one image given by URL (http(s) or a data URL).
func (c *Client) ModerateImage(ctx context.Context, model, imageURL string) (ModerationResult, error) {
	res, err := c.moderate(ctx, openai.ModerationNewParams{
		Model: model,
		Input: openai.ModerationNewParamsInputUnion{OfModerationMultiModalArray: []openai.ModerationMultiModalInputUnionParam{
			openai.ModerationMultiModalInputParamOfImageURL(openai.ModerationImageURLInputImageURLParam{URL: imageURL}),
		}},
	}, 1)
	if err != nil {
		return ModerationResult{}, err
	}
	return res[0], nil
}

func (c *Client) moderate(ctx context.Context, params openai.ModerationNewParams, want int) ([]ModerationResult, error) {
	res, err := c.Moderations.New(ctx, params)
	if err != nil {
		return nil, err
	}
	if len(res.Results) != want {
		return nil, fmt.Errorf("OpenAI answered %d moderation results for %d inputs", len(res.Results), want)
	}
	out := make([]ModerationResult, len(res.Results))
	for i, r := range res.Results {
		// The raw JSON keeps OpenAI's category names ("harassment/threatening"),
		// which is what playbooks read.
		out[i].Flagged = r.Flagged
		if err := json.Unmarshal([]byte(r.Categories.RawJSON()), &out[i].Categories); err != nil {
			return nil, fmt.Errorf("decode moderation categories: %w", err)
		}
		if err := json.Unmarshal([]byte(r.CategoryScores.RawJSON()), &out[i].CategoryScores); err != nil {
			return nil, fmt.Errorf("decode moderation scores: %w", err)
		}
	}
	return out, nil
}
