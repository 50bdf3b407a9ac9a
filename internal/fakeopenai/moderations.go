package fakeopenai

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/soarkit/openai-gpt/internal/lazyregexp"
)

// moderationCategories are the 13 categories every result carries.
var moderationCategories = []string{
	"harassment", "harassment/threatening", "hate", "hate/threatening", "illicit", "illicit/violent",
	"self-harm", "self-harm/intent", "self-harm/instructions", "sexual", "sexual/minors",
	"violence", "violence/graphic",
}

// imageCategories are the categories omni-moderation also scores images for;
// the others apply to text only.
var imageCategories = map[string]bool{
	"self-harm": true, "self-harm/intent": true, "self-harm/instructions": true,
	"sexual": true, "violence": true, "violence/graphic": true,
}

// moderationWords flag a category when a text (or an image URL) contains
// one of them, so tests can choose what gets flagged.
var moderationWords = map[string][]string{
	"harassment":             {"idiot", "loser", "stupid", "hate you"},
	"harassment/threatening": {"i will kill you", "i'll kill you", "i will hurt you"},
	"hate":                   {"hate"},
	"hate/threatening":       {"hate them all and will kill"},
	"illicit":                {"buy drugs", "cocaine", "counterfeit", "steal", "hack into"},
	"illicit/violent":        {"make a bomb", "build a bomb", "buy a gun"},
	"self-harm":              {"kill myself", "suicide", "self-harm", "hurt myself"},
	"self-harm/intent":       {"kill myself", "i want to die"},
	"self-harm/instructions": {"how to kill myself"},
	"sexual":                 {"porn", "nude", "explicit sex"},
	"sexual/minors":          {"sexual minor"},
	"violence":               {"kill", "murder", "stab", "shoot", "attack", "bomb"},
	"violence/graphic":       {"gore", "dismember", "blood everywhere"},
}

var imageDataURL = lazyregexp.New(`^data:image/(png|jpeg|jpg|gif|webp);base64,(.+)$`)

// moderationInput is one thing to score: a text or an image URL.
type moderationInput struct {
	image bool
	value string
}

type moderationResult struct {
	Flagged                   bool                `json:"flagged"`
	Categories                map[string]bool     `json:"categories"`
	CategoryScores            map[string]float64  `json:"category_scores"`
	CategoryAppliedInputTypes map[string][]string `json:"category_applied_input_types"`
}

// moderations answers POST /v1/moderations: one result per string of a
// string or string-array input, one result for a whole multimodal array.
func (s *Server) moderations(w http.ResponseWriter, r *http.Request) {
	body, rerr := decodeBody(r)
	if rerr != nil {
		rerr.write(w)
		return
	}
	if k := body.firstUnknown([]string{"input", "model"}); k != "" {
		invalidRequest("", "", "Unrecognized request argument supplied: %s", k).write(w)
		return
	}
	model := "omni-moderation-latest"
	if raw, ok := body["model"]; ok {
		var err *reqError
		if model, err = getString(raw, "model"); err != nil {
			err.write(w)
			return
		}
		m, ok := findModel(model)
		switch {
		case !ok:
			notFound("model", "model_not_found", "The model '%s' does not exist or you do not have access to it.", model).write(w)
			return
		case m.Kind != kindModeration:
			invalidRequest("model", "invalid_value", "The model '%s' is not a moderation model. Use omni-moderation-latest.", model).write(w)
			return
		}
	}
	groups, rerr := parseModerationInput(body)
	if rerr != nil {
		rerr.write(w)
		return
	}
	if strings.HasPrefix(model, "text-moderation") {
		for _, g := range groups {
			for _, in := range g {
				if in.image {
					invalidRequest("input", "", "Model '%s' does not support image inputs.", model).write(w)
					return
				}
			}
		}
	}
	out := struct {
		ID      string             `json:"id"`
		Model   string             `json:"model"`
		Results []moderationResult `json:"results"`
	}{ID: s.oai.newID("modr-", 29, false), Model: model}
	for _, g := range groups {
		out.Results = append(out.Results, moderate(g))
	}
	writeJSON(w, http.StatusOK, out)
}

// parseModerationInput returns the inputs grouped by result: a string array
// gives one group per string, a multimodal array one group for everything.
func parseModerationInput(body reqBody) ([][]moderationInput, *reqError) {
	raw, ok := body["input"]
	if !ok {
		return nil, missingParam("input")
	}
	switch jsonKind(raw) {
	case "string":
		s, _ := getString(raw, "input")
		return [][]moderationInput{{{value: s}}}, nil
	case "array":
	default:
		return nil, invalidRequest("input", "invalid_type",
			"Invalid type for 'input': expected one of a string, an array of strings or an array of objects, but got %s instead.", kindPhrase(jsonKind(raw)))
	}
	items, _ := getArray(raw, "input")
	if len(items) == 0 {
		return nil, invalidRequest("input", "empty_array",
			"Invalid 'input': empty array. Expected an array with minimum length 1, but got an empty array instead.")
	}
	if jsonKind(items[0]) == "string" {
		var groups [][]moderationInput
		for i, item := range items {
			s, err := getString(item, fmt.Sprintf("input[%d]", i))
			if err != nil {
				return nil, err
			}
			groups = append(groups, []moderationInput{{value: s}})
		}
		return groups, nil
	}
	var group []moderationInput
	for i, item := range items {
		in, err := parseMultiModal(item, fmt.Sprintf("input[%d]", i))
		if err != nil {
			return nil, err
		}
		group = append(group, in)
	}
	return [][]moderationInput{group}, nil
}

