package e2e

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
	"github.com/soarkit/openai-gpt/internal/protocol"
)

// corpusDir is the real phishing corpus beside the project (CORPUS_DIR
// overrides it, for `make corpus DIR=...`).
func corpusDir() string {
	if d := os.Getenv("CORPUS_DIR"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared", "corpus", "eml")
}

// TestCorpusSweep runs every email of the corpus through both analysis
// commands of the real plugin against the fake server: each gives the two
// entries or one clear error entry, never a crash or a hang.
func TestCorpusSweep(t *testing.T) {
	dir := corpusDir()
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	if len(files) == 0 {
		t.Skipf("no .eml files in %s (the shared corpus is not beside the project); skipping the corpus sweep", dir)
	}
	sort.Strings(files)
	_, url := startFake(t, fakeopenai.Config{})
	host := newMemHost()
	s, _ := launch(t, host)
	params := chatParams(url)

	var analysed, errored int
	var total time.Duration
	for i, path := range files {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		id := filepath.Base(path)
		host.files[id] = protocol.File{Name: id, Data: data}
		for _, cmd := range []string{"gpt-analyze-email-body", "gpt-analyze-email-header"} {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			start := time.Now()
			res, err := s.Execute(ctx, id, protocol.ExecuteRequest{Command: cmd, Args: map[string]any{"entry_id": id}, Params: params})
			total += time.Since(start)
			cancel()
			require.NoError(t, err, "%s on %s: the plugin must answer", cmd, id)
			if res.Failed() {
				errored++
				require.Len(t, res.Entries, 1, "%s on %s", cmd, id)
				assert.NotEmpty(t, res.Entries[0].Contents)
				t.Logf("%s %s: %v", cmd, id, res.Entries[0].Contents)
				continue
			}
			analysed++
			assert.Len(t, res.Entries, 2, "%s on %s", cmd, id)
		}
		if i == 0 {
			require.False(t, s.Exited())
		}
	}
	runs := analysed + errored
	t.Logf("corpus: %d emails, %d analyses, %d analysed, %d error entries, %.1f ms per analysis (plugin + fake server, end to end)",
		len(files), runs, analysed, errored, float64(total.Milliseconds())/float64(runs))
	assert.False(t, s.Exited(), "the plugin is still up")
}
