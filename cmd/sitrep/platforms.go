package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"

	"github.com/sitrep-bot/sitrep/bot"
	"github.com/sitrep-bot/sitrep/bot/console"
	"github.com/sitrep-bot/sitrep/bot/discord"
	"github.com/sitrep-bot/sitrep/bot/slack"
	"github.com/sitrep-bot/sitrep/config"
)

// adapters are the chat adapters that also serve HTTP and run loops.
type adapters struct {
	slack   *slack.Adapter
	discord *discord.Adapter
}

// routes registers every adapter's HTTP endpoints.
func (ad adapters) routes(mux *http.ServeMux) {
	if ad.slack != nil {
		ad.slack.Routes(mux)
	}
	if ad.discord != nil {
		ad.discord.Routes(mux)
	}
}

// buildPlatforms returns the console platform (writing to consoleOut) and
// the Slack and Discord adapters the configuration enables. router may be
// nil when no slash commands are served (poll --once).
func buildPlatforms(_ context.Context, a *app, consoleOut io.Writer, router *bot.Router) ([]bot.Platform, error) {
	ps, _, err := buildAdapters(a, consoleOut, router)
	return ps, err
}

func buildAdapters(a *app, consoleOut io.Writer, router *bot.Router) ([]bot.Platform, adapters, error) {
	ps := []bot.Platform{console.New(consoleOut)}
	var ad adapters
	if tok := a.cfg.Slack.BotToken.Value(); tok != "" {
		s, err := slack.New(slack.Config{
			BotToken: tok, SigningSecret: a.cfg.Slack.SigningSecret.Value(),
			AppToken: a.cfg.Slack.AppToken.Value(), APIURL: a.cfg.Slack.APIURL, TeamIDs: a.cfg.Slack.TeamIDs,
		}, nil, a.log.With("platform", "slack"))
		if err != nil {
			return nil, ad, fmt.Errorf("slack: %w", err)
		}
		if router != nil {
			s.SetHandler(router)
		}
		ad.slack = s
		ps = append(ps, s)
	}
	if tok := a.cfg.Discord.Token.Value(); tok != "" {
		d, err := discord.New(discord.Config{
			Token: tok, ApplicationID: a.cfg.Discord.ApplicationID, PublicKey: a.cfg.Discord.PublicKey,
			GuildID: a.cfg.Discord.GuildID, APIURL: a.cfg.Discord.APIURL,
			GuildIDs: a.cfg.Discord.GuildIDs, Channels: subscriptionChannels(a.cfg, "discord"),
		}, nil, a.log.With("platform", "discord"))
		if err != nil {
			return nil, ad, fmt.Errorf("discord: %w", err)
		}
		if router != nil {
			d.SetHandler(router)
		}
		ad.discord = d
		ps = append(ps, d)
	}
	return ps, ad, nil
}

// subscriptionChannels lists the channels of platform's configured
// subscriptions.
func subscriptionChannels(cfg config.Config, platform string) []string {
	var out []string
	for _, s := range cfg.Subscriptions {
		if s.Platform == platform && !slices.Contains(out, s.Channel) {
			out = append(out, s.Channel)
		}
	}
	return out
}
