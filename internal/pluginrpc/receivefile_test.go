package pluginrpc

import (
	"context"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"google.golang.org/grpc"

	"github.com/soarkit/openai-gpt/internal/pluginrpc/pluginpb"
)

// chunkStream replays chunks as a host's ReadFile stream would.
type chunkStream struct {
	grpc.ClientStream
	chunks []*pluginpb.FileChunk
}

func (s *chunkStream) Recv() (*pluginpb.FileChunk, error) {
	if len(s.chunks) == 0 {
		return nil, io.EOF
	}
	c := s.chunks[0]
	s.chunks = s.chunks[1:]
	return c, nil
}

// TestReceiveFileBounds: the plugin takes at most the bytes it asked for,
// whatever the host announces or sends.
func TestReceiveFileBounds(t *testing.T) {
	for _, tc := range []struct {
		name    string
		chunks  []*pluginpb.FileChunk
		wantErr string
	}{
		{"within the bound", []*pluginpb.FileChunk{{Name: "a.eml", Size: 8, Data: []byte("abcd")}, {Data: []byte("efgh")}}, ""},
		{"announced over", []*pluginpb.FileChunk{{Name: "a.eml", Size: 1 << 40, Data: []byte("ab")}}, "announced 1099511627776 bytes, over the 10"},
		{"announced negative", []*pluginpb.FileChunk{{Name: "a.eml", Size: -1, Data: []byte("ab")}}, "announced -1 bytes"},
		{"sent more than asked", []*pluginpb.FileChunk{{Name: "a.eml", Size: 4, Data: []byte("abcdef")}, {Data: []byte("ghijkl")}}, "sent more than the 10 bytes"},
	} {
		f, err := receiveFile(&chunkStream{chunks: tc.chunks}, "7", 10)
		if tc.wantErr == "" {
			assert.NoError(t, err, tc.name)
			assert.Equal(t, "abcdefgh", string(f.Data), tc.name)
			continue
		}
		assert.ErrorContains(t, err, tc.wantErr, tc.name)
		assert.Empty(t, f.Data, tc.name)
	}
}

// TestReadFileNeedsALimit: the plugin never asks the host for a file
// without a bound (the host would read 0 as no limit).
func TestReadFileNeedsALimit(t *testing.T) {
	_, err := (&hostClient{}).ReadFile(context.Background(), "7", 0)
	assert.ErrorContains(t, err, "a positive byte limit is required")
}
