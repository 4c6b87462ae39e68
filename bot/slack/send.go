package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/sitrep-bot/sitrep/bot"
)

// Send posts d to its channel and returns the message's ts. A KindUpdate
// with d.Thread goes into the story's thread, then (with d.EditRoot) the
// root is re-rendered with every source. On a retry (d.Attempt > 1) the
// channel is searched first for a message carrying d.ID in its metadata,
// so an attempt whose outcome was unknown is not posted twice.
func (a *Adapter) Send(ctx context.Context, d bot.Delivery) (string, error) {
	if strings.TrimSpace(d.Channel) == "" {
		return "", bot.PermanentError("channel_not_found", errors.New("slack: send: empty channel"))
	}
	log := a.log.With(slog.String("channel_id", d.Channel), slog.Int64("delivery_id", d.ID), slog.String("kind", d.Post.Kind))

	var msg message
	if d.Thread != "" && d.Post.Kind == bot.KindUpdate {
		msg = renderUpdateReply(d.Post)
	} else {
		msg = renderPost(d.Post)
	}

	ts, found, err := a.findDelivered(ctx, d)
	if err != nil {
		return "", a.classify(log, "find earlier attempt", err)
	}
	if found {
		log.Info("slack: delivery already posted by an earlier attempt", slog.String("ts", ts))
	} else {
		ts, err = a.post(ctx, d, msg)
		if err != nil {
			return "", a.classify(log, "post", err)
		}
		log.Debug("slack: posted", slog.String("ts", ts))
	}

	if d.Thread != "" && d.EditRoot {
		story, err := a.rootIsStory(ctx, d)
		if err != nil {
			return "", a.classify(log, "read root", err)
		}
		if !story {
			// A roll-up or digest root lists other stories too: never
			// overwrite it with this one story.
			log.Info("slack: root is not a single story; left as is")
			return ts, nil
		}
		if err := a.updateRoot(ctx, d); err != nil {
			if code := errorCode(err); rootGone[code] {
				// The root was deleted or can no longer be edited: the
				// threaded report is delivered, the edit is cosmetic.
				log.Warn("slack: root message not updated", slog.String("reason", code))
				return ts, nil
			}
			return "", a.classify(log, "update root", err)
		}
	}
	return ts, nil
}

// rootGone lists chat.update errors that retrying cannot fix.
var rootGone = map[string]bool{
	"message_not_found":   true,
	"cant_update_message": true,
	"edit_window_closed":  true,
}

// post sends msg as a new message (in d.Thread when set), paced per
// channel. A 429 with a short Retry-After is waited out once (Slack
// rejected that request, so resending cannot duplicate), and rejected
// blocks fall back once to the plain text.
func (a *Adapter) post(ctx context.Context, d bot.Delivery, msg message) (string, error) {
	opts := []slackapi.MsgOption{
		slackapi.MsgOptionText(msg.Text, false),
		slackapi.MsgOptionMetadata(metadataFor(d)),
		slackapi.MsgOptionDisableLinkUnfurl(),
		slackapi.MsgOptionDisableMediaUnfurl(),
	}
	if d.Thread != "" {
		opts = append(opts, slackapi.MsgOptionTS(d.Thread))
	}
	withBlocks := len(msg.Blocks) > 0
	waited := false
	for {
		if err := a.sleep(ctx, a.pace.reserve(d.Channel)); err != nil {
			return "", err
		}
		all := opts
		if withBlocks {
			all = append(all[:len(all):len(all)], slackapi.MsgOptionBlocks(msg.Blocks...))
		}
		_, ts, err := a.api.PostMessageContext(ctx, d.Channel, all...)
		if err == nil {
			return ts, nil
		}
		if wait, ok := rateLimitDelay(err); ok {
			a.pace.delay(d.Channel, wait)
			if !waited && wait <= maxInlineRetry && fitsDeadline(ctx, wait) {
				waited = true
				continue
			}
			return "", err
		}
		if code := errorCode(err); withBlocks && blocksRejected[code] {
			a.log.Warn("slack: blocks rejected, sending text only",
				slog.String("channel_id", d.Channel), slog.Int64("delivery_id", d.ID), slog.String("reason", code))
			withBlocks = false
			continue
		}
		return "", err
	}
}

// blocksRejected lists errors where Slack refused the blocks themselves.
var blocksRejected = map[string]bool{
	"invalid_blocks":        true,
	"invalid_blocks_format": true,
	"msg_blocks_too_long":   true,
}

