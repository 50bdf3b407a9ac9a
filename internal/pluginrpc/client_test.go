package pluginrpc

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestCallErrorSaysItOnce(t *testing.T) {
	tests := []struct {
		name string
		in   error
		want string
		is   error
	}{
		{"deadline repeated", status.Error(codes.DeadlineExceeded, "context deadline exceeded"), "context deadline exceeded", context.DeadlineExceeded},
		{"canceled repeated", status.Error(codes.Canceled, "context canceled"), "context canceled", context.Canceled},
		{"deadline with cause", status.Error(codes.DeadlineExceeded, "audit page 3"), "context deadline exceeded: audit page 3", context.DeadlineExceeded},
		{"unknown is the message", status.Error(codes.Unknown, "push 100 events: disk full"), "push 100 events: disk full", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := callError(tt.in)
			assert.Equal(t, tt.want, got.Error())
			if tt.is != nil {
				assert.True(t, errors.Is(got, tt.is))
			}
		})
	}
}

func TestCallErrorSpeaksThePluginsWords(t *testing.T) {
	err := callError(status.Error(codes.Unknown, "fetching events is off for this instance: set isFetchEvents=true"))
	assert.EqualError(t, err, "fetching events is off for this instance: set isFetchEvents=true")
	assert.ErrorIs(t, callError(status.Error(codes.Canceled, "stopped")), context.Canceled)
	assert.ErrorIs(t, callError(status.Error(codes.DeadlineExceeded, "late")), context.DeadlineExceeded)
	assert.Contains(t, callError(status.Error(codes.Unavailable, "conn refused")).Error(), "unreachable")
	plain := errors.New("plain")
	assert.Equal(t, plain, callError(plain))
}
