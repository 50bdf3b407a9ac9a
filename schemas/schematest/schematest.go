// Package schematest holds what the table tests of schemas and manifest
// share: each case validates a document and names the problems it wants.
package schematest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// WantProblems checks a validation's err: no want means the document is
// valid; otherwise err holds each wanted substring.
func WantProblems(t testing.TB, err error, want []string) {
	t.Helper()
	if want == nil {
		require.NoError(t, err)
		return
	}
	require.Error(t, err)
	for _, w := range want {
		assert.Contains(t, err.Error(), w)
	}
}
