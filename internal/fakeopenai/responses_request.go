package fakeopenai

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// Parsing and validating POST /v1/responses bodies the way the real API
// does: a request it would refuse gets its 400.

func parseRespRequest(r *http.Request) (respRequest, *reqError) {
	req := respRequest{store: true, effort: "medium", format: outputFormat{kind: "text"}, metadata: map[string]any{}}
	body, err := decodeBody(r)
	if err != nil {
		return req, err
	}
	if k := body.firstUnknown(respFields); k != "" {
		return req, invalidRequest(k, "unknown_parameter", "Unknown parameter: '%s'.", k)
	}
	if !body.has("model") {
		return req, missingParam("model")
	}
	if err = req.parseInput(body); err != nil {
		return req, err
	}
	if s, ok, err := body.optString("instructions", "instructions"); err != nil {
		return req, err
	} else if ok {
		req.instructions = &s
	}
	if n, ok, err := body.optInt("max_output_tokens", "max_output_tokens", 16); err != nil {
		return req, err
	} else if ok {
		req.maxOutput = &n
	}
	if req.sampling, err = body.sampling(); err != nil {
		return req, err
	}
	if err = req.parseDelivery(body); err != nil {
		return req, err
	}
	if s, ok, err := body.optString("previous_response_id", "previous_response_id"); err != nil {
		return req, err
	} else if ok {
		req.previous = s
	}
	if s, ok, err := body.optString("user", "user"); err != nil {
		return req, err
	} else if ok {
		req.user = &s
	}
	if raw, ok := body["metadata"]; ok {
		md, err := getObject(raw, "metadata")
		if err != nil {
			return req, err
		}
		for k, v := range md {
			var x any
			json.Unmarshal(v, &x) //nolint:errcheck // valid JSON
			req.metadata[k] = x
		}
	}
	if err = req.parseContextManagement(body); err != nil {
		return req, err
	}
	if err = req.parseText(body); err != nil {
		return req, err
	}
	hasEffort, err := req.parseReasoning(body)
	if err != nil {
		return req, err
	}
	if req.model, err = textModel(body, "responses"); err != nil {
		return req, err
	}
	return req, req.checkForModel(hasEffort)
}

// parseDelivery reads background, store and stream.
func (req *respRequest) parseDelivery(body reqBody) *reqError {
	background, _, err := body.optBool("background", "background")
	if err != nil {
		return err
	}
	store, hasStore, err := body.optBool("store", "store")
	if err != nil {
		return err
	}
	req.background = background
	if hasStore {
		req.store = store
	}
	if req.background && !req.store {
		return invalidRequest("background", "",
			"Background mode requires 'store' to be true: set store=true or leave it unset.")
	}
	if stream, _, err := body.optBool("stream", "stream"); err != nil {
		return err
	} else if stream {
		return invalidRequest("stream", "unsupported_value", "This fake server does not stream: send stream=false.")
	}
	return nil
}

// checkForModel applies the rules that depend on the model and on the
// request as a whole, last, as the real API does.
func (req *respRequest) checkForModel(hasEffort bool) *reqError {
	if req.model.reasoning() {
		if err := req.sampling.forReasoning(); err != nil {
			return err
		}
		if hasEffort {
			if err := req.model.checkEffort(req.effort, "reasoning.effort"); err != nil {
				return err
			}
		}
	} else if hasEffort {
		return unsupportedParameter("reasoning.effort", "")
	}
	if req.format.kind == "json_object" {
		all := strings.Join(req.inputTexts, "\n")
		if req.instructions != nil {
			all += *req.instructions
		}
		if !mentionsJSON(all) {
			return invalidRequest("input", "",
				"Response input messages must contain the word 'json' in some form to use 'text.format' of type 'json_object'.")
		}
	}
	return nil
}