func parseMultiModal(raw json.RawMessage, param string) (moderationInput, *reqError) {
	obj, err := getObject(raw, param)
	if err != nil {
		return moderationInput{}, err
	}
	typRaw, ok := obj["type"]
	if !ok {
		return moderationInput{}, missingParam(param + ".type")
	}
	typ, err := getEnum(typRaw, param+".type", []string{"text", "image_url"})
	if err != nil {
		return moderationInput{}, err
	}
	if typ == "text" {
		t, ok := obj["text"]
		if !ok {
			return moderationInput{}, missingParam(param + ".text")
		}
		s, err := getString(t, param+".text")
		return moderationInput{value: s}, err
	}
	iu, ok := obj["image_url"]
	if !ok {
		return moderationInput{}, missingParam(param + ".image_url")
	}
	img, err := getObject(iu, param+".image_url")
	if err != nil {
		return moderationInput{}, err
	}
	u, ok := img["url"]
	if !ok {
		return moderationInput{}, missingParam(param + ".image_url.url")
	}
	s, err := getString(u, param+".image_url.url")
	if err != nil {
		return moderationInput{}, err
	}
	if err := checkImageURL(s, param+".image_url.url"); err != nil {
		return moderationInput{}, err
	}
	return moderationInput{image: true, value: s}, nil
}

// checkImageURL accepts an http(s) URL or a base64 data URL whose bytes
// really are a PNG, JPEG, GIF or WebP image.
func checkImageURL(s, param string) *reqError {
	if strings.HasPrefix(s, "data:") {
		m := imageDataURL.FindStringSubmatch(s)
		if m == nil {
			return invalidRequest(param, "invalid_image_url",
				"Invalid image URL: a data URL must look like 'data:image/<png|jpeg|gif|webp>;base64,<data>'.")
		}
		data, err := base64.StdEncoding.DecodeString(m[2])
		if err != nil {
			return invalidRequest(param, "invalid_image_url", "Invalid base64 image_url: %v.", err)
		}
		if !looksLikeImage(data) {
			return invalidRequest(param, "invalid_image_format",
				"The image data is not a valid image. Supported formats are png, jpeg, gif and webp.")
		}
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return invalidRequest(param, "invalid_image_url",
			"Invalid image URL: expected an http(s) URL or a base64 data URL, got '%s'.", firstRunes(s, 64))
	}
	return nil
}

func looksLikeImage(b []byte) bool {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")),
		bytes.HasPrefix(b, []byte("\xff\xd8\xff")),
		bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return true
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return true
	}
	return false
}

// moderate scores one group of inputs. A category's applied input types
// are the kinds of input in the group it can judge.
func moderate(group []moderationInput) moderationResult {
	res := moderationResult{Categories: map[string]bool{}, CategoryScores: map[string]float64{},
		CategoryAppliedInputTypes: map[string][]string{}}
	for _, cat := range moderationCategories {
		applied := []string{}
		score := 0.0
		for _, in := range group {
			kind := "text"
			if in.image {
				kind = "image"
				if !imageCategories[cat] {
					continue
				}
			}
			if !containsStr(applied, kind) {
				applied = append(applied, kind)
			}
			score = math.Max(score, categoryScore(cat, in.value))
		}
		res.CategoryScores[cat] = score
		res.Categories[cat] = score >= 0.5
		res.CategoryAppliedInputTypes[cat] = applied
		res.Flagged = res.Flagged || score >= 0.5
	}
	return res
}

// categoryScore is high (about 0.9) when the text holds one of the
// category's words, and a small deterministic noise otherwise.
func categoryScore(cat, text string) float64 {
	h := fnv.New32a()
	h.Write([]byte(cat + "\x00" + text))
	noise := float64(h.Sum32()%1000) / 1e6 // below 0.001
	if moderationPatterns()[cat].MatchString(text) {
		return 0.9 + noise*50
	}
	return 0.00001 + noise
}

// moderationPatterns match moderationWords as whole words ("kill", not
// "skill"); built on first use, not at every host-sim start.
var moderationPatterns = sync.OnceValue(func() map[string]*regexp.Regexp {
	m := map[string]*regexp.Regexp{}
	for cat, words := range moderationWords {
		quoted := make([]string, len(words))
		for i, w := range words {
			quoted[i] = regexp.QuoteMeta(w)
		}
		m[cat] = regexp.MustCompile(`(?i)\b(` + strings.Join(quoted, "|") + `)`)
	}
	return m
})

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
