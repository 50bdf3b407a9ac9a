package cmdline

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseCommandLine(t *testing.T) {
	cases := []struct {
		line string
		name string
		args map[string]string
	}{
		{`!gpt-list-models`, "gpt-list-models", map[string]string{}},
		{`  !gpt-list-models  `, "gpt-list-models", map[string]string{}},
		{`gpt-list-models`, "gpt-list-models", map[string]string{}},
		{`!gpt-send-message message="hi there" temperature=0.2`, "gpt-send-message",
			map[string]string{"message": "hi there", "temperature": "0.2"}},
		{`!x message='single quoted'`, "x", map[string]string{"message": "single quoted"}},
		{`!x message="say \"hi\""`, "x", map[string]string{"message": `say "hi"`}},
		{`!x message='it\'s'`, "x", map[string]string{"message": `it's`}},
		{`!x message="it's"`, "x", map[string]string{"message": `it's`}},
		{`!x message='say "hi"'`, "x", map[string]string{"message": `say "hi"`}},
		{`!x path="C:\temp\new"`, "x", map[string]string{"path": `C:\temp\new`}},
		{`!x path="a\\"`, "x", map[string]string{"path": `a\`}},
		{`!x q=a=b=c`, "x", map[string]string{"q": "a=b=c"}},
		{`!x q="k=v; x=y"`, "x", map[string]string{"q": "k=v; x=y"}},
		{`!x empty= next=1`, "x", map[string]string{"empty": "", "next": "1"}},
		{`!x empty=""`, "x", map[string]string{"empty": ""}},
		{`!x message="héllo wörld 你好 👋"`, "x", map[string]string{"message": "héllo wörld 你好 👋"}},
		{"!x message=\"two\nlines\"\ttop_p=1", "x", map[string]string{"message": "two\nlines", "top_p": "1"}},
		{`!x entryId=3@1 additionalInstructions="be brief"`, "x", map[string]string{"entryId": "3@1", "additionalInstructions": "be brief"}},
		{`!x bare=it"s`, "x", map[string]string{"bare": `it"s`}},
	}
	for _, c := range cases {
		t.Run(c.line, func(t *testing.T) {
			got, err := ParseCommandLine(c.line)
			require.NoError(t, err)
			require.Equal(t, c.name, got.Name)
			require.Equal(t, c.args, got.Args)
		})
	}
}

func TestParseCommandLineErrors(t *testing.T) {
	cases := []struct{ line, want string }{
		{``, "no command"},
		{`!`, "no command"},
		{`   `, "no command"},
		{`!gpt-send-message message="hi`, `opens a " quote that is never closed`},
		{`!x message='hi`, `opens a ' quote that is never closed`},
		{`!x message="say \"hi\"`, "never closed"},
		{`!x hello`, `"hello" has no value; write arguments as name=value`},
		{`!x message = "hi"`, `"message" has no value`},
		{`!x =value`, "no name before '='"},
		{`!x a=1 a=2`, "argument a is given twice"},
		{`!x message="hi"there`, "unexpected text right after the closing quote of message"},
		{`!x 9lives=1`, "is not an argument name"},
		{`!x/y`, "is not a command name"},
	}
	for _, c := range cases {
		t.Run(c.line, func(t *testing.T) {
			_, err := ParseCommandLine(c.line)
			require.ErrorContains(t, err, c.want)
			var se *SyntaxError
			require.ErrorAs(t, err, &se)
		})
	}
}

func TestFormatRoundTrips(t *testing.T) {
	cmd := Command{Name: "gpt-send-message", Args: map[string]string{
		"message": `say "hi" \ to 'them'`, "temperature": "0.2", "empty": "",
	}}
	line := Format(cmd)
	require.Equal(t, `!gpt-send-message empty="" message="say \"hi\" \\ to 'them'" temperature=0.2`, line)
	got, err := ParseCommandLine(line)
	require.NoError(t, err)
	require.Equal(t, cmd, got)
}

// FuzzParseCommandLine checks that parsing never panics, and that what
// parses survives a Format/parse round trip unchanged.
func FuzzParseCommandLine(f *testing.F) {
	for _, s := range []string{
		`!gpt-send-message message="hi there" temperature=0.2`,
		`!x message="say \"hi\"" b='c\'d' e=f=g`,
		`!x path="C:\temp\\" u="你好"`,
		`!x message="unterminated`,
		`!x novalue`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		cmd, err := ParseCommandLine(line)
		if err != nil {
			return
		}
		again, err := ParseCommandLine(Format(cmd))
		if err != nil {
			t.Fatalf("Format(%q) = %q does not parse: %v", line, Format(cmd), err)
		}
		if again.Name != cmd.Name || len(again.Args) != len(cmd.Args) {
			t.Fatalf("round trip of %q changed %+v into %+v", line, cmd, again)
		}
		for k, v := range cmd.Args {
			if again.Args[k] != v {
				t.Fatalf("round trip of %q changed %s from %q to %q", line, k, v, again.Args[k])
			}
		}
	})
}
