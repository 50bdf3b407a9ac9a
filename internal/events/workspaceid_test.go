package events

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestValidWorkspaceID(t *testing.T) {
	tests := []struct {
		id   string
		want bool
	}{
		{"5f2c6a10-8d1e-4f7b-9a55-0c3e2b7d9e41", true},
		{"ws-1", true},
		{"org_abc.def", true},
		{"a", true},
		{strings.Repeat("a", 128), true},
		{strings.Repeat("a", 129), false},
		{"", false},
		{"-ws", false},
		{".ws", false},
		{"ws/../admin", false},
		{"ws 1", false},
		{"wś", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, validWorkspaceID(tt.id), "%q", tt.id)
	}
}
