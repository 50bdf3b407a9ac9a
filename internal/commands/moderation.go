package commands

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/soarkit/openai-gpt/internal/gpt"
	"github.com/soarkit/openai-gpt/internal/protocol"
	"github.com/soarkit/openai-gpt/internal/warroom"
)

// maxImageBytes is the Moderations API's image limit.
const maxImageBytes = 20 << 20

// moderationImageTypes are the formats the Moderations API takes.
var moderationImageTypes = []string{"image/png", "image/jpeg", "image/gif", "image/webp"}

// moderationInput is one thing moderated, as recorded in context.
type moderationInput struct {
	Type  string // text, image, image_url
	Value string // the text, the entry id, or the URL: never the image bytes
}

// createModeration is gpt-create-moderation: exactly one of text, entry_id
// or image_url.
func createModeration(ctx context.Context, c *Call) (protocol.Result, error) {
	client, err := c.GPT()
	if err != nil {
		return protocol.Result{}, err
	}
	texts, entryID, imageURL := c.Strings("text"), c.String("entry_id"), c.String("image_url")
	given := 0
	for _, ok := range []bool{len(texts) > 0, entryID != "", imageURL != ""} {
		if ok {
			given++
		}
	}
	if given != 1 {
		return protocol.Result{}, errors.New("give exactly one of text (comma-separated), entry_id (an image file entry) or image_url (http/https)")
	}
	model := c.String("model")
	if model == "" {
		model = "omni-moderation-latest"
	}

	var inputs []moderationInput
	var results []gpt.ModerationResult
	switch {
	case len(texts) > 0:
		for _, t := range texts {
			inputs = append(inputs, moderationInput{Type: "text", Value: t})
		}
		results, err = client.ModerateTexts(ctx, model, texts)
	case entryID != "":
		dataURL, ferr := imageDataURL(ctx, c.Host, entryID)
		if ferr != nil {
			return protocol.Result{}, ferr
		}
		inputs = []moderationInput{{Type: "image", Value: entryID}}
		results, err = moderateOne(ctx, client, model, dataURL)
	default:
		if err := checkImageURL(imageURL); err != nil {
			return protocol.Result{}, err
		}
		inputs = []moderationInput{{Type: "image_url", Value: imageURL}}
		results, err = moderateOne(ctx, client, model, imageURL)
	}
	if err != nil {
		return protocol.Result{}, err
	}

	var md strings.Builder
	value := make([]any, len(results))
	for i, r := range results {
		md.WriteString(moderationTable(inputs[i], r).Markdown())
		md.WriteString("\n")
		value[i] = map[string]any{
			"Input":          map[string]any{"input_type": inputs[i].Type, "input_value": inputs[i].Value},
			"Flagged":        r.Flagged,
			"Categories":     r.Categories,
			"CategoryScores": r.CategoryScores,
		}
	}
	return protocol.Result{
		Entries: []protocol.Entry{warroom.Note(value, md.String())},
		Outputs: []protocol.Output{{Prefix: pathModeration, Value: value}},
	}, nil
}

func moderateOne(ctx context.Context, client *gpt.Client, model, url string) ([]gpt.ModerationResult, error) {
	r, err := client.ModerateImage(ctx, model, url)
	if err != nil {
		return nil, err
	}
	return []gpt.ModerationResult{r}, nil
}

// moderationTable lists every category with its flag and score, flagged
// ones first so an analyst sees them at a glance.
func moderationTable(in moderationInput, r gpt.ModerationResult) *warroom.Table {
	verdict := "not flagged"
	if r.Flagged {
		verdict = "FLAGGED"
	}
	shown := in.Value
	if len(shown) > 80 {
		shown = shown[:77] + "..."
	}
	t := warroom.NewTable(fmt.Sprintf("Moderation of %s %q: %s", in.Type, shown, verdict), "Category", "Flagged", "Score")
	cats := make([]string, 0, len(r.CategoryScores))
	for k := range r.CategoryScores {
		cats = append(cats, k)
	}
	flagged := func(k string) bool { f := r.Categories[k]; return f != nil && *f }
	slices.SortFunc(cats, func(a, b string) int {
		if fa, fb := flagged(a), flagged(b); fa != fb {
			if fa {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	for _, k := range cats {
		mark := ""
		switch f, ok := r.Categories[k]; {
		case ok && f == nil:
			mark = "not evaluated"
		case flagged(k):
			mark = "⚠️ yes"
		}
		t.Row(k, mark, fmt.Sprintf("%.4f", r.CategoryScores[k]))
	}
	return t
}

// imageDataURL reads an image file entry and encodes it as a data URL,
// trusting the bytes (content sniffing) rather than the file name.
func imageDataURL(ctx context.Context, host protocol.Host, entryID string) (string, error) {
	f, err := host.ReadFile(ctx, entryID, maxImageBytes)
	if err != nil {
		return "", fmt.Errorf("entry_id %s: %w", entryID, err)
	}
	if len(f.Data) == 0 {
		return "", fmt.Errorf("entry_id %s (%s) is empty", entryID, f.Name)
	}
	mime := http.DetectContentType(f.Data)
	if !slices.Contains(moderationImageTypes, mime) {
		return "", fmt.Errorf("entry_id %s (%s) is %s, not an image the Moderations API takes (PNG, JPEG, GIF, WebP)", entryID, f.Name, mime)
	}
	return "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(f.Data), nil
}

func checkImageURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("image_url %q must be an http or https URL", raw)
	}
	return nil
}
