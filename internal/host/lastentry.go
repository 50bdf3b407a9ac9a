package host

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/soarkit/openai-gpt/internal/host/state"
	"github.com/soarkit/openai-gpt/manifest"
)

// resolveLast replaces an entry-id argument written "last" or "@last" with
// the id of the file entry added last, as a SOAR user picks the file they
// just uploaded: `file add` then `entry_id=last`, no id to copy.
func (h *Host) resolveLast(ctx context.Context, cmd *manifest.Command, args map[string]string) error {
	for k, v := range args {
		a, ok := cmd.Argument(k)
		if !ok || a.Type != manifest.ArgEntryID {
			continue
		}
		if s := strings.ToLower(strings.TrimSpace(v)); s != "last" && s != "@last" {
			continue
		}
		id, err := h.cfg.Store.LastFile(ctx)
		if errors.Is(err, state.ErrNotFound) {
			return fmt.Errorf("%s: %s=%s: no file entry yet: run `host-sim file add PATH` first", cmd.Name, k, v)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", cmd.Name, err)
		}
		args[k] = id
	}
	return nil
}
