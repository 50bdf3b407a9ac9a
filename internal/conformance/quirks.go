package conformance

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// quirkNullable: the description is OpenAPI 3.1 yet writes OpenAPI 3.0's
// `nullable` in about a hundred schemas (`nullable: true`, and `nullable:
// false` without a `type`). JSON Schema 2020-12 has no such keyword, and
// the validator refuses to compile a 3.1 schema that carries it: a request
// to /chat/completions then "fails schema compilation" instead of being
// checked. Each is rewritten to what it means: `nullable: true` adds
// "null" to the type (or, without a type, allows null beside the schema);
// `nullable: false` is the 3.1 default and is dropped.
func quirkNullable(n *yaml.Node) {
	for _, c := range n.Content {
		quirkNullable(c)
	}
	if n.Kind != yaml.MappingNode {
		return
	}
	v := mapGet(n, "nullable")
	if v == nil || v.Kind != yaml.ScalarNode {
		return
	}
	mapDelete(n, "nullable")
	if v.Value != "true" {
		return
	}
	switch t := mapGet(n, "type"); {
	case t == nil:
		// {anyOf: [<the schema>, {type: null}]}: the schema moves inside.
		inner := &yaml.Node{Kind: yaml.MappingNode, Content: n.Content}
		null := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{scalar("type"), scalar("null")}}
		n.Content = []*yaml.Node{scalar("anyOf"), {Kind: yaml.SequenceNode, Content: []*yaml.Node{inner, null}}}
	case t.Kind == yaml.ScalarNode:
		*t = yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{scalar(t.Value), scalar("null")}}
	case t.Kind == yaml.SequenceNode:
		t.Content = append(t.Content, scalar("null"))
	}
}

// quirkEffectiveAtDeepObject: GET /organization/audit_logs declares
// `effective_at` as an object query parameter with no `style`, which means
// form style (`gte=1&lte=2`); the SDK and the API use
// `effective_at[gte]=1`, deepObject style. The parameter gets that style.
func quirkEffectiveAtDeepObject(paths *yaml.Node) error {
	params := mapGet(mapGet(mapGet(paths, "/organization/audit_logs"), "get"), "parameters")
	if params == nil {
		return fmt.Errorf("GET /organization/audit_logs has no parameters")
	}
	for _, p := range params.Content {
		if v := mapGet(p, "name"); v != nil && v.Value == "effective_at" {
			if mapGet(p, "style") == nil {
				p.Content = append(p.Content, scalar("style"), scalar("deepObject"), scalar("explode"), &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"})
			}
			return nil
		}
	}
	return fmt.Errorf("GET /organization/audit_logs has no effective_at parameter")
}
