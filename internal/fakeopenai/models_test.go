package fakeopenai

import (
	"context"
	"net/http"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestModelsWithSDK(t *testing.T) {
	_, base := startOAI(t)
	client := oaiClient(base)
	ctx := context.Background()

	var ids []string
	iter := client.Models.ListAutoPaging(ctx)
	for iter.Next() {
		m := iter.Current()
		assert.NotZero(t, m.Created, m.ID)
		assert.NotEmpty(t, m.OwnedBy, m.ID)
		ids = append(ids, m.ID)
	}
	require.NoError(t, iter.Err())
	assert.Len(t, ids, len(modelCatalogue), "one page, every model once")
	for _, want := range []string{"gpt-5", "gpt-5-mini", "gpt-5-nano", "o4-mini", "o3", "o3-mini", "o1",
		"gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o", "gpt-4o-mini", "omni-moderation-latest", "text-embedding-3-small"} {
		assert.Contains(t, ids, want)
	}

	m, err := client.Models.Get(ctx, "gpt-4o-mini")
	require.NoError(t, err)
	assert.Equal(t, "gpt-4o-mini", m.ID)
	assert.Equal(t, "model", string(m.Object))

	_, err = client.Models.Get(ctx, "gpt-99")
	var apiErr *openai.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 404, apiErr.StatusCode)
	assert.Equal(t, "model_not_found", apiErr.Code)
}

func TestModelsListShape(t *testing.T) {
	_, base := startOAI(t)
	a := postRaw(t, http.MethodGet, base+"/v1/models", nil)
	require.Equal(t, 200, a.status)
	assert.Equal(t, "application/json", a.header.Get("Content-Type"))
	assert.JSONEq(t, `{"id":"gpt-4o","object":"model","created":1715367049,"owned_by":"system"}`,
		string(must(t, postRaw(t, http.MethodGet, base+"/v1/models/gpt-4o", nil))))
	assert.Contains(t, string(a.body), `"object":"list"`)
	assert.NotContains(t, string(a.body), "has_more", "the real list is not paginated")

	checkErr(t, postRaw(t, http.MethodGet, base+"/v1/models/text-moderation-latest", nil),
		wantErr{status: 404, param: strp("model"), code: strp("model_not_found"), msg: "does not exist"})
}

func must(t *testing.T, a rawAnswer) []byte {
	t.Helper()
	require.Equal(t, 200, a.status, string(a.body))
	return a.body
}
