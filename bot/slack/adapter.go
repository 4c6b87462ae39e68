// Package slack is sitrep's Slack platform: it renders bot.Posts as Block
// Kit messages and sends them with slack-go, and turns signed slash-command
// requests (HTTP or Socket Mode) into bot.Commands for the router.
package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/sitrep-bot/sitrep/bot"
	"github.com/sitrep-bot/sitrep/internal/replay"
)

// DefaultAPIURL is Slack's Web API base URL.
const DefaultAPIURL = "https://slack.com/api/"

// Config holds the Slack credentials and endpoint.
type Config struct {
	BotToken      string // xoxb-…: posting and users.info
	SigningSecret string // verifies HTTP requests from Slack
	AppToken      string // xapp-…: turns on Socket Mode when set
	APIURL        string // Web API base; default DefaultAPIURL; every call goes there
	// TeamIDs are the workspaces (or Enterprise Grid organisations) whose
	// commands and clicks are answered; empty means the bot token's own
	// workspace (auth.test). Others get a polite refusal.
	TeamIDs []string
}

// commandHandler answers a slash command; *bot.Router implements it.
type commandHandler interface {
	Handle(ctx context.Context, cmd bot.Command) bot.Reply
}

// slackAPI lists the slack-go calls the adapter makes.
type slackAPI interface {
	PostMessageContext(ctx context.Context, channelID string, options ...slackapi.MsgOption) (string, string, error)
	UpdateMessageContext(ctx context.Context, channelID, timestamp string, options ...slackapi.MsgOption) (string, string, string, error)
	GetConversationHistoryContext(ctx context.Context, params *slackapi.GetConversationHistoryParameters) (*slackapi.GetConversationHistoryResponse, error)
	GetConversationRepliesContext(ctx context.Context, params *slackapi.GetConversationRepliesParameters) ([]slackapi.Message, bool, string, error)
	GetUserInfoContext(ctx context.Context, user string, options ...slackapi.GetUserInfoOption) (*slackapi.User, error)
	AuthTestContext(ctx context.Context) (*slackapi.AuthTestResponse, error)
}

var _ slackAPI = (*slackapi.Client)(nil)

// Timing of the command paths and of posting.
const (
	commandBudget   = 2500 * time.Millisecond // answer directly if the handler is this quick
	commandDeadline = 30 * time.Second        // after that, give up on the response_url reply
	postInterval    = time.Second             // Slack's chat.postMessage pace per channel
	maxInlineRetry  = 2 * time.Second         // a 429 asking for at most this is waited out once
	adminCacheTTL   = time.Minute
	maxBodyBytes    = 64 << 10 // slash commands and interactions are small forms
)

// Adapter is the Slack platform. It implements bot.Platform and serves
// the slash-command and interaction endpoints.
type Adapter struct {
	cfg    Config
	api    slackAPI
	client *slackapi.Client // for Socket Mode; nil in seam-built adapters
	http   *http.Client     // response_url posts
	log    *slog.Logger

	mu      sync.RWMutex
	handler commandHandler

	pace    *pacer
	admins  *adminCache
	teams   *teams
	replays *replay.Guard
	sleep   func(ctx context.Context, d time.Duration) error
	now     func() time.Time

	budget   time.Duration // commandBudget, shorter in tests
	deadline time.Duration // commandDeadline
	wg       sync.WaitGroup
}

var _ bot.Adapter = (*Adapter)(nil)

// New builds the adapter with a slack-go client pointed at cfg.APIURL.
// h may be nil until SetHandler is called.
func New(cfg Config, h commandHandler, log *slog.Logger) (*Adapter, error) {
	if cfg.BotToken == "" {
		return nil, errors.New("slack: new: bot token is required")
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	if !strings.HasSuffix(cfg.APIURL, "/") {
		cfg.APIURL += "/"
	}
	if cfg.AppToken != "" && !strings.HasPrefix(cfg.AppToken, "xapp-") {
		return nil, errors.New("slack: new: app token must start with xapp-")
	}
	hc := &http.Client{Timeout: 15 * time.Second}
	opts := []slackapi.Option{slackapi.OptionAPIURL(cfg.APIURL), slackapi.OptionHTTPClient(hc)}
	if cfg.AppToken != "" {
		opts = append(opts, slackapi.OptionAppLevelToken(cfg.AppToken))
	}
	client := slackapi.New(cfg.BotToken, opts...)
	// The client holds the tokens; keep no other copy that could be printed.
	cfg.BotToken = ""
	if cfg.AppToken != "" {
		cfg.AppToken = "set"
	}
	a := newAdapter(cfg, client, h, log)
	a.client = client
	a.http = hc
	return a, nil
}

// newAdapter is the seam tests use with any slackAPI.
func newAdapter(cfg Config, api slackAPI, h commandHandler, log *slog.Logger) *Adapter {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &Adapter{
		cfg:      cfg,
		api:      api,
		http:     &http.Client{Timeout: 15 * time.Second},
		log:      log.With("platform", "slack"), // the caller adds no platform attribute
		handler:  h,
		now:      time.Now,
		sleep:    sleepCtx,
		budget:   commandBudget,
		deadline: commandDeadline,
	}
	a.pace = newPacer(postInterval, func() time.Time { return a.now() })
	a.admins = newAdminCache(adminCacheTTL, 1000)
	a.teams = &teams{configured: slices.Clone(cfg.TeamIDs)}
	a.replays = replay.New(100_000)
	return a
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

// Name returns "slack".
func (a *Adapter) Name() string { return "slack" }

// CheckAuth calls auth.test to confirm the bot token works (for startup
// checks and readiness); it logs the team and bot user ids, never the token.
func (a *Adapter) CheckAuth(ctx context.Context) error {
	res, err := a.api.AuthTestContext(ctx)
	if err != nil {
		if code := errorCode(err); permanentCodes[code] {
			return bot.PermanentError(code, fmt.Errorf("slack: auth.test: %w", err))
		}
		return fmt.Errorf("slack: auth.test: %w", err)
	}
	a.teams.remember(res.TeamID, res.EnterpriseID)
	a.log.Info("slack: authenticated", slog.String("team_id", res.TeamID), slog.String("bot_user_id", res.UserID))
	return nil
}

// Shutdown waits for slash-command replies still being finished in the
// background (response_url posts), until ctx is done.
func (a *Adapter) Shutdown(ctx context.Context) error {
	done := make(chan struct{})
	go func() { a.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("slack: shutdown: %w", ctx.Err())
	}
}

// sleepCtx waits d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
