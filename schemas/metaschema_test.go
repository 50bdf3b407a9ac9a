package schemas_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/stretchr/testify/require"
)

// TestSchemasAreCheckedAgainstTheirDraft holds the patch in
// third_party/jsonschema: each draft's metaschema compiles on first use
// rather than in the package's init, and a schema that breaks its draft's
// metaschema is still refused, by every one of several first compiles
// racing (go test -race checks the sharing), whatever the draft.
func TestSchemasAreCheckedAgainstTheirDraft(t *testing.T) {
	drafts := []string{
		"https://json-schema.org/draft/2020-12/schema",
		"https://json-schema.org/draft/2019-09/schema",
		"http://json-schema.org/draft-07/schema#",
		"http://json-schema.org/draft-06/schema#",
		"http://json-schema.org/draft-04/schema#",
	}
	var wg sync.WaitGroup
	errs := make([]error, 4*len(drafts))
	for i := range errs {
		draft := drafts[i%len(drafts)]
		wg.Go(func() {
			_, errs[i] = jsonschema.CompileString(fmt.Sprintf("mem://test/%d.json", i), `{"$schema": "`+draft+`", "type": 5}`)
		})
	}
	wg.Wait()
	for i, err := range errs {
		require.Error(t, err, drafts[i%len(drafts)])
		require.Contains(t, err.Error(), "does not validate with "+strings.TrimSuffix(drafts[i%len(drafts)], "#"), drafts[i%len(drafts)])
	}
	_, err := jsonschema.CompileString("mem://test/ok.json", `{"$schema": "`+drafts[0]+`", "type": "string"}`)
	require.NoError(t, err)
}