// fitsDeadline reports whether waiting d leaves time before ctx's deadline.
func fitsDeadline(ctx context.Context, d time.Duration) bool {
	dl, ok := ctx.Deadline()
	return !ok || time.Until(dl) > d
}

// rootIsStory reads the thread's root (conversations.history pinned to its
// ts) and reports whether it is one story's post, so a re-render may
// replace it. A root without our metadata, or one we cannot read, counts
// as a story: chat.update then fails on a deleted root, which Send accepts.
func (a *Adapter) rootIsStory(ctx context.Context, d bot.Delivery) (bool, error) {
	resp, err := a.api.GetConversationHistoryContext(ctx, &slackapi.GetConversationHistoryParameters{
		ChannelID: d.Channel, Latest: d.Thread, Oldest: d.Thread, Inclusive: true, Limit: 1, IncludeAllMetadata: true,
	})
	if err != nil {
		if lookupUnavailable(err) {
			return true, nil
		}
		return false, err
	}
	for _, m := range resp.Messages {
		if m.Timestamp == d.Thread {
			et := m.Metadata.EventType
			return et == "" || et == eventTypes[bot.KindPost], nil
		}
	}
	return true, nil
}

// lookupUnavailable reports whether a history read failed because this
// token or server cannot serve it at all (a missing scope, an API that
// lacks the method), rather than for a reason a retry could fix.
func lookupUnavailable(err error) bool {
	switch errorCode(err) {
	case "missing_scope", "unknown_method", "not_allowed_token_type":
		return true
	}
	var sc slackapi.StatusCodeError
	return errors.As(err, &sc) && (sc.Code == 404 || sc.Code == 501)
}

// updateRoot re-renders the story's root with every known source.
func (a *Adapter) updateRoot(ctx context.Context, d bot.Delivery) error {
	p := d.Post
	p.Kind = bot.KindPost
	m := renderStory(p)
	_, _, _, err := a.api.UpdateMessageContext(ctx, d.Channel, d.Thread,
		slackapi.MsgOptionText(m.Text, false),
		slackapi.MsgOptionBlocks(m.Blocks...),
	)
	if err != nil {
		if wait, ok := rateLimitDelay(err); ok && wait <= maxInlineRetry && fitsDeadline(ctx, wait) {
			// chat.update is idempotent: one short wait and retry is safe.
			if serr := a.sleep(ctx, wait); serr != nil {
				return err
			}
			_, _, _, err = a.api.UpdateMessageContext(ctx, d.Channel, d.Thread,
				slackapi.MsgOptionText(m.Text, false),
				slackapi.MsgOptionBlocks(m.Blocks...),
			)
		}
	}
	return err
}

// Metadata event types, one per post kind.
var eventTypes = map[string]string{
	bot.KindPost:   "sitrep_story",
	bot.KindUpdate: "sitrep_update",
	bot.KindRollup: "sitrep_rollup",
	bot.KindDigest: "sitrep_digest",
	bot.KindReply:  "sitrep_reply",
}

// metadataFor is the message metadata that lets a restarted bot find
// what it already posted.
func metadataFor(d bot.Delivery) slackapi.SlackMetadata {
	et, ok := eventTypes[d.Post.Kind]
	if !ok {
		et = "sitrep_story"
	}
	kind := d.Post.Kind
	if kind == "" {
		kind = bot.KindPost
	}
	return slackapi.SlackMetadata{
		EventType: et,
		EventPayload: map[string]any{
			"delivery_id": d.ID,
			"story_id":    d.Post.StoryID,
			"kind":        kind,
		},
	}
}

// History pages searched for an earlier attempt (100 messages each).
const (
	historyPageSize = 100
	historyPages    = 2
)

