package fakeopenai

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// reqError is a 4xx answer in OpenAI's error envelope. Validation stops at
// the first problem and returns one, as the real API reports one error per
// request.
type reqError struct {
	status  int
	message string
	typ     string
	param   string
	code    string
}

func (e *reqError) write(w http.ResponseWriter) {
	writeError(w, e.status, e.message, e.typ, e.param, e.code)
}

// invalidRequest is the common 400 invalid_request_error.
func invalidRequest(param, code, format string, args ...any) *reqError {
	return &reqError{status: http.StatusBadRequest, message: fmt.Sprintf(format, args...),
		typ: "invalid_request_error", param: param, code: code}
}

// notFound is a 404 invalid_request_error (unknown model, response, ...).
func notFound(param, code, format string, args ...any) *reqError {
	e := invalidRequest(param, code, format, args...)
	e.status = http.StatusNotFound
	return e
}

// reqBody is a JSON object request body, field by field. Fields whose value
// is null are dropped on decoding: the real API treats an explicit null as
// "not sent" for optional parameters.
type reqBody map[string]json.RawMessage

// decodeBody parses the request body as a JSON object.
func decodeBody(r *http.Request) (reqBody, *reqError) {
	var buf bytes.Buffer
	if r.Body != nil {
		buf.ReadFrom(r.Body) //nolint:errcheck // readBody already buffered it
	}
	return decodeObjectBytes(buf.Bytes())
}

func decodeObjectBytes(b []byte) (reqBody, *reqError) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' || !json.Valid(b) {
		return nil, invalidRequest("", "", "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)")
	}
	var m reqBody
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, invalidRequest("", "", "We could not parse the JSON body of your request: %v", err)
	}
	return m.withoutNulls(), nil
}

func (b reqBody) withoutNulls() reqBody {
	for k, v := range b {
		if jsonKind(v) == "null" {
			delete(b, k)
		}
	}
	return b
}

func (b reqBody) has(name string) bool { _, ok := b[name]; return ok }

