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

// adapters are the configured chat adapters, which also serve HTTP and run
// loops (bot.Adapter).
type adapters []bot.Adapter

// routes registers every adapter's HTTP endpoints.
func (ad adapters) routes(mux *http.ServeMux) {
	for _, a := range ad {
		a.Routes(mux)
	}
}

// chatPlatform is one chat platform sitrep can be configured for.
type chatPlatform struct {
	name string
	// build returns the adapter, or nil when the configuration does not
	// enable the platform. router (may be nil) answers its commands.
	build func(a *app, router *bot.Router) (bot.Adapter, error)
}

// chatPlatforms lists every chat platform; a new one is added here.
var chatPlatforms = []chatPlatform{
	{"slack", func(a *app, router *bot.Router) (bot.Adapter, error) {
		tok := a.cfg.Slack.BotToken.Value()
		if tok == "" {
			return nil, nil
		}
		s, err := slack.New(slack.Config{
			BotToken: tok, SigningSecret: a.cfg.Slack.SigningSecret.Value(),
			AppToken: a.cfg.Slack.AppToken.Value(), APIURL: a.cfg.Slack.APIURL, TeamIDs: a.cfg.Slack.TeamIDs,
		}, nil, a.log)
		if err != nil || router == nil {
			return s, err
		}
		s.SetHandler(router)
		return s, nil
	}},
	{"discord", func(a *app, router *bot.Router) (bot.Adapter, error) {
		tok := a.cfg.Discord.Token.Value()
		if tok == "" {
			return nil, nil
		}
		d, err := discord.New(discord.Config{
			Token: tok, ApplicationID: a.cfg.Discord.ApplicationID, PublicKey: a.cfg.Discord.PublicKey,
			GuildID: a.cfg.Discord.GuildID, APIURL: a.cfg.Discord.APIURL,
			GuildIDs: a.cfg.Discord.GuildIDs, Channels: subscriptionChannels(a.cfg, "discord"),
		}, nil, a.log)
		if err != nil || router == nil {
			return d, err
		}
		d.SetHandler(router)
		return d, nil
	}},
}

// buildPlatforms returns the console platform (writing to consoleOut) and
// the chat platforms the configuration enables. router may be nil when no
// slash commands are served (poll --once).
func buildPlatforms(_ context.Context, a *app, consoleOut io.Writer, router *bot.Router) ([]bot.Platform, error) {
	ps, _, err := buildAdapters(a, consoleOut, router)
	return ps, err
}

// buildAdapters returns every platform deliveries can go to and, among
// them, the chat adapters to run.
func buildAdapters(a *app, consoleOut io.Writer, router *bot.Router) ([]bot.Platform, adapters, error) {
	ps := []bot.Platform{console.New(consoleOut)}
	var ad adapters
	for _, p := range chatPlatforms {
		adapter, err := p.build(a, router)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", p.name, err)
		}
		if adapter != nil {
			ps = append(ps, adapter)
			ad = append(ad, adapter)
		}
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
