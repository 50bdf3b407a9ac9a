package pluginrpc

import (
	"context"
	"errors"
	"fmt"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// pushError is a refused push in the host's own words: the caller (the
// events pusher) already names the batch, and "rpc error: code = Unknown
// desc = …" helps nobody. Cancellation and deadlines stay recognisable
// with errors.Is.
func pushError(err error) error {
	s, ok := status.FromError(err)
	if !ok {
		return err
	}
	switch s.Code() {
	case codes.Unknown, codes.InvalidArgument, codes.FailedPrecondition:
		return errors.New("the host refused it: " + s.Message())
	case codes.Canceled:
		return fmt.Errorf("%w: %s", context.Canceled, s.Message())
	case codes.DeadlineExceeded:
		return fmt.Errorf("%w: %s", context.DeadlineExceeded, s.Message())
	case codes.Unavailable:
		return fmt.Errorf("the host is unreachable: %s", s.Message())
	}
	return err
}
