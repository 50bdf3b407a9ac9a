package protocol

import "context"

// Integration is what the plugin implements. Each call gets a Host bound to
// that call for callbacks, and the host's context, cancelled when the host
// gives up.
type Integration interface {
	Manifest(ctx context.Context) ([]byte, error)
	Test(ctx context.Context, host Host, req TestRequest) (TestResult, error)
	Execute(ctx context.Context, host Host, req ExecuteRequest) (Result, error)
	FetchEvents(ctx context.Context, host Host, req FetchRequest) (FetchResult, error)
}

// Host is the plugin's view of the host during one call.
type Host interface {
	// Context returns the context document of scope (an empty map when none).
	Context(ctx context.Context, scope Scope) (map[string]any, error)
	// SetContext replaces the context document of scope.
	SetContext(ctx context.Context, scope Scope, doc map[string]any) error
	// ReadFile reads a file entry; the host refuses one larger than maxBytes.
	ReadFile(ctx context.Context, entryID string, maxBytes int64) (File, error)
	// PushEvents stores a batch and its cursor atomically.
	PushEvents(ctx context.Context, b Batch) error
}

// HostService is what the host implements to serve callbacks. callID names
// the call a callback belongs to.
type HostService interface {
	GetContext(ctx context.Context, callID string, scope Scope) (map[string]any, error)
	SetContext(ctx context.Context, callID string, scope Scope, doc map[string]any) error
	ReadFile(ctx context.Context, callID, entryID string, maxBytes int64) (File, error)
	PushEvents(ctx context.Context, callID string, b Batch) error
}