// parseInput reads input: a string (one user message) or a list of items.
func (req *respRequest) parseInput(body reqBody) *reqError {
	raw, ok := body["input"]
	if !ok {
		return nil
	}
	switch jsonKind(raw) {
	case "string":
		s, _ := getString(raw, "input")
		req.inputTexts, req.lastUser = []string{s}, s
		return nil
	case "array":
	default:
		return invalidRequest("input", "invalid_type",
			"Invalid type for 'input': expected one of a string or array of input items, but got %s instead.", kindPhrase(jsonKind(raw)))
	}
	items, _ := getArray(raw, "input")
	for i, item := range items {
		param := fmt.Sprintf("input[%d]", i)
		obj, err := getObject(item, param)
		if err != nil {
			return err
		}
		typ := "message"
		if t, ok := obj["type"]; ok {
			if typ, err = getString(t, param+".type"); err != nil {
				return err
			}
		}
		if typ != "message" {
			continue // tool outputs, item references, reasoning, compaction: accepted, no text
		}
		roleRaw, ok := obj["role"]
		if !ok {
			return missingParam(param + ".role")
		}
		role, err := getEnum(roleRaw, param+".role", respInputRoles)
		if err != nil {
			return err
		}
		contentRaw, ok := obj["content"]
		if !ok {
			return missingParam(param + ".content")
		}
		text, err := contentText(contentRaw, param+".content", "input_text,output_text")
		if err != nil {
			return err
		}
		req.inputTexts = append(req.inputTexts, text)
		if role == "user" {
			req.lastUser = text
		}
	}
	return nil
}

// parseReasoning reads reasoning {effort, summary}; it reports whether an
// effort was sent, which only reasoning models accept.
func (req *respRequest) parseReasoning(body reqBody) (bool, *reqError) {
	raw, ok := body["reasoning"]
	if !ok {
		return false, nil
	}
	obj, err := getObject(raw, "reasoning")
	if err != nil {
		return false, err
	}
	if k := obj.firstUnknown([]string{"effort", "summary", "generate_summary"}); k != "" {
		return false, invalidRequest("reasoning."+k, "unknown_parameter", "Unknown parameter: 'reasoning.%s'.", k)
	}
	for _, key := range []string{"summary", "generate_summary"} {
		if raw, ok := obj[key]; ok {
			s, err := getEnum(raw, "reasoning."+key, []string{"auto", "concise", "detailed"})
			if err != nil {
				return false, err
			}
			req.summary = &s
		}
	}
	effortRaw, ok := obj["effort"]
	if !ok {
		return false, nil
	}
	if req.effort, err = getEnum(effortRaw, "reasoning.effort", reasoningEfforts); err != nil {
		return false, err
	}
	return true, nil
}

// parseContextManagement reads [{type:"compaction", compact_threshold}].
func (req *respRequest) parseContextManagement(body reqBody) *reqError {
	raw, ok := body["context_management"]
	if !ok {
		return nil
	}
	items, err := getArray(raw, "context_management")
	if err != nil {
		return err
	}
	for i, item := range items {
		param := fmt.Sprintf("context_management[%d]", i)
		obj, err := getObject(item, param)
		if err != nil {
			return err
		}
		if k := obj.firstUnknown([]string{"type", "compact_threshold"}); k != "" {
			return invalidRequest(param+"."+k, "unknown_parameter", "Unknown parameter: '%s.%s'.", param, k)
		}
		t, ok := obj["type"]
		if !ok {
			return missingParam(param + ".type")
		}
		if _, err := getEnum(t, param+".type", []string{"compaction"}); err != nil {
			return err
		}
		n, ok, err := obj.optInt("compact_threshold", param+".compact_threshold", 1000)
		if err != nil {
			return err
		}
		if ok {
			req.compactAt = int(n)
		}
	}
	return nil
}

// parseText reads text {format, verbosity} and keeps the echo the response
// object carries.
func (req *respRequest) parseText(body reqBody) *reqError {
	req.text = map[string]any{"format": map[string]any{"type": "text"}, "verbosity": "medium"}
	raw, ok := body["text"]
	if !ok {
		return nil
	}
	obj, err := getObject(raw, "text")
	if err != nil {
		return err
	}
	if k := obj.firstUnknown([]string{"format", "verbosity"}); k != "" {
		return invalidRequest("text."+k, "unknown_parameter", "Unknown parameter: 'text.%s'.", k)
	}
	if raw, ok := obj["verbosity"]; ok {
		v, err := getEnum(raw, "text.verbosity", []string{"low", "medium", "high"})
		if err != nil {
			return err
		}
		req.text["verbosity"] = v
	}
	if raw, ok := obj["format"]; ok {
		if req.format, err = parseFormat(raw, "text.format", false); err != nil {
			return err
		}
		var echo any
		json.Unmarshal(raw, &echo) //nolint:errcheck // valid JSON
		req.text["format"] = echo
	}
	return nil
}