// findDelivered looks, on a retry, for a message of ours carrying d.ID:
// in the thread for threaded deliveries, else in the channel's recent
// history. It reports that message's ts.
func (a *Adapter) findDelivered(ctx context.Context, d bot.Delivery) (string, bool, error) {
	if d.Attempt <= 1 {
		return "", false, nil
	}
	cursor := ""
	for page := 0; page < historyPages; page++ {
		var (
			msgs []slackapi.Message
			next string
			err  error
		)
		if d.Thread != "" {
			msgs, _, next, err = a.api.GetConversationRepliesContext(ctx, &slackapi.GetConversationRepliesParameters{
				ChannelID: d.Channel, Timestamp: d.Thread, Cursor: cursor,
				Limit: historyPageSize, IncludeAllMetadata: true,
			})
		} else {
			var resp *slackapi.GetConversationHistoryResponse
			resp, err = a.api.GetConversationHistoryContext(ctx, &slackapi.GetConversationHistoryParameters{
				ChannelID: d.Channel, Cursor: cursor, Limit: historyPageSize, IncludeAllMetadata: true,
			})
			if resp != nil {
				msgs, next = resp.Messages, resp.ResponseMetaData.NextCursor
			}
		}
		if err != nil {
			if code := errorCode(err); code == "thread_not_found" || code == "message_not_found" {
				// The story's root is gone, so nothing of ours is under it.
				return "", false, nil
			}
			if lookupUnavailable(err) {
				// Without the history scopes we cannot check; losing the
				// post would be worse than a possible duplicate.
				a.log.Warn("slack: cannot read history to check an earlier attempt",
					slog.String("channel_id", d.Channel), slog.Int64("delivery_id", d.ID), slog.String("reason", errorCode(err)))
				return "", false, nil
			}
			return "", false, err
		}
		for _, m := range msgs {
			if carriesDelivery(m.Metadata, d.ID) {
				return m.Timestamp, true, nil
			}
		}
		if next == "" {
			break
		}
		cursor = next
	}
	return "", false, nil
}

// carriesDelivery reports whether md is sitrep metadata for delivery id.
func carriesDelivery(md slackapi.SlackMetadata, id int64) bool {
	if !strings.HasPrefix(md.EventType, "sitrep_") {
		return false
	}
	switch v := md.EventPayload["delivery_id"].(type) {
	case float64:
		return v == float64(id)
	case string:
		return v == strconv.FormatInt(id, 10)
	}
	return false
}

// permanentCodes are Slack errors that no retry can fix.
var permanentCodes = map[string]bool{
	"not_in_channel":        true,
	"channel_not_found":     true,
	"invalid_auth":          true,
	"not_authed":            true,
	"account_inactive":      true,
	"token_revoked":         true,
	"token_expired":         true,
	"missing_scope":         true,
	"is_archived":           true,
	"restricted_action":     true,
	"msg_too_long":          true,
	"invalid_blocks":        true,
	"invalid_blocks_format": true,
	"msg_blocks_too_long":   true,
}

// errorCode is the Slack error code in err ("channel_not_found"), or "".
func errorCode(err error) string {
	var se slackapi.SlackErrorResponse
	if errors.As(err, &se) {
		return se.Err
	}
	var sp *slackapi.SlackErrorResponse
	if errors.As(err, &sp) && sp != nil {
		return sp.Err
	}
	return ""
}

// defaultRetryAfter is assumed when a 429 comes without a usable Retry-After.
const defaultRetryAfter = time.Second

// rateLimitDelay reports whether err is a rate limit and how long Slack
// asked to wait: slack-go's RateLimitedError (429 with Retry-After), a
// bare 429, or an ok:false "ratelimited" answer.
func rateLimitDelay(err error) (time.Duration, bool) {
	var rl *slackapi.RateLimitedError
	if errors.As(err, &rl) {
		return max(rl.RetryAfter, 0), true
	}
	var sc slackapi.StatusCodeError
	if errors.As(err, &sc) && sc.Code == 429 {
		return defaultRetryAfter, true
	}
	if code := errorCode(err); code == "ratelimited" || code == "rate_limited" {
		return defaultRetryAfter, true
	}
	return 0, false
}

// classify wraps err for the Deliverer: 429 → bot.RateLimited with the
// requested delay, the permanentCodes → bot.PermanentError (logged with
// the channel), anything else a plain, retryable error.
func (a *Adapter) classify(log *slog.Logger, op string, err error) error {
	wrapped := fmt.Errorf("slack: %s: %w", op, err)
	if wait, ok := rateLimitDelay(err); ok {
		log.Warn("slack: rate limited", slog.String("op", op), slog.Duration("retry_after", wait))
		return bot.RateLimited(wait, wrapped)
	}
	code := errorCode(err)
	if permanentCodes[code] {
		log.Error("slack: delivery failed permanently", slog.String("op", op), slog.String("reason", code))
		return bot.PermanentError(code, wrapped)
	}
	log.Warn("slack: delivery failed, will retry", slog.String("op", op), slog.String("reason", code), slog.Any("error", err))
	return wrapped
}
