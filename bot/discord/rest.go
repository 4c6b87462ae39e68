package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/sitrep-bot/sitrep/bot"
)

// Limits on our own REST calls.
const (
	maxResponseBytes = 1 << 20          // a message object is a few KiB
	maxTries         = 3                // per call, 429s included
	maxInlineWait    = 5 * time.Second  // longer waits go back to the Deliverer
	defaultRetry     = 1 * time.Second  // 429 without a usable retry_after
	requestTimeout   = 15 * time.Second // http.Client timeout
)

// Discord JSON error codes we classify (resources/… "JSON Error Codes").
const (
	codeUnknownChannel     = 10003
	codeUnknownMessage     = 10008
	codeUnknownWebhook     = 10015
	codeUnknownInteraction = 10062
	codeMissingAccess      = 50001
	codeMissingPermissions = 50013
)

// APIError is a non-2xx answer from Discord's REST API.
type APIError struct {
	Method  string
	Route   string // route template, never the full URL (it may hold tokens)
	Status  int
	Code    int    // Discord's JSON error code, 0 if none
	Message string // Discord's message, 0-200 chars
}

// Error implements error.
func (e *APIError) Error() string {
	return fmt.Sprintf("%s: HTTP %d code %d: %s", e.Route, e.Status, e.Code, e.Message)
}

// do sends one JSON request through the session's HTTP client (so the
// api_url rewrite applies), honouring rate-limit buckets and 429 answers
// within ctx. It returns the response body on 2xx and a classified error
// (bot.SendError) otherwise. A 429 means the request did not land, so it is
// retried (up to maxTries, and only when the wait fits ctx and
// maxInlineWait); other failures are returned at once: a POST that timed out
// may have landed.
func (a *Adapter) do(ctx context.Context, method, url string, rt route, body any) ([]byte, error) {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return nil, fmt.Errorf("discord: %s: encode: %w", rt.name, err)
		}
	}
	var lastWait time.Duration
	for try := 1; ; try++ {
		if wait := a.limits.delay(rt); wait > 0 {
			if err := sleepWithin(ctx, wait, try >= maxTries); err != nil {
				return nil, bot.RateLimited(wait, fmt.Errorf("discord: %s: bucket exhausted: %w", rt.name, err))
			}
			continue
		}
		status, hdr, respBody, err := a.roundTrip(ctx, method, url, payload)
		if err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("discord: %s: %w", rt.name, ctx.Err())
			}
			return nil, &bot.SendError{Reason: "network", Err: fmt.Errorf("discord: %s: %w", rt.name, redact(err))}
		}
		a.limits.update(rt, hdr)
		if status >= 200 && status < 300 {
			return respBody, nil
		}
		if status == http.StatusTooManyRequests {
			wait, global := retryAfter(hdr, respBody)
			a.limits.limited(rt, wait, global)
			lastWait = wait
			a.log.Warn("discord rate limited", "route", rt.name, "retry_after", wait, "global", global, "try", try)
			if try < maxTries && sleepWithin(ctx, wait, false) == nil {
				continue
			}
			return nil, bot.RateLimited(lastWait, fmt.Errorf("discord: %s: HTTP 429 after %d tries", rt.name, try))
		}
		return nil, classify(method, rt.name, status, respBody)
	}
}

// roundTrip performs one HTTP exchange and reads a bounded response body.
func (a *Adapter) roundTrip(ctx context.Context, method, url string, payload []byte) (int, http.Header, []byte, error) {
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("Authorization", a.session.Token)
	req.Header.Set("User-Agent", a.session.UserAgent)
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := a.session.Client.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return 0, nil, nil, err
	}
	return resp.StatusCode, resp.Header, b, nil
}

// sleepWithin waits d unless ctx ends first or (with strict) the wait would
// outlast ctx's deadline or maxInlineWait; then it returns an error at once.
func sleepWithin(ctx context.Context, d time.Duration, strict bool) error {
	if strict || d > maxInlineWait {
		return fmt.Errorf("wait %v too long", d)
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		return fmt.Errorf("wait %v exceeds deadline", d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// retryAfter reads a 429's wait: the JSON body's retry_after (float
// seconds), else the Retry-After header, else defaultRetry.
func retryAfter(h http.Header, body []byte) (time.Duration, bool) {
	var rl struct {
		RetryAfter *float64 `json:"retry_after"`
		Global     bool     `json:"global"`
	}
	global := h.Get("X-RateLimit-Global") == "true" || h.Get("X-RateLimit-Scope") == "global"
	if json.Unmarshal(body, &rl) == nil && rl.RetryAfter != nil {
		if d := secondsToDuration(*rl.RetryAfter); d > 0 {
			return d, global || rl.Global
		}
	}
	if s := h.Get("Retry-After"); s != "" {
		if n, err := strconv.ParseFloat(s, 64); err == nil && n > 0 {
			return secondsToDuration(n), global
		}
	}
	return defaultRetry, global
}

// classify turns a non-2xx, non-429 response into an error for the
// Deliverer: permanent for what a retry cannot fix, transient otherwise.
func classify(method, routeName string, status int, body []byte) error {
	var msg struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	_ = json.Unmarshal(body, &msg)
	if len(msg.Message) > 200 {
		msg.Message = msg.Message[:200]
	}
	apiErr := &APIError{Method: method, Route: routeName, Status: status, Code: msg.Code, Message: msg.Message}
	err := fmt.Errorf("discord: %w", apiErr)
	switch {
	case status == http.StatusUnauthorized:
		return bot.PermanentError("invalid_token", err)
	case msg.Code == codeMissingAccess:
		return bot.PermanentError("missing_access", err)
	case msg.Code == codeMissingPermissions:
		return bot.PermanentError("missing_permissions", err)
	case msg.Code == codeUnknownChannel:
		return bot.PermanentError("channel_not_found", err)
	case msg.Code == codeUnknownMessage:
		return bot.PermanentError("message_not_found", err)
	case msg.Code == codeUnknownWebhook || msg.Code == codeUnknownInteraction:
		return bot.PermanentError("interaction_expired", err)
	case status == http.StatusForbidden:
		return bot.PermanentError("forbidden", err)
	case status == http.StatusNotFound:
		return bot.PermanentError("not_found", err)
	case status >= 400 && status < 500:
		// Our payload was refused (e.g. 400 Invalid Form Body): resending
		// the same payload fails the same way.
		return bot.PermanentError("bad_request", err)
	default:
		return &bot.SendError{Reason: "server_error", Err: err}
	}
}

// redact drops the URL from a transport error: interaction and webhook
// URLs carry tokens, which must not reach logs.
func redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}
