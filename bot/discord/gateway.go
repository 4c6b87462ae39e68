package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Gateway reconnect backoff when opening fails (discordgo itself
// reconnects a session that was open).
const (
	openBackoffMin = 1 * time.Second
	openBackoffMax = 1 * time.Minute
)

// Run starts the adapter (bot.Adapter): it registers /sitrep when
// Config.ApplicationID is set (in the background; a failure is logged),
// and receives interactions over the gateway until ctx is done, then closes
// the connection and returns nil. Failures to connect are retried with
// backoff, except a rejected token, which is returned at once. With
// Config.PublicKey set, interactions come over HTTP instead and Run returns
// once the registration is done.
func (a *Adapter) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	if a.cfg.ApplicationID != "" && a.getHandler() != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rctx, cancel := context.WithTimeout(ctx, registerTimeout)
			defer cancel()
			if err := a.RegisterCommands(rctx); err != nil && ctx.Err() == nil {
				a.log.Error("discord command registration failed", "error", err)
			}
		}()
	}
	return a.runGateway(ctx)
}

// registerTimeout bounds the command registration at start.
const registerTimeout = 30 * time.Second

// runGateway receives interactions over the gateway (unless they come over
// HTTP) until ctx is done.
func (a *Adapter) runGateway(ctx context.Context) error {
	if a.pubKey != nil {
		return nil
	}
	remove := a.session.AddHandler(func(s *discordgo.Session, ev *discordgo.InteractionCreate) {
		a.onInteraction(ctx, ev.Interaction)
	})
	defer remove()
	backoff := a.openBackoff
	for {
		err := a.session.Open()
		if err == nil {
			break
		}
		var rest *discordgo.RESTError
		if errors.As(err, &rest) && rest.Response != nil && rest.Response.StatusCode == http.StatusUnauthorized {
			return fmt.Errorf("discord: gateway: open: token rejected (HTTP 401)")
		}
		a.log.Warn("discord gateway open failed", "error", err, "retry_in", backoff)
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		backoff = min(2*backoff, openBackoffMax)
	}
	a.log.Info("discord gateway connected")
	<-ctx.Done()
	if err := a.session.Close(); err != nil {
		return fmt.Errorf("discord: gateway: close: %w", err)
	}
	return nil
}

// onInteraction answers a gateway INTERACTION_CREATE through the
// interaction callback endpoint.
func (a *Adapter) onInteraction(ctx context.Context, in *discordgo.Interaction) {
	if in == nil {
		return
	}
	switch in.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
	default:
		return
	}
	if !a.seen.First(in.ID, a.now()) {
		a.log.Warn("discord interaction ignored", "reason", "repeated", "interaction_id", in.ID)
		return
	}
	respond := func(resp *discordgo.InteractionResponse) error {
		return redact(a.session.InteractionRespond(in, resp, discordgo.WithContext(ctx)))
	}
	if err := a.interact(ctx, in, max(a.ackBudget-gatewayAckMargin, a.ackBudget/2), respond); err != nil {
		a.log.Warn("discord interaction answer failed", "interaction_id", in.ID, "error", err)
	}
}
