package host

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEntryIDLast: entry_id=last (or @last) stands for the last file
// entry added, so a README or a playbook need not guess ids.
func TestEntryIDLast(t *testing.T) {
	h, fp := newTestHost(t, nil)
	ctx := context.Background()
	_, err := h.Run(ctx, `!gpt-analyze-email-body entry_id=last`)
	require.ErrorContains(t, err, "no file entry yet: run `host-sim file add PATH` first")
	require.Zero(t, fp.executed)

	_, err = h.Store().AddFile(ctx, "a.eml", []byte("From: a@example.com\n\nhi\n"))
	require.NoError(t, err)
	_, err = h.Run(ctx, `!gpt-send-message message=noise`)
	require.NoError(t, err)
	id, err := h.Store().AddFile(ctx, "b.eml", []byte("From: b@example.com\n\nhi\n"))
	require.NoError(t, err)
	for _, line := range []string{`!gpt-analyze-email-body entry_id=last`, `!gpt-check-email-body entryId=@last`, `!gpt-check-email-header entry_id=LAST`} {
		_, err = h.Run(ctx, line)
		require.NoError(t, err, line)
		assert.Equal(t, id, fp.lastReq.Args[argName(fp.lastReq.Command)], line)
	}
	_, err = h.Run(ctx, `!gpt-send-message message=last`)
	require.NoError(t, err)
	assert.Equal(t, "last", fp.lastReq.Args["message"], "only entry-id arguments are resolved")
}

func argName(command string) string {
	if command == "gpt-analyze-email-body" {
		return "entry_id"
	}
	return "entryId"
}
