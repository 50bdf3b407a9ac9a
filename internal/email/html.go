package email

import (
	"strings"

	"github.com/inbucket/html2text"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/soarkit/openai-gpt/internal/lazyregexp"
)

const (
	// maxHTMLBytes caps the HTML rendered to text; phishing bodies are far
	// smaller, and html.Parse has super-linear corners on crafted input.
	maxHTMLBytes = 2 << 20
	// maxHTMLDepth is the deepest element nesting handed to html2text, whose
	// renderer recurses once per level; deeper documents get a flat rendering.
	maxHTMLDepth = 512
	maxLinks     = 1000
)

// linkParens rewrites html2text's "text ( url )" into the "text (url)" shape
// the rest of the project shows. Compiled once; regexps are safe to share.
var linkParens = lazyregexp.New(`\( (\S+) \)`)

// htmlToText renders HTML as readable text with links kept as "text (url)",
// and returns the link targets found in attributes (href, src, action), which
// phishing mails use to hide the real destination behind innocent text.
//
// The document is parsed once; html2text renders from the same tree that the
// link walk reads, instead of tokenizing the HTML a second time.
func htmlToText(src string) (text string, links []string) {
	if len(src) > maxHTMLBytes {
		src = src[:maxHTMLBytes]
	}
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return "", nil
	}
	links, depth := walkHTML(doc)
	if depth <= maxHTMLDepth {
		text, err = html2text.FromHTMLNode(doc)
	}
	if depth > maxHTMLDepth || err != nil {
		text = flatText(doc)
	}
	return linkParens.ReplaceAllString(text, "($1)"), links
}

// linkAttrs are the attributes whose values point somewhere worth reporting.
var linkAttrs = map[atom.Atom]string{
	atom.A:      "href",
	atom.Area:   "href",
	atom.Link:   "href",
	atom.Base:   "href",
	atom.Form:   "action",
	atom.Img:    "src",
	atom.Iframe: "src",
	atom.Script: "src",
	atom.Embed:  "src",
	atom.Frame:  "src",
}

// walkHTML collects link targets and measures the nesting depth, iteratively
// so a hostile document cannot exhaust the stack.
func walkHTML(doc *html.Node) (links []string, maxDepth int) {
	type item struct {
		n     *html.Node
		depth int
	}
	stack := []item{{doc, 0}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		maxDepth = max(maxDepth, it.depth)
		n := it.n
		if n.Type == html.ElementNode && len(links) < maxLinks {
			if key, ok := linkAttrs[n.DataAtom]; ok {
				for _, a := range n.Attr {
					if a.Key == key && a.Namespace == "" {
						if v := strings.TrimSpace(a.Val); v != "" {
							links = append(links, v)
						}
					}
				}
			}
		}
		// Push children in reverse so they pop in document order.
		for c := n.LastChild; c != nil; c = c.PrevSibling {
			stack = append(stack, item{c, it.depth + 1})
		}
	}
	return links, maxDepth
}

// flatText is the fallback rendering: text nodes joined by spaces, scripts
// and styles skipped, walked without recursion.
func flatText(doc *html.Node) string {
	var b strings.Builder
	stack := []*html.Node{doc}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch {
		case n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style):
			continue
		case n.Type == html.TextNode:
			if t := strings.TrimSpace(n.Data); t != "" {
				if b.Len() > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(t)
			}
		}
		for c := n.LastChild; c != nil; c = c.PrevSibling {
			stack = append(stack, c)
		}
	}
	return b.String()
}
