package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Platform sends deliveries to one chat platform. Implemented by
// bot/slack, bot/discord and bot/console.
type Platform interface {
	// Name is the platform's name: "slack", "discord", "console".
	Name() string
	// Send posts d and returns the ref (message id, timestamp) of the
	// message it created, which later reports thread under. Errors may be
	// wrapped in a *SendError to say whether and when to retry.
	Send(ctx context.Context, d Delivery) (ref string, err error)
}

// Adapter is a chat platform that also serves commands: the lifecycle
// cmd drives for every configured platform. Routes are registered before
// the HTTP server starts; Run starts the adapter and runs until its context
// ends; Shutdown stops it. Implemented by bot/slack and bot/discord.
type Adapter interface {
	Platform
	// Routes registers the adapter's HTTP endpoints (slash commands,
	// interactions) on mux.
	Routes(mux *http.ServeMux)
	// Run does the adapter's start-up work (such as registering commands)
	// and keeps its connections (Slack Socket Mode, the Discord gateway)
	// until ctx is done. It returns nil once there is nothing left to run.
	Run(ctx context.Context) error
	// Shutdown waits, until ctx is done, for work still in flight, such
	// as slash-command answers finished in the background.
	Shutdown(ctx context.Context) error
}

// SendError classifies a failed send for the Deliverer.
type SendError struct {
	// Permanent failures (channel not found, not in channel, missing
	// permission, invalid token) are recorded and never retried.
	Permanent bool
	// RetryAfter is the platform's requested wait (HTTP 429), or 0.
	RetryAfter time.Duration
	// Reason is a short machine-readable cause, e.g. "channel_not_found".
	Reason string
	Err    error
}

// Error implements error.
func (e *SendError) Error() string {
	kind := "transient"
	if e.Permanent {
		kind = "permanent"
	}
	if e.Err == nil {
		return fmt.Sprintf("send: %s failure: %s", kind, e.Reason)
	}
	return fmt.Sprintf("send: %s failure: %s: %v", kind, e.Reason, e.Err)
}

// Unwrap returns the underlying error.
func (e *SendError) Unwrap() error { return e.Err }

// PermanentError wraps err as a failure that must not be retried.
func PermanentError(reason string, err error) error {
	return &SendError{Permanent: true, Reason: reason, Err: err}
}

// RateLimited wraps err as a retryable failure that should wait d.
func RateLimited(d time.Duration, err error) error {
	return &SendError{RetryAfter: d, Reason: "rate_limited", Err: err}
}

// IsPermanent reports whether err was marked permanent.
func IsPermanent(err error) bool {
	var se *SendError
	return errors.As(err, &se) && se.Permanent
}

// RetryDelay returns the platform-requested delay carried by err, or 0.
func RetryDelay(err error) time.Duration {
	var se *SendError
	if errors.As(err, &se) {
		return se.RetryAfter
	}
	return 0
}
