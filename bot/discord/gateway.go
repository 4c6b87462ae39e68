package discord

import (
	"context"
	"fmt"

	"github.com/bwmarrin/discordgo"
)

// Run receives interactions over the gateway until ctx is done. With
// Config.PublicKey set, interactions come over HTTP instead and Run
// returns nil at once.
func (a *Adapter) Run(ctx context.Context) error {
	if a.pubKey != nil {
		return nil
	}
	remove := a.session.AddHandler(func(s *discordgo.Session, ev *discordgo.InteractionCreate) {
		a.onInteraction(ctx, ev.Interaction)
	})
	defer remove()
	if err := a.session.Open(); err != nil {
		return fmt.Errorf("discord: gateway: open: %w", err)
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
	respond := func(resp *discordgo.InteractionResponse) error {
		return a.session.InteractionRespond(in, resp, discordgo.WithContext(ctx))
	}
	if err := a.interact(ctx, in, respond); err != nil {
		a.log.Warn("discord interaction answer failed", "interaction_id", in.ID, "error", err)
	}
}
