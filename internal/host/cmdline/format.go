package cmdline

import (
	"slices"
	"strings"
	"unicode"
)

// Format writes cmd back as a war-room line that ParseCommandLine reads
// as cmd, arguments sorted by name. Values are quoted only when they need
// it.
func Format(cmd Command) string {
	var b strings.Builder
	b.WriteString("!")
	b.WriteString(cmd.Name)
	keys := make([]string, 0, len(cmd.Args))
	for k := range cmd.Args {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b.WriteString(" ")
		b.WriteString(k)
		b.WriteString("=")
		b.WriteString(quote(cmd.Args[k]))
	}
	return b.String()
}

func quote(v string) string {
	plain := v != ""
	for _, r := range v {
		if unicode.IsSpace(r) || r == '"' || r == '\'' || r == '\\' {
			plain = false
			break
		}
	}
	if plain {
		return v
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(v) + `"`
}
