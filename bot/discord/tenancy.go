package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
)

// guilds decides which servers sitrep answers: Config.GuildIDs when set;
// otherwise Config.GuildID and the servers of the configured
// subscription channels (Config.Channels), learned from signed
// interactions in those channels or asked of Discord (GET /channels/{id}).
type guilds struct {
	configured []string // Config.GuildIDs: the only servers, when set
	defaults   []string // Config.GuildID, when set
	channels   []string // configured subscription channels

	mu      sync.Mutex
	learned map[string]string // channel id → its guild id
}

func newGuilds(cfg Config) *guilds {
	g := &guilds{configured: slices.Clone(cfg.GuildIDs), channels: slices.Clone(cfg.Channels), learned: map[string]string{}}
	if cfg.GuildID != "" {
		g.defaults = []string{cfg.GuildID}
	}
	return g
}

// empty reports whether no server can ever be served.
func (g *guilds) empty() bool {
	return len(g.configured) == 0 && len(g.defaults) == 0 && len(g.channels) == 0
}

func (g *guilds) learn(channel, guild string) {
	g.mu.Lock()
	g.learned[channel] = guild
	g.mu.Unlock()
}

// lookup returns whether guild is one of the configured channels' servers
// known so far, and the channels whose server is not known yet.
func (g *guilds) lookup(guild string) (found bool, unknown []string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, ch := range g.channels {
		got, ok := g.learned[ch]
		switch {
		case !ok:
			unknown = append(unknown, ch)
		case got == guild:
			return true, nil
		}
	}
	return false, unknown
}

// served returns the Served func of an interaction from guild in channel.
// Direct messages (no guild) are never served.
func (a *Adapter) served(guild, channel string) func(ctx context.Context) (bool, error) {
	return func(ctx context.Context) (bool, error) {
		g := a.guilds
		switch {
		case guild == "":
			return false, nil
		case len(g.configured) > 0:
			return slices.Contains(g.configured, guild), nil
		case slices.Contains(g.defaults, guild):
			return true, nil
		case slices.Contains(g.channels, channel):
			// Discord signed this interaction: the channel is in this guild.
			g.learn(channel, guild)
			return true, nil
		}
		found, unknown := g.lookup(guild)
		if found {
			return true, nil
		}
		var errs []error
		for _, ch := range unknown {
			got, err := a.channelGuild(ctx, ch)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			g.learn(ch, got)
			if got == guild {
				return true, nil
			}
		}
		return false, errors.Join(errs...)
	}
}

// channelGuild asks Discord for the guild of a channel.
func (a *Adapter) channelGuild(ctx context.Context, channel string) (string, error) {
	if !isSnowflake(channel) {
		return "", fmt.Errorf("discord: channel %q is not an id", channel)
	}
	rt := route{name: "GET /channels/{channel}", major: channel}
	body, err := a.do(ctx, "GET", endpoint("channels/"+channel), rt, nil)
	if err != nil {
		return "", fmt.Errorf("discord: guild of channel %s: %w", channel, err)
	}
	var ch struct {
		GuildID string `json:"guild_id"`
	}
	if err := json.Unmarshal(body, &ch); err != nil {
		return "", fmt.Errorf("discord: guild of channel %s: %w", channel, err)
	}
	return ch.GuildID, nil
}
