// Package conformance checks HTTP exchanges with the OpenAI API against
// OpenAI's published OpenAPI 3.1 description (../shared/openapi), for the
// tests: every request the plugin sends and every answer the fake gives on
// the routes the plugin uses.
//
// The validator is pb33f/libopenapi-validator: it compiles the
// description's schemas as JSON Schema 2020-12, which OpenAPI 3.1 is
// (kin-openapi models 3.0 and reads 3.1 only in part: type arrays,
// anyOf with {type: "null"} and $defs are where OpenAI's description lives).
// The description's known quirks are handled one by one, each a named
// exception below; nothing switches a check off.
package conformance

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	"github.com/pb33f/libopenapi/datamodel/high/base"
	"gopkg.in/yaml.v3"
)

// maxSpecBytes bounds the description read from disk (it is about 3 MB).
const maxSpecBytes = 32 << 20

// Route is an operation of the description the plugin calls, with its
// path as the description writes it (no /v1 prefix).
type Route struct {
	Method string
	Path   string
}

// Routes are the operations the plugin uses: the only ones kept from the
// description (compiling all of its schemas takes minutes) and the only
// ones Check accepts.
var Routes = []Route{
	{"POST", "/chat/completions"},
	{"POST", "/responses"},
	{"GET", "/responses/{response_id}"},
	{"GET", "/models"},
	{"GET", "/models/{model}"},
	{"POST", "/moderations"},
	{"GET", "/organization/audit_logs"},
}

// Checker validates exchanges; build it once with Load, it is safe for
// concurrent use.
type Checker struct {
	v        validator.Validator
	errorDoc *base.Schema // ErrorResponse, for undocumented error statuses
	schemas  schema_validation.SchemaValidator
	// documented is each route's answer statuses ("200", "default").
	documented map[Route]map[string]bool
	// LoadTime is how long reading, patching and compiling took.
	LoadTime time.Duration
}

// Load reads the description at path, applies the quirk patches, keeps
// the plugin's routes and builds the validator.
func Load(path string) (*Checker, error) {
	start := time.Now()
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open OpenAI's description (../shared/openapi/openai-openapi.yaml): %w", err)
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, maxSpecBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(raw) > maxSpecBytes {
		return nil, fmt.Errorf("%s is over the %d-byte limit for an OpenAPI description", path, maxSpecBytes)
	}
	patched, err := patch(raw)
	if err != nil {
		return nil, fmt.Errorf("patch the quirks of %s: %w", path, err)
	}
	doc, err := libopenapi.NewDocument(patched)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		return nil, fmt.Errorf("build the validator for %s: %v", path, errs)
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		return nil, fmt.Errorf("model of %s: %w", path, err)
	}
	documented := map[Route]map[string]bool{}
	for _, r := range Routes {
		item := model.Model.Paths.PathItems.GetOrZero(r.Path)
		if item == nil {
			return nil, fmt.Errorf("%s has no path %s", path, r.Path)
		}
		op := item.GetOperations().GetOrZero(strings.ToLower(r.Method))
		if op == nil || op.Responses == nil {
			return nil, fmt.Errorf("%s has no %s %s with responses", path, r.Method, r.Path)
		}
		codes := map[string]bool{"default": op.Responses.Default != nil}
		for code := range op.Responses.Codes.KeysFromOldest() {
			codes[code] = true
		}
		documented[r] = codes
	}
	errProxy := model.Model.Components.Schemas.GetOrZero("ErrorResponse")
	if errProxy == nil {
		return nil, fmt.Errorf("%s has no components.schemas.ErrorResponse", path)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	return &Checker{
		v: v, errorDoc: errProxy.Schema(), documented: documented,
		schemas:  schema_validation.NewSchemaValidatorWithLogger(quiet),
		LoadTime: time.Since(start),
	}, nil
}

// patch keeps the plugin's routes and rewrites the description's quirks
// into what they mean (see each quirk function).
func patch(raw []byte) ([]byte, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(raw, &root); err != nil {
		return nil, err
	}
	if len(root.Content) != 1 {
		return nil, fmt.Errorf("not a YAML document")
	}
	doc := root.Content[0]
	paths := mapGet(doc, "paths")
	if paths == nil {
		return nil, fmt.Errorf("no paths")
	}
	keep := map[string]bool{}
	for _, r := range Routes {
		keep[r.Path] = true
	}
	var kept []*yaml.Node
	for i := 0; i+1 < len(paths.Content); i += 2 {
		if keep[paths.Content[i].Value] {
			kept = append(kept, paths.Content[i], paths.Content[i+1])
		}
	}
	if len(kept) != 2*len(keep) {
		return nil, fmt.Errorf("found %d of the %d routes the plugin uses", len(kept)/2, len(keep))
	}
	paths.Content = kept
	quirkNullable(doc)
	if err := quirkEffectiveAtDeepObject(paths); err != nil {
		return nil, err
	}
	return yaml.Marshal(&root)
}

func mapGet(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func mapDelete(m *yaml.Node, key string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return
		}
	}
}

// scalar is a string scalar ("null" stays the string, not YAML's null).
func scalar(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v} }
