package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/manifest"
)

func TestComplete(t *testing.T) {
	m := manifest.Default()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "mail.eml"), nil, 0o600))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "mails"), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(dir, ".hidden"), nil, 0o600))

	cases := []struct {
		before, word string
		want         []string
	}{
		{"ins", "ins", []string{"instance "}},
		{"e", "e", []string{"events ", "exit "}},
		{"!gpt-send-m", "!gpt-send-m", []string{"!gpt-send-message "}},
		{"!gpt-list", "!gpt-list", []string{"!gpt-list-models "}},
		{"!gpt-send-message re", "re", []string{"reset_conversation_history="}},
		{"!gpt-send-message message=hi reset_conversation_history=", "", []string{"yes ", "no "}},
		{"!gpt-send-message message=hi reset_conversation_history=y", "y", []string{"yes "}},
		{`!gpt-send-message message="hi there" mes`, "mes", nil}, // given already
		{`!gpt-send-message message="hi t`, "hi t", nil},         // inside a quoted value
		{"!gpt-no-such-command a", "a", nil},
		{"instance ", "", []string{"set ", "show "}},
		{"instance set model-s", "model-s", []string{"model-select="}},
		{"instance set model-select=gpt-5-n", "gpt-5-n", []string{"gpt-5-nano "}},
		{"instance set isFetchEvents=t", "t", []string{"true "}},
		{"instance set event_types_to_fetch=Ap", "Ap", []string{"Apps"}}, // "Apps Auth" needs quotes
		{`instance set event_types_to_fetch="Apps,Apps A`, "Apps A", []string{"Apps Auth"}},
		{"instance set event_types_to_fetch=", "", []string{`"OpenAI Audit logs`}},
		{"events ", "", m.Datasets()},
		{"fetch --stats --e", "--e", []string{"--every "}},
		{"fetch --stats ", "", []string{"--once ", "--every ", "--drain "}},
		{"file ", "", []string{"add "}},
		{"file add " + dir + "/ma", dir + "/ma", []string{dir + "/mail.eml ", dir + "/mails/"}},
		{"help me", "me", nil},
	}
	for _, tc := range cases {
		got := complete(m, tc.before)
		require.Equal(t, tc.word, got.word, tc.before)
		if tc.before == "events " {
			require.Len(t, got.candidates, len(tc.want), tc.before)
			for i, d := range tc.want {
				require.Equal(t, d+" ", got.candidates[i])
			}
			continue
		}
		if tc.before == "instance set event_types_to_fetch=" {
			require.Contains(t, got.candidates, tc.want[0], tc.before)
			require.NotContains(t, got.candidates, "OpenAI Audit logs", "an option with blanks needs its quote")
			continue
		}
		require.Equal(t, tc.want, got.candidates, tc.before)
	}

	// The argument names: every argument of the command, each ready for
	// its value.
	got := complete(m, "!gpt-send-message ")
	cmd, _ := m.Command("gpt-send-message")
	require.Len(t, got.candidates, len(cmd.Arguments))
	require.Contains(t, got.candidates, "message=")

	// The first word offers the verbs and every command.
	got = complete(m, "")
	require.Contains(t, got.candidates, "fetch ")
	require.Contains(t, got.candidates, "!gpt-create-moderation ")
}

// TestCompleterRunes: the line editor gets what is left to type of each
// candidate and the length of the shared part.
func TestCompleterRunes(t *testing.T) {
	c := completer{manifest.Default()}
	out, n := c.Do([]rune("!gpt-send-message reset_conversation_history=n and more"), len("!gpt-send-message reset_conversation_history=n"))
	require.Equal(t, 1, n)
	require.Equal(t, [][]rune{[]rune("o ")}, out)
}
