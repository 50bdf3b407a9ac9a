package gpt

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestModerationNullCategory: OpenAI's description lets illicit and
// illicit/violent be null (not evaluated for this input); that stays nil,
// not false ("not flagged"), for playbooks and the table.
func TestModerationNullCategory(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id":"modr-1","model":"omni-moderation-latest","results":[{"flagged":true,
			"categories":{"violence":true,"hate":false,"illicit":null,"illicit/violent":null},
			"category_scores":{"violence":0.91,"hate":0.01,"illicit":0,"illicit/violent":0},
			"category_applied_input_types":{"violence":["image"],"hate":["image"],"illicit":[],"illicit/violent":[]}}]}`))
	}))
	t.Cleanup(srv.Close)
	c := New(Config{BaseURL: srv.URL + "/v1/", APIKey: "sk-moderation-test-0123456789"})
	r, err := c.ModerateImage(context.Background(), "omni-moderation-latest", "https://example.com/a.png")
	require.NoError(t, err)
	require.Contains(t, r.Categories, "illicit")
	assert.Nil(t, r.Categories["illicit"])
	assert.Nil(t, r.Categories["illicit/violent"])
	require.NotNil(t, r.Categories["violence"])
	assert.True(t, *r.Categories["violence"])
	require.NotNil(t, r.Categories["hate"])
	assert.False(t, *r.Categories["hate"])
}
