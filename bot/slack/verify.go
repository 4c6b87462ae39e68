package slack

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"

	slackapi "github.com/slack-go/slack"
)

// readVerified reads a request body (at most maxBodyBytes) and checks its
// v0 signature and timestamp (±5 minutes) with the signing secret, and
// refuses a signature it has already accepted (a replay). On failure it
// writes the error status (401 for a bad, stale or replayed request) and
// returns false. On success r.Body is reset to the bytes read.
func (a *Adapter) readVerified(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
		} else {
			// Typically a body trickled past the server's read timeout.
			a.log.Warn("slack: request refused", slog.String("path", r.URL.Path), slog.String("reason", "body_unreadable"),
				slog.String("remote_addr", r.RemoteAddr), slog.String("error", err.Error()))
			http.Error(w, "bad request", http.StatusBadRequest)
		}
		return nil, false
	}
	sv, err := slackapi.NewSecretsVerifier(r.Header, a.cfg.SigningSecret)
	if err == nil {
		if _, err = sv.Write(body); err == nil {
			err = sv.Ensure()
		}
	}
	if err != nil {
		if errors.Is(err, slackapi.ErrInvalidConfiguration) {
			a.log.Error("slack: signing secret is not configured; refusing request", slog.String("path", r.URL.Path))
			http.Error(w, "not configured", http.StatusServiceUnavailable)
			return nil, false
		}
		a.log.Warn("slack: request refused", slog.String("path", r.URL.Path), slog.String("reason", verifyReason(err)))
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return nil, false
	}
	if !a.replays.First(macKey(r.Header.Get("X-Slack-Signature")), a.now()) {
		a.log.Warn("slack: request refused", slog.String("path", r.URL.Path), slog.String("reason", "replayed"))
		http.Error(w, "replayed request", http.StatusUnauthorized)
		return nil, false
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return body, true
}

// macKey is the replay table's key for a verified signature: the MAC's
// bytes, not its text, so the same MAC written in upper-case hex (which the
// verifier accepts too) is the same request.
func macKey(header string) string {
	mac, err := hex.DecodeString(strings.TrimPrefix(header, "v0="))
	if err != nil {
		return header // unreachable: the verifier decoded it already
	}
	return string(mac)
}

// verifyReason names a verification failure for the log.
func verifyReason(err error) string {
	switch {
	case errors.Is(err, slackapi.ErrMissingHeaders):
		return "missing_headers"
	case errors.Is(err, slackapi.ErrExpiredTimestamp):
		return "stale_timestamp"
	case errors.Is(err, slackapi.ErrInvalidSignature):
		return "bad_signature"
	default:
		return "malformed_signature"
	}
}
