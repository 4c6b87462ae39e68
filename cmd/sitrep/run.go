package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/sitrep-bot/sitrep/bot"
	"github.com/sitrep-bot/sitrep/internal/redact"
	"github.com/sitrep-bot/sitrep/store"
)

// shutdownGrace bounds a clean stop after SIGTERM.
const shutdownGrace = 8 * time.Second

func cmdRun(ctx context.Context, args []string, e env) error {
	fs := newFlags("run", e)
	cfgPath := fs.String("config", "", "configuration file (default ./sitrep.yaml if present)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	a, err := startApp(ctx, *cfgPath, e, true)
	if err != nil {
		return err
	}
	defer a.close()
	cfg, log, m := a.cfg, a.log, a.metrics
	router := newRouter(a)
	platforms, ad, err := buildAdapters(a, e.stdout, router)
	if err != nil {
		return err
	}
	deliverer := bot.NewDeliverer(a.store, platforms, log, bot.DelivererOptions{
		Owner: a.owner, RollupAfter: cfg.RollupAfter(), Metrics: m,
		Lease: cfg.Delivery.Lease.D(), Batch: cfg.Delivery.Batch,
	})

	// HTTP: slash commands, health, metrics.
	hl, addrs, err := startHTTP(a, ad, defaultHTTPTimeouts)
	if err != nil {
		return err
	}
	attrs := []any{slog.String("listen", addrs[0].String())}
	if len(addrs) > 1 {
		attrs = append(attrs, slog.String("metrics_listen", addrs[1].String()))
	}
	log.Info("sitrep running", append(attrs, slog.String("version", version),
		slog.String("replica", a.owner), slog.Int("platforms", len(platforms)))...)

	work, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	goRun := func(name string, fn func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fn(work); err != nil && work.Err() == nil {
				log.Error("component stopped", slog.String("component", name), slog.Any("error", err))
			}
		}()
	}
	goRun("deliverer", deliverer.Run)
	if ad.slack != nil {
		goRun("slack", ad.slack.Run)
	}
	if ad.discord != nil {
		goRun("discord", ad.discord.Run)
		if cfg.Discord.ApplicationID != "" {
			goRun("discord-commands", func(ctx context.Context) error {
				rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
				defer cancel()
				return ad.discord.RegisterCommands(rctx)
			})
		}
	}
	sched := newScheduler(a, deliverer, log)
	if err := sched.start(work); err != nil {
		stopWork()
		hl.close()
		return err
	}

	<-ctx.Done()
	log.Info("shutting down")
	done := make(chan struct{})
	go func() {
		// Cancel first: running polls abort their fetches and save their
		// feeds' state; the deliverer stops claiming, lets a send in flight
		// finish (briefly) and releases what it had not sent.
		stopWork()
		<-sched.stop().Done()
		sched.wg.Wait()
		wg.Wait()
		sctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		hl.shutdown(sctx)
		// Slash-command answers still being finished in the background.
		if ad.slack != nil {
			ad.slack.Shutdown(sctx)
		}
		if ad.discord != nil {
			ad.discord.Close(sctx)
		}
		close(done)
	}()
	select {
	case <-done:
		log.Info("stopped cleanly")
	case <-time.After(shutdownGrace):
		log.Warn("shutdown grace period over; exiting with work in flight (leases will expire)")
	}
	return nil
}

// scheduler runs one cron entry per feed and per digest subscription, and
// re-reads the store every minute so feeds added from chat (on any
// replica) get scheduled.
type scheduler struct {
	a         *app
	deliverer *bot.Deliverer
	log       *slog.Logger
	cron      *cron.Cron
	mu        sync.Mutex
	wg        sync.WaitGroup          // the first pass at start
	feeds     map[string]cron.EntryID // url + "\x00" + schedule
	digests   map[string]cron.EntryID // platform/channel + "\x00" + digest
}

func newScheduler(a *app, d *bot.Deliverer, log *slog.Logger) *scheduler {
	cl := cronLogger{log}
	return &scheduler{
		a: a, deliverer: d, log: log,
		cron:    cron.New(cron.WithLocation(time.UTC), cron.WithLogger(cl), cron.WithChain(cron.Recover(cl), cron.SkipIfStillRunning(cl))),
		feeds:   map[string]cron.EntryID{},
		digests: map[string]cron.EntryID{},
	}
}

