// Package config holds sitrep's YAML configuration: the schema, defaults
// for every key, ${VAR} expansion from the environment, and validation that
// reports every problem with its field path.
package config

import (
	"log/slog"
	"time"
)

// Config is the whole configuration file.
type Config struct {
	Database      string         `yaml:"database"`
	HTTP          HTTP           `yaml:"http"`
	Network       Network        `yaml:"network"`
	Defaults      Defaults       `yaml:"defaults"`
	Feeds         []Feed         `yaml:"feeds"`
	Topics        []Topic        `yaml:"topics"`
	Delivery      Delivery       `yaml:"delivery"`
	Subscriptions []Subscription `yaml:"subscriptions"`
	Slack         Slack          `yaml:"slack"`
	Discord       Discord        `yaml:"discord"`
	Log           Log            `yaml:"log"`

	// fromEnv maps each value Parse expanded from ${VAR} to its reference,
	// so Validate never echoes what the environment held.
	fromEnv map[string]string
}

// HTTP configures the server for slash commands, health and metrics.
type HTTP struct {
	Listen string `yaml:"listen"`
	// MetricsListen, when set, serves /metrics (and /healthz) on a
	// listener of its own, and no longer on Listen.
	MetricsListen string `yaml:"metrics_listen"`
}

// Network configures outbound fetching.
type Network struct {
	// AllowPrivate lets configured feeds reach loopback and private
	// addresses. It never applies to anything that comes from chat
	// (summarize, feeds add, discovery, polls of chat-added feeds).
	AllowPrivate bool `yaml:"allow_private"`
	// PerHost caps concurrent requests to one host (politeness).
	PerHost int `yaml:"per_host"`
}

// Defaults apply to feeds that do not set their own value.
type Defaults struct {
	Schedule string   `yaml:"schedule"`
	Article  string   `yaml:"article"`
	Backfill Duration `yaml:"backfill"`
	// PollLease is how long a replica holds a feed while polling it; a
	// killed replica's feeds are polled again after it expires.
	PollLease Duration `yaml:"poll_lease"`
}

// Feed is one configured feed.
type Feed struct {
	URL      string `yaml:"url"`
	Name     string `yaml:"name"`
	Schedule string `yaml:"schedule"`
	Article  string `yaml:"article"`
	// AllowPrivate overrides network.allow_private for this feed (and its
	// article pages); nil inherits it.
	AllowPrivate *bool `yaml:"allow_private"`
}

// Topic is a user topic: a named query.
type Topic struct {
	Name  string `yaml:"name"`
	Query string `yaml:"query"`
}

// Delivery configures the outbox.
type Delivery struct {
	// RollupAfter folds more than this many new stories for one channel
	// within a minute into one roll-up post; 0 turns roll-ups off.
	RollupAfter *int `yaml:"rollup_after"`
	// Lease is how long a worker holds the deliveries it claimed; a killed
	// worker's deliveries return to the queue after it expires.
	Lease Duration `yaml:"lease"`
	// Batch is how many deliveries a worker claims at once. At Slack's pace
	// of about one message a second per channel, Lease must cover a batch.
	Batch int `yaml:"batch"`
}

// Subscription routes stories to a channel.
type Subscription struct {
	Platform string   `yaml:"platform"`
	Channel  string   `yaml:"channel"`
	Topics   []string `yaml:"topics"`
	Regions  []string `yaml:"regions"`
	Digest   string   `yaml:"digest"`
	// SecurityOnly limits the channel to security news (items the tagger flags as such).
	SecurityOnly bool `yaml:"security_only"`
}

// Slack configures the Slack adapter; it is enabled when BotToken is set.
type Slack struct {
	BotToken      Secret `yaml:"bot_token"`
	SigningSecret Secret `yaml:"signing_secret"`
	AppToken      Secret `yaml:"app_token"`
	APIURL        string `yaml:"api_url"`
	// TeamIDs are the workspaces whose commands are answered; empty means
	// the bot token's own workspace (auth.test).
	TeamIDs []string `yaml:"team_ids"`
	// FeedAdmins, when set, limits feed administration to these user ids
	// (who must also be workspace admins).
	FeedAdmins []string `yaml:"feed_admins"`
}

// Discord configures the Discord adapter; it is enabled when Token is set.
type Discord struct {
	Token         Secret `yaml:"token"`
	ApplicationID string `yaml:"application_id"`
	PublicKey     string `yaml:"public_key"`
	GuildID       string `yaml:"guild_id"`
	APIURL        string `yaml:"api_url"`
	// GuildIDs are the servers whose commands are answered; empty means
	// guild_id and the servers of the configured Discord subscriptions.
	GuildIDs []string `yaml:"guild_ids"`
	// FeedAdmins, when set, limits feed administration to these user ids
	// (who must also have Manage Server).
	FeedAdmins []string `yaml:"feed_admins"`
}

// Log configures logging.
type Log struct {
	Format string `yaml:"format"` // text | json
	Level  string `yaml:"level"`  // debug | info | warn | error
}

// Default returns the configuration used for every key a file leaves out.
func Default() Config {
	rollup := 8
	return Config{
		Database: "sqlite:sitrep.db",
		HTTP:     HTTP{Listen: "127.0.0.1:8080"},
		Network:  Network{PerHost: 2},
		Defaults: Defaults{Schedule: "@every 10m", Article: "auto", Backfill: Duration(24 * time.Hour), PollLease: Duration(5 * time.Minute)},
		Delivery: Delivery{RollupAfter: &rollup, Lease: Duration(2 * time.Minute), Batch: 20},
		Slack:    Slack{APIURL: "https://slack.com/api/"},
		Discord:  Discord{APIURL: "https://discord.com/api/v10/"},
		Log:      Log{Format: "text", Level: "info"},
	}
}

// RollupAfter returns the roll-up threshold (0: off).
func (c Config) RollupAfter() int {
	if c.Delivery.RollupAfter == nil {
		return 8
	}
	return *c.Delivery.RollupAfter
}

// FeedSchedule returns the feed's schedule or the default.
func (c Config) FeedSchedule(f Feed) string {
	if f.Schedule != "" {
		return f.Schedule
	}
	return c.Defaults.Schedule
}

// FeedArticle returns the feed's article mode or the default.
func (c Config) FeedArticle(f Feed) string {
	if f.Article != "" {
		return f.Article
	}
	return c.Defaults.Article
}

// FeedAllowPrivate reports whether the configured feed f may reach
// loopback and private addresses: its own allow_private, else
// network.allow_private.
func (c Config) FeedAllowPrivate(f Feed) bool {
	if f.AllowPrivate != nil {
		return *f.AllowPrivate
	}
	return c.Network.AllowPrivate
}

// Level returns the slog level named by Log.Level.
func (c Config) Level() slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.Log.Level)); err != nil {
		return slog.LevelInfo
	}
	return l
}
