package pluginrpc

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// TestPushErrorSaysOnceWhatFailed: a push the host refused reads as the
// pusher's "push N … events to DATASET" once, then the host's reason,
// without the gRPC wrapping.
func TestPushErrorSaysOnceWhatFailed(t *testing.T) {
	refused := status.Error(codes.Unknown, `batch.dataset: "x" is not a dataset of this integration`)
	err := fmt.Errorf("push 100 audit events to x: %w", pushError(refused))
	assert.Equal(t, `push 100 audit events to x: the host refused it: batch.dataset: "x" is not a dataset of this integration`, err.Error())
	assert.True(t, errors.Is(pushError(status.Error(codes.Canceled, "stop")), context.Canceled))
	plain := errors.New("no broker")
	assert.Equal(t, plain, pushError(plain))
}