func (s *scheduler) start(ctx context.Context) error {
	if err := s.sync(ctx); err != nil {
		return err
	}
	if _, err := s.cron.AddFunc("@every 1m", func() { s.syncLogged(ctx) }); err != nil {
		return err
	}
	s.cron.Start()
	// A first pass at start, so a restarted bot does not wait a whole period.
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.pollDue(ctx)
	}()
	return nil
}

func (s *scheduler) stop() context.Context { return s.cron.Stop() }

func (s *scheduler) syncLogged(ctx context.Context) {
	if err := s.sync(ctx); err != nil {
		s.log.Error("scheduler sync", slog.Any("error", err))
	}
}

// pollDue polls every feed whose next poll has come (claiming each).
func (s *scheduler) pollDue(ctx context.Context) {
	list, err := s.a.store.Feeds(ctx)
	if err != nil {
		s.log.Error("list feeds", slog.Any("error", err))
		return
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	for _, r := range s.a.pipeline.PollAll(pctx, list, false, 16) {
		if len(r.New) > 0 {
			s.deliverer.Wake()
			return
		}
	}
}

// sync adds and removes cron entries to match the store.
func (s *scheduler) sync(ctx context.Context) error {
	list, err := s.a.store.Feeds(ctx)
	if err != nil {
		return fmt.Errorf("scheduler: %w", err)
	}
	subs, err := s.a.store.Subscriptions(ctx, "")
	if err != nil {
		return fmt.Errorf("scheduler: %w", err)
	}
	polls := map[string]job{}
	for _, f := range list {
		spec := f.Schedule
		if spec == "" {
			spec = s.a.cfg.Defaults.Schedule
		}
		url := f.URL
		polls[url+"\x00"+spec] = job{spec: spec, run: func() { s.pollFeed(ctx, url) }, about: redact.URL(url)}
	}
	digests := map[string]job{}
	for _, sub := range subs {
		if sub.Digest == "" {
			continue
		}
		platform, channel := sub.Platform, sub.Channel
		digests[platform+"/"+channel+"\x00"+sub.Digest] = job{spec: sub.Digest,
			run: func() { s.fireDigest(ctx, platform, channel) }, about: platform + "/" + channel}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reconcile(s.feeds, polls)
	s.reconcile(s.digests, digests)
	return nil
}

// job is a scheduled function and what it is about (for logs).
type job struct {
	spec  string
	run   func()
	about string
}

// reconcile makes entries hold exactly the jobs in want, by key. A job
// whose spec does not parse is logged and skipped.
func (s *scheduler) reconcile(entries map[string]cron.EntryID, want map[string]job) {
	for key, j := range want {
		if _, ok := entries[key]; ok {
			continue
		}
		id, err := s.cron.AddFunc(j.spec, j.run)
		if err != nil {
			s.log.Error("bad schedule", slog.String("for", j.about), slog.String("schedule", j.spec), slog.Any("error", err))
			continue
		}
		entries[key] = id
	}
	for key, id := range entries {
		if _, ok := want[key]; !ok {
			s.cron.Remove(id)
			delete(entries, key)
		}
	}
}

func (s *scheduler) pollFeed(ctx context.Context, url string) {
	pctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	f, err := s.a.store.Feed(pctx, url)
	if errors.Is(err, store.ErrNotFound) {
		return
	}
	if err != nil {
		s.log.Error("load feed", slog.String("feed_url", redact.URL(url)), slog.Any("error", err))
		return
	}
	r := s.a.pipeline.Poll(pctx, f, false)
	if len(r.New) > 0 {
		s.deliverer.Wake()
	}
}

// cronLogger bridges cron's logger to slog.
type cronLogger struct{ log *slog.Logger }

// Info logs cron's routine messages at debug level.
func (c cronLogger) Info(msg string, kv ...any) { c.log.Debug("cron: "+msg, kv...) }

// Error logs cron's errors.
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.log.Error("cron: "+msg, append(kv, slog.Any("error", err))...)
}
