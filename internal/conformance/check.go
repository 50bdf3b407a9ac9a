package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	liberrors "github.com/pb33f/libopenapi-validator/errors"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
)

// RouteOf returns the description's route an exchange's path and method
// belong to (the path carries the /v1 prefix the description's server URL
// holds), and false for any other route.
func RouteOf(method, path string) (Route, bool) {
	rest, ok := strings.CutPrefix(path, "/v1")
	if !ok {
		return Route{}, false
	}
	got := strings.Split(rest, "/")
	for _, r := range Routes {
		want := strings.Split(r.Path, "/")
		if r.Method != method || len(want) != len(got) {
			continue
		}
		match := true
		for i := range want {
			if !strings.HasPrefix(want[i], "{") && want[i] != got[i] {
				match = false
				break
			}
		}
		if match {
			return r, true
		}
	}
	return Route{}, false
}

// Check validates one exchange: the request, then the answer. It returns
// what does not conform, one line each ("request ..." or "answer ..."),
// and an error if the exchange is not on one of Routes.
func (c *Checker) Check(x fakeopenai.Exchange) ([]string, error) {
	route, ok := RouteOf(x.Method, x.Path)
	if !ok {
		return nil, fmt.Errorf("%s %s is not a route of OpenAI's description the plugin uses", x.Method, x.Path)
	}
	if x.Truncated {
		return nil, fmt.Errorf("%s %s: the answer was cut at the exchange's bound; it cannot be validated", x.Method, x.Path)
	}
	req := c.request(x)
	var problems []string
	if _, errs := c.v.ValidateHttpRequestSync(req); len(errs) > 0 {
		problems = append(problems, describe("request", x, errs)...)
	}
	status := strconv.Itoa(x.Status)
	codes := c.documented[route]
	if x.Status >= 400 && !codes[status] && !codes[status[:1]+"XX"] && !codes["default"] {
		// quirkUndocumentedErrors: the description documents no 4xx/5xx
		// answer, though the API sends them (400 invalid_request_error,
		// 401, 404, 429, 5xx). Such an answer is checked against the
		// description's own ErrorResponse instead.
		if _, errs := c.schemas.ValidateSchemaBytes(c.errorDoc, x.ResponseBody); len(errs) > 0 {
			problems = append(problems, describe("answer", x, errs)...)
		}
		return problems, nil
	}
	res := &http.Response{
		StatusCode: x.Status, Header: x.ResponseHeader, Request: req,
		Body: io.NopCloser(bytes.NewReader(x.ResponseBody)),
	}
	_, errs := c.v.ValidateHttpResponse(c.request(x), res)
	if route.Path == "/responses" || route.Path == "/responses/{response_id}" {
		errs = quirkResponseNulls(x.ResponseBody, errs)
	}
	return append(problems, describe("answer", x, errs)...), nil
}

func (c *Checker) request(x fakeopenai.Exchange) *http.Request {
	u := "http://fake" + x.Path
	if x.Query != "" {
		u += "?" + x.Query
	}
	req, _ := http.NewRequest(x.Method, u, bytes.NewReader(x.Body))
	req.Header = x.Header.Clone()
	return req
}

// quirkResponseNulls: Response.user is typed string and Response.usage
// object, yet the description's own examples show "user": null on every
// response (the field is deprecated; the API always sends it) and
// "usage": null on a queued, in-progress, failed or cancelled one, as the
// real API sends them. Only those failures, with null there, are dropped:
// a usage that is null on a completed or incomplete response, or of any
// other wrong type, is still reported.
func quirkResponseNulls(body []byte, errs []*liberrors.ValidationError) []*liberrors.ValidationError {
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) != nil {
		return errs
	}
	var status string
	_ = json.Unmarshal(obj["status"], &status)
	unfinished := status == "queued" || status == "in_progress" || status == "failed" || status == "cancelled"
	isNull := func(field string) bool { v, ok := obj[field]; return ok && string(v) == "null" }
	var out []*liberrors.ValidationError
	for _, e := range errs {
		var keep []*liberrors.SchemaValidationFailure
		for _, f := range e.SchemaValidationErrors {
			switch field := strings.TrimPrefix(f.FieldPath, "$."); {
			case field == "user" && isNull(field), field == "usage" && unfinished && isNull(field):
				continue
			}
			keep = append(keep, f)
		}
		if len(e.SchemaValidationErrors) > 0 && len(keep) == 0 {
			continue
		}
		e.SchemaValidationErrors = keep
		out = append(out, e)
	}
	return out
}

// describe writes each failure on one line: side, method, path, message,
// and the schema failures with where they are.
func describe(side string, x fakeopenai.Exchange, errs []*liberrors.ValidationError) []string {
	var out []string
	for _, e := range errs {
		line := fmt.Sprintf("%s %s %s (%d): %s", side, x.Method, x.Path, x.Status, e.Message)
		if e.Reason != "" && e.Reason != e.Message {
			line += ": " + e.Reason
		}
		for _, f := range e.SchemaValidationErrors {
			line += "; " + f.Error()
		}
		out = append(out, line)
	}
	return out
}
