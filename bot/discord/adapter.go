// Package discord is sitrep's Discord adapter: it renders bot.Posts as
// embeds and sends them through Discord's REST API (with an idempotency
// nonce per delivery), registers the /sitrep application command, and turns
// interactions — signed HTTP requests or gateway events — into bot.Commands.
package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/sitrep-bot/sitrep/bot"
	"github.com/sitrep-bot/sitrep/internal/replay"
)

// commandHandler answers slash commands; *bot.Router implements it.
type commandHandler interface {
	Handle(ctx context.Context, cmd bot.Command) bot.Reply
	Commands() []bot.Subcommand
	Complete(ctx context.Context, cmd bot.Command, option, prefix string) []string
}

// Config configures the adapter.
type Config struct {
	// Token is the bot token, with or without the "Bot " prefix.
	Token string
	// ApplicationID is the application's id (command registration, follow-ups).
	ApplicationID string
	// PublicKey is the application's hex Ed25519 key. When set, interactions
	// arrive over HTTP at POST /discord/interactions and Run opens no gateway.
	PublicKey string
	// GuildID, when set, registers /sitrep in that guild only (instant
	// updates, good for testing); else globally.
	GuildID string
	// APIURL receives every REST call; default DefaultAPIURL.
	APIURL string
	// GuildIDs are the servers whose commands are answered. When empty:
	// GuildID and the servers of Channels. Others (and direct messages)
	// get a polite refusal.
	GuildIDs []string
	// Channels are the configured subscription channels; their servers are
	// served when GuildIDs is empty.
	Channels []string
}

// Adapter is the Discord platform. It is safe for concurrent use.
type Adapter struct {
	cfg     Config
	session *discordgo.Session
	limits  *limiter
	guilds  *guilds
	pubKey  ed25519.PublicKey
	log     *slog.Logger

	mu      sync.RWMutex
	handler commandHandler

	// inflight counts deferred interactions still being answered.
	inflight sync.WaitGroup
	// now is the clock for timestamp checks; tests replace it.
	now func() time.Time
	// seen refuses an interaction id answered before (a replayed request).
	seen *replay.Guard
	// ackBudget is how long a command may run before it is deferred.
	ackBudget time.Duration
	// followupTimeout bounds a deferred command and its follow-up.
	followupTimeout time.Duration
	// openBackoff is the first wait after a failed gateway connect.
	openBackoff time.Duration
}

// New returns an adapter for cfg. h answers commands and may be nil until
// SetHandler. log may be nil.
func New(cfg Config, h commandHandler, log *slog.Logger) (*Adapter, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, errors.New("discord: new: token is required")
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	token := strings.TrimSpace(cfg.Token)
	if !strings.HasPrefix(token, "Bot ") {
		token = "Bot " + token
	}
	s, err := discordgo.New(token)
	if err != nil {
		return nil, fmt.Errorf("discord: new: %w", err)
	}
	tr, err := newRewriteTransport(cfg.APIURL, nil)
	if err != nil {
		return nil, err
	}
	s.Client = &http.Client{Transport: tr, Timeout: requestTimeout}
	// discordgo's own retries sleep without the context, without a cap, and
	// resend POSTs on 502: never let it retry on our behalf.
	s.ShouldRetryOnRateLimit = false
	s.MaxRestRetries = 0
	s.StateEnabled = false
	s.Identify.Intents = discordgo.IntentsGuilds
	s.LogLevel = discordgo.LogError

	a := &Adapter{
		cfg:             cfg,
		session:         s,
		limits:          newLimiter(),
		guilds:          newGuilds(cfg),
		log:             log.With("platform", "discord"), // the caller adds no platform attribute
		handler:         h,
		now:             time.Now,
		seen:            replay.New(100_000),
		ackBudget:       2500 * time.Millisecond,
		followupTimeout: 10 * time.Minute,
		openBackoff:     openBackoffMin,
	}
	if a.guilds.empty() {
		a.log.Warn("discord: no server is configured (discord.guild_ids, guild_id or a discord subscription); every command will be refused")
	}
	if cfg.PublicKey != "" {
		k, err := hex.DecodeString(strings.TrimSpace(cfg.PublicKey))
		if err != nil || len(k) != ed25519.PublicKeySize {
			return nil, errors.New("discord: new: public_key must be 64 hex characters")
		}
		a.pubKey = ed25519.PublicKey(k)
	}
	return a, nil
}

// SetHandler sets the command handler (the router), which may be built
// after the adapter.
func (a *Adapter) SetHandler(h commandHandler) {
	a.mu.Lock()
	a.handler = h
	a.mu.Unlock()
}

func (a *Adapter) getHandler() commandHandler {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.handler
}

// Name implements bot.Platform.
func (a *Adapter) Name() string { return "discord" }

// Session returns the underlying discordgo session, whose HTTP client
// already sends everything to Config.APIURL.
func (a *Adapter) Session() *discordgo.Session { return a.session }

// Shutdown waits, up to ctx, for deferred command answers still in flight.
func (a *Adapter) Shutdown(ctx context.Context) error {
	done := make(chan struct{})
	go func() { a.inflight.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("discord: shutdown: %w", ctx.Err())
	}
}

var _ bot.Adapter = (*Adapter)(nil)
