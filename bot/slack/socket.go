package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// acker acknowledges Socket Mode envelopes; *socketmode.Client implements it.
type acker interface {
	AckCtx(ctx context.Context, envelopeID string, payload any) error
}

var _ acker = (*socketmode.Client)(nil)

// Run serves slash commands over Socket Mode when Config.AppToken is set,
// until ctx is done (then it returns nil). Without an app token it returns
// nil at once: commands then arrive over HTTP (Routes).
func (a *Adapter) Run(ctx context.Context) error {
	if a.cfg.AppToken == "" {
		return nil
	}
	if a.client == nil {
		return errors.New("slack: socket mode: adapter has no slack client")
	}
	smc := socketmode.New(a.client, socketmode.OptionReadLimit(1<<20))
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	runErr := make(chan error, 1)
	go func() { runErr <- smc.RunContext(rctx) }()
	a.log.Info("slack: socket mode starting")
	for {
		select {
		case <-ctx.Done():
			cancel()
			<-runErr
			return nil
		case err := <-runErr:
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("slack: socket mode: %w", err)
		case evt := <-smc.Events:
			a.handleSocketEvent(rctx, smc, evt)
		}
	}
}

// handleSocketEvent acknowledges every envelope; slash commands are
// answered in the ack (or acked "Working on it…" and finished through
// their response_url).
func (a *Adapter) handleSocketEvent(ctx context.Context, ack acker, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnected:
		a.log.Info("slack: socket mode connected")
	case socketmode.EventTypeConnectionError:
		if ce, ok := evt.Data.(*slackapi.ConnectionErrorEvent); ok {
			a.log.Warn("slack: socket mode connection error", slog.Any("error", ce.ErrorObj), slog.Duration("backoff", ce.Backoff))
		}
	case socketmode.EventTypeInvalidAuth:
		a.log.Error("slack: socket mode: app token refused")
	case socketmode.EventTypeSlashCommand:
		if evt.Request == nil {
			return
		}
		sc, ok := evt.Data.(slackapi.SlashCommand)
		if !ok {
			// Slack resends an envelope it sees no ack for: ack it, empty.
			a.log.Warn("slack: socket mode slash envelope without a command; acknowledged", slog.String("envelope_id", evt.Request.EnvelopeID))
			if err := ack.AckCtx(ctx, evt.Request.EnvelopeID, nil); err != nil {
				a.log.Warn("slack: socket mode ack failed", slog.String("type", string(evt.Type)), slog.Any("error", err))
			}
			return
		}
		envelope := evt.Request.EnvelopeID
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			a.answerEnvelope(ctx, ack, envelope, sc)
		}()
	case socketmode.EventTypeEventsAPI, socketmode.EventTypeInteractive:
		if evt.Request != nil {
			if err := ack.AckCtx(ctx, evt.Request.EnvelopeID, nil); err != nil {
				a.log.Warn("slack: socket mode ack failed", slog.String("type", string(evt.Type)), slog.Any("error", err))
			}
		}
		if cb, ok := evt.Data.(slackapi.InteractionCallback); ok {
			a.handleCallback(ctx, cb)
		}
	}
}

// answerEnvelope runs a slash command and acks its envelope with the reply.
func (a *Adapter) answerEnvelope(ctx context.Context, ack acker, envelope string, sc slackapi.SlashCommand) {
	log := a.log.With(slog.String("channel_id", sc.ChannelID))
	p := a.dispatch(ctx, sc)
	err := ack.AckCtx(ctx, envelope, p)
	if err == nil {
		return
	}
	if ctx.Err() != nil {
		return
	}
	// Slack drops acks of 20 KB and more; slack-go refuses to send them.
	// Ack small and deliver the reply through the response_url instead.
	log.Warn("slack: socket mode reply too large for the ack, using response_url", slog.Any("error", err))
	if err := ack.AckCtx(ctx, envelope, workingReply); err != nil {
		log.Warn("slack: socket mode ack failed", slog.Any("error", err))
	}
	a.respondLater(ctx, sc.ResponseURL, p, log)
}
