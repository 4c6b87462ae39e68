package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/sitrep-bot/sitrep/config"
	"github.com/sitrep-bot/sitrep/feeds"
	"github.com/sitrep-bot/sitrep/ingest"
	"github.com/sitrep-bot/sitrep/internal/redact"
	"github.com/sitrep-bot/sitrep/store"
	"github.com/sitrep-bot/sitrep/store/postgres"
	"github.com/sitrep-bot/sitrep/store/sqlite"
	"github.com/sitrep-bot/sitrep/topics"
)

// app is the wired bot: configuration, store, fetchers, tagger, pipeline.
type app struct {
	cfg   config.Config
	log   *slog.Logger
	store store.Store
	// fetcher never reaches private addresses: it serves everything that
	// comes from chat and every feed added from chat.
	fetcher *feeds.Fetcher
	// private may reach private addresses; it fetches only the operator's
	// feeds that allow it (nil when none may).
	private  *feeds.Fetcher
	tagger   *topics.Tagger
	pipeline *ingest.Pipeline
	metrics  *metrics // nil unless the app serves /metrics
	owner    string
}

// loadConfig reads and validates the configuration at path. With no path,
// ./sitrep.yaml is used when present, else the defaults.
func loadConfig(path string, e env) (config.Config, error) {
	if path == "" {
		if _, err := os.Stat("sitrep.yaml"); err == nil {
			path = "sitrep.yaml"
		}
	}
	cfg := config.Default()
	if path != "" {
		var err error
		cfg, err = config.Load(path, e.getenv)
		if err != nil {
			return cfg, err
		}
	}
	if err := cfg.Validate(); err != nil {
		return cfg, fmt.Errorf("config %s:\n%w", path, err)
	}
	return cfg, nil
}

// newLogger builds the slog logger the configuration asks for, on w.
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.Level()}
	if cfg.Log.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// openStore opens the database named by dsn: sqlite:FILE or postgres://….
func openStore(ctx context.Context, dsn string) (store.Store, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		return sqlite.Open(ctx, strings.TrimPrefix(dsn, "sqlite:"))
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return postgres.Open(ctx, dsn)
	}
	return nil, fmt.Errorf("open store: unsupported database %q", dsn)
}

// configStore loads the configuration and opens its store, for commands
// that only read or edit stored data.
func configStore(ctx context.Context, path string, e env) (config.Config, store.Store, error) {
	cfg, err := loadConfig(path, e)
	if err != nil {
		return cfg, nil, err
	}
	st, err := openStore(ctx, cfg.Database)
	return cfg, st, err
}

// startApp loads the configuration at path and wires the app, logging to stderr.
func startApp(ctx context.Context, path string, e env, withMetrics bool) (*app, error) {
	cfg, err := loadConfig(path, e)
	if err != nil {
		return nil, err
	}
	return newApp(ctx, cfg, newLogger(cfg, e.stderr), withMetrics)
}

// newApp wires the bot from cfg and syncs configured feeds and
// subscriptions into the store.
// With withMetrics the pipeline reports to Prometheus series (a.metrics).
func newApp(ctx context.Context, cfg config.Config, log *slog.Logger, withMetrics bool) (*app, error) {
	st, err := openStore(ctx, cfg.Database)
	if err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, log: log, store: st, owner: replicaName()}
	popt := ingest.PipelineOptions{
		Owner:           a.owner,
		Backfill:        cfg.Defaults.Backfill.D(),
		DefaultSchedule: cfg.Defaults.Schedule,
		DefaultArticle:  cfg.Defaults.Article,
		PollLease:       cfg.Defaults.PollLease.D(),
	}
	if withMetrics {
		a.metrics = newMetrics(st)
		popt.Metrics = a.metrics
	}
	var user []topics.UserTopic
	for _, t := range cfg.Topics {
		user = append(user, topics.UserTopic{Name: t.Name, Query: t.Query})
	}
	if a.tagger, err = topics.NewTagger(user); err != nil {
		st.Close()
		return nil, fmt.Errorf("topics: %w", err)
	}
	fopt := feeds.Options{
		UserAgent: "sitrep/" + version + " (+https://github.com/sitrep-bot/sitrep)",
		PerHost:   cfg.Network.PerHost,
		Logger:    log,
	}
	a.fetcher = feeds.NewFetcher(fopt)
	if anyPrivateFeeds(cfg) {
		fopt.AllowPrivate = true
		a.private = feeds.NewFetcher(fopt)
		popt.PrivateFetcher, popt.PrivateFeed = a.private, privateFeedPolicy(cfg)
	}
	a.pipeline = ingest.NewPipeline(st, a.fetcher, a.tagger, log, popt)
	if err := a.sync(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return a, nil
}

// anyPrivateFeeds reports whether any operator feed may reach private
// addresses.
func anyPrivateFeeds(cfg config.Config) bool {
	if cfg.Network.AllowPrivate {
		return true
	}
	for _, f := range cfg.Feeds {
		if cfg.FeedAllowPrivate(f) {
			return true
		}
	}
	return false
}

// privateFeedPolicy returns the rule for which stored feeds may reach
// private addresses: a configured feed when its allow_private (or
// network.allow_private) says so, another operator feed (OPML import) when
// network.allow_private does, a chat-added feed never.
func privateFeedPolicy(cfg config.Config) func(store.Feed) bool {
	configured := make(map[string]bool, len(cfg.Feeds))
	for _, f := range cfg.Feeds {
		configured[f.URL] = cfg.FeedAllowPrivate(f)
	}
	return func(f store.Feed) bool {
		if f.FromChat() {
			return false
		}
		if ok, found := configured[f.URL]; found {
			return ok
		}
		return cfg.Network.AllowPrivate
	}
}

// sync makes the store's configured feeds and subscriptions match cfg.
// Feeds added from chat are left alone.
func (a *app) sync(ctx context.Context) error {
	want := map[string]bool{}
	for _, f := range a.cfg.Feeds {
		want[f.URL] = true
		if _, err := a.store.UpsertFeed(ctx, store.Feed{URL: f.URL, Name: f.Name, Schedule: f.Schedule, Article: f.Article, AddedBy: "config"}); err != nil {
			return fmt.Errorf("sync feeds: %w", err)
		}
	}
	existing, err := a.store.Feeds(ctx)
	if err != nil {
		return fmt.Errorf("sync feeds: %w", err)
	}
	for _, f := range existing {
		if f.AddedBy == "config" && !want[f.URL] {
			if err := a.store.DeleteFeed(ctx, f.URL); err != nil && !errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("sync feeds: %w", err)
			}
			a.log.Info("feed removed from config", slog.String("feed_url", redact.URL(f.URL)))
		}
	}
	for _, s := range a.cfg.Subscriptions {
		targets := append(append([]string{}, s.Regions...), s.Topics...)
		if _, err := a.store.Subscribe(ctx, store.Subscription{Platform: s.Platform, Channel: s.Channel, Targets: targets, Digest: s.Digest, SecurityOnly: s.SecurityOnly}); err != nil {
			return fmt.Errorf("sync subscriptions: %w", err)
		}
	}
	return nil
}

// close releases the store.
func (a *app) close() {
	if err := a.store.Close(); err != nil {
		a.log.Warn("close store", slog.Any("error", err))
	}
}

// replicaName identifies this process in leases.
func replicaName() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s-%d-%d", host, os.Getpid(), time.Now().UnixNano()%100000)
}
