package fakeopenai

import (
	"context"
	"encoding/base64"
	"net/http"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pngDataURL is a 1x1 PNG as a data URL.
const pngDataURL = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="

func TestModerationsWithSDK(t *testing.T) {
	_, base := startOAI(t)
	client := oaiClient(base)
	ctx := context.Background()

	m, err := client.Moderations.New(ctx, openai.ModerationNewParams{
		Model: openai.ModerationModelOmniModerationLatest,
		Input: openai.ModerationNewParamsInputUnion{OfStringArray: []string{"have a nice day", "I will kill you", "I hate them"}},
	})
	require.NoError(t, err)
	require.Len(t, m.Results, 3, "one result per string")
	assert.Equal(t, "omni-moderation-latest", m.Model)
	assert.False(t, m.Results[0].Flagged)
	assert.True(t, m.Results[1].Flagged)
	assert.True(t, m.Results[1].Categories.Violence)
	assert.True(t, m.Results[1].Categories.HarassmentThreatening)
	assert.Greater(t, m.Results[1].CategoryScores.Violence, 0.5)
	assert.Less(t, m.Results[0].CategoryScores.Violence, 0.01)
	assert.True(t, m.Results[2].Categories.Hate)
	assert.Equal(t, []string{"text"}, m.Results[0].CategoryAppliedInputTypes.Harassment)

	m, err = client.Moderations.New(ctx, openai.ModerationNewParams{
		Model: "omni-moderation-2024-09-26",
		Input: openai.ModerationNewParamsInputUnion{OfModerationMultiModalArray: []openai.ModerationMultiModalInputUnionParam{
			openai.ModerationMultiModalInputParamOfText("a skilled chef"),
			openai.ModerationMultiModalInputParamOfImageURL(openai.ModerationImageURLInputImageURLParam{URL: pngDataURL}),
		}},
	})
	require.NoError(t, err)
	require.Len(t, m.Results, 1, "one result for a multimodal array")
	r := m.Results[0]
	assert.False(t, r.Flagged, "'skilled' is not 'kill'")
	assert.Equal(t, []string{"text", "image"}, r.CategoryAppliedInputTypes.Violence)
	assert.Equal(t, []string{"text"}, r.CategoryAppliedInputTypes.Hate, "hate is scored on text only")
	assert.Contains(t, r.RawJSON(), `"self-harm/instructions"`)
}

func TestModerationsValidation(t *testing.T) {
	_, base := startOAI(t)
	img := func(url string) map[string]any {
		return map[string]any{"input": []any{map[string]any{"type": "image_url", "image_url": map[string]any{"url": url}}}}
	}
	cases := []struct {
		name string
		body any
		want wantErr
	}{
		{"missing input", map[string]any{"model": "omni-moderation-latest"},
			wantErr{400, strp("input"), strp("missing_required_parameter"), "Missing required parameter: 'input'."}},
		{"empty array", map[string]any{"input": []any{}},
			wantErr{400, strp("input"), strp("empty_array"), "empty array"}},
		{"input as number", map[string]any{"input": 5},
			wantErr{400, strp("input"), strp("invalid_type"), "Invalid type for 'input'"}},
		{"unknown model", map[string]any{"input": "x", "model": "moderation-9000"},
			wantErr{404, strp("model"), strp("model_not_found"), "does not exist"}},
		{"chat model", map[string]any{"input": "x", "model": "gpt-4o"},
			wantErr{400, strp("model"), strp("invalid_value"), "not a moderation model"}},
		{"malformed data url", img("data:image/png,notbase64"),
			wantErr{400, strp("input[0].image_url.url"), strp("invalid_image_url"), "data URL"}},
		{"bad base64", img("data:image/png;base64,!!!"),
			wantErr{400, strp("input[0].image_url.url"), strp("invalid_image_url"), "base64"}},
		{"not an image", img("data:image/png;base64," + base64.StdEncoding.EncodeToString([]byte("From: a@b\r\n\r\nhi"))),
			wantErr{400, strp("input[0].image_url.url"), strp("invalid_image_format"), "not a valid image"}},
		{"not a URL", img("file:///etc/passwd"),
			wantErr{400, strp("input[0].image_url.url"), strp("invalid_image_url"), "http(s)"}},
		{"image to a text model", map[string]any{"model": "text-moderation-latest",
			"input": []any{map[string]any{"type": "image_url", "image_url": map[string]any{"url": "https://example.com/a.png"}}}},
			wantErr{400, strp("input"), nil, "does not support image inputs"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkErr(t, postRaw(t, http.MethodPost, base+"/v1/moderations", c.body), c.want)
		})
	}
}