// firstUnknown returns the first field (in sorted order, so the answer is
// deterministic) that allowed does not list, or "".
func (b reqBody) firstUnknown(allowed []string) string {
	var unknown []string
	for k := range b {
		if !slices.Contains(allowed, k) {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	if len(unknown) == 0 {
		return ""
	}
	return unknown[0]
}

// jsonKind names the JSON type of a raw value: string, integer, number,
// boolean, object, array or null.
func jsonKind(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "null"
	}
	switch raw[0] {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	if bytes.ContainsAny(raw, ".eE") {
		return "number"
	}
	return "integer"
}

// kindPhrase spells a kind the way the API's type errors do.
func kindPhrase(kind string) string {
	switch kind {
	case "integer", "object", "array":
		return "an " + kind
	case "number":
		return "a decimal"
	case "null":
		return "null"
	}
	return "a " + kind
}

func typeError(param, want string, raw json.RawMessage) *reqError {
	return invalidRequest(param, "invalid_type", "Invalid type for '%s': expected %s, but got %s instead.",
		param, kindPhrase(want), kindPhrase(jsonKind(raw)))
}

func missingParam(param string) *reqError {
	return invalidRequest(param, "missing_required_parameter", "Missing required parameter: '%s'.", param)
}

func getString(raw json.RawMessage, param string) (string, *reqError) {
	if jsonKind(raw) != "string" {
		return "", typeError(param, "string", raw)
	}
	var s string
	json.Unmarshal(raw, &s) //nolint:errcheck // kind checked
	return s, nil
}

func getBool(raw json.RawMessage, param string) (bool, *reqError) {
	if jsonKind(raw) != "boolean" {
		return false, typeError(param, "boolean", raw)
	}
	return bytes.Equal(bytes.TrimSpace(raw), []byte("true")), nil
}

func getObject(raw json.RawMessage, param string) (reqBody, *reqError) {
	if jsonKind(raw) != "object" {
		return nil, typeError(param, "object", raw)
	}
	var m reqBody
	json.Unmarshal(raw, &m) //nolint:errcheck // kind checked
	return m.withoutNulls(), nil
}

func getArray(raw json.RawMessage, param string) ([]json.RawMessage, *reqError) {
	if jsonKind(raw) != "array" {
		return nil, typeError(param, "array", raw)
	}
	var a []json.RawMessage
	json.Unmarshal(raw, &a) //nolint:errcheck // kind checked
	return a, nil
}

// getNumber reads a decimal and checks it lies in [lo, hi].
func getNumber(raw json.RawMessage, param string, lo, hi float64) (float64, *reqError) {
	k := jsonKind(raw)
	if k != "number" && k != "integer" {
		return 0, typeError(param, "number", raw)
	}
	v, err := strconv.ParseFloat(string(bytes.TrimSpace(raw)), 64)
	if err != nil {
		return 0, typeError(param, "number", raw)
	}
	switch {
	case v > hi:
		return 0, invalidRequest(param, "decimal_above_max_value",
			"Invalid '%s': decimal above maximum value. Expected a value <= %s, but got %s instead.", param, fmtNum(hi), fmtNum(v))
	case v < lo:
		return 0, invalidRequest(param, "decimal_below_min_value",
			"Invalid '%s': decimal below minimum value. Expected a value >= %s, but got %s instead.", param, fmtNum(lo), fmtNum(v))
	}
	return v, nil
}

// getInt reads an integer and checks it is at least lo.
func getInt(raw json.RawMessage, param string, lo int64) (int64, *reqError) {
	if jsonKind(raw) != "integer" {
		return 0, typeError(param, "integer", raw)
	}
	v, err := strconv.ParseInt(string(bytes.TrimSpace(raw)), 10, 64)
	if err != nil {
		return 0, typeError(param, "integer", raw)
	}
	if v < lo {
		return 0, invalidRequest(param, "integer_below_min_value",
			"Invalid '%s': integer below minimum value. Expected a value >= %d, but got %d instead.", param, lo, v)
	}
	return v, nil
}

// getEnum reads a string that must be one of values.
func getEnum(raw json.RawMessage, param string, values []string) (string, *reqError) {
	s, err := getString(raw, param)
	if err != nil {
		return "", err
	}
	if !slices.Contains(values, s) {
		return "", invalidRequest(param, "invalid_value", "Invalid value: '%s'. Supported values are: %s.", s, listPhrase(values))
	}
	return s, nil
}

// listPhrase spells values as the API does: 'a', 'b', and 'c'.
func listPhrase(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = "'" + v + "'"
	}
	switch len(q) {
	case 0:
		return ""
	case 1:
		return q[0]
	case 2:
		return q[0] + " and " + q[1]
	}
	return strings.Join(q[:len(q)-1], ", ") + ", and " + q[len(q)-1]
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// optNumber reads an optional decimal field; ok reports whether it was sent.
func (b reqBody) optNumber(name, param string, lo, hi float64) (v float64, ok bool, err *reqError) {
	raw, ok := b[name]
	if !ok {
		return 0, false, nil
	}
	v, err = getNumber(raw, param, lo, hi)
	return v, true, err
}

// optInt reads an optional integer field.
func (b reqBody) optInt(name, param string, lo int64) (v int64, ok bool, err *reqError) {
	raw, ok := b[name]
	if !ok {
		return 0, false, nil
	}
	v, err = getInt(raw, param, lo)
	return v, true, err
}

// optBool reads an optional boolean field.
func (b reqBody) optBool(name, param string) (v bool, ok bool, err *reqError) {
	raw, ok := b[name]
	if !ok {
		return false, false, nil
	}
	v, err = getBool(raw, param)
	return v, true, err
}

// optString reads an optional string field.
func (b reqBody) optString(name, param string) (v string, ok bool, err *reqError) {
	raw, ok := b[name]
	if !ok {
		return "", false, nil
	}
	v, err = getString(raw, param)
	return v, true, err
}

// samplingParams are the temperature/top_p checks both text endpoints share.
type samplingParams struct {
	temperature, topP       float64
	hasTemperature, hasTopP bool
}

func (b reqBody) sampling() (samplingParams, *reqError) {
	var p samplingParams
	var err *reqError
	if p.temperature, p.hasTemperature, err = b.optNumber("temperature", "temperature", 0, 2); err != nil {
		return p, err
	}
	if p.topP, p.hasTopP, err = b.optNumber("top_p", "top_p", 0, 1); err != nil {
		return p, err
	}
	return p, nil
}

// forReasoning rejects sampling values reasoning models do not take: they
// accept only the default (1).
func (p samplingParams) forReasoning() *reqError {
	if p.hasTemperature && p.temperature != 1 {
		return unsupportedValue("temperature", p.temperature)
	}
	if p.hasTopP && p.topP != 1 {
		return unsupportedValue("top_p", p.topP)
	}
	return nil
}

func unsupportedValue(param string, v float64) *reqError {
	return invalidRequest(param, "unsupported_value",
		"Unsupported value: '%s' does not support %s with this model. Only the default (1) value is supported.", param, fmtNum(v))
}

func unsupportedParameter(param, hint string) *reqError {
	msg := "Unsupported parameter: '" + param + "' is not supported with this model."
	if hint != "" {
		msg += " " + hint
	}
	return invalidRequest(param, "unsupported_parameter", "%s", msg)
}

// reasoningEfforts are the reasoning.effort / reasoning_effort values accepted.
var reasoningEfforts = []string{"none", "minimal", "low", "medium", "high", "xhigh"}
