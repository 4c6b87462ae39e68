package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/sitrep-bot/sitrep/internal/redact"
	"github.com/sitrep-bot/sitrep/store"
)

// schedulerStore is the part of the store the scheduler reads.
type schedulerStore interface {
	Feeds(ctx context.Context) ([]store.Feed, error)
	Feed(ctx context.Context, url string) (store.Feed, error)
	Subscriptions(ctx context.Context, platform string) ([]store.Subscription, error)
}

// SchedulerOptions configure a Scheduler.
type SchedulerOptions struct {
	// DefaultSchedule applies to feeds that set none (default "@every 10m").
	DefaultSchedule string
	// Wake is called when a poll stored new items or a digest was queued,
	// so the outbox worker sends them now; may be nil.
	Wake func()
	// Digest queues the scheduled brief of a subscription with a Digest
	// schedule; nil schedules no digests.
	Digest func(ctx context.Context, sub store.Subscription) error
}

// Scheduler runs one cron entry per feed and per digest subscription, and
// re-reads the store every minute so feeds added from chat (on any
// replica) get scheduled.
type Scheduler struct {
	store    schedulerStore
	pipeline *Pipeline
	log      *slog.Logger
	opt      SchedulerOptions
	cron     *cron.Cron
	wg       sync.WaitGroup // the first pass at start

	mu      sync.Mutex              // guards feeds and digests; held across no I/O
	feeds   map[string]cron.EntryID // url + "\x00" + schedule
	digests map[string]cron.EntryID // platform/channel + "\x00" + digest
}

// NewScheduler builds a scheduler polling through p.
func NewScheduler(st schedulerStore, p *Pipeline, log *slog.Logger, opt SchedulerOptions) *Scheduler {
	if opt.DefaultSchedule == "" {
		opt.DefaultSchedule = "@every 10m"
	}
	if opt.Wake == nil {
		opt.Wake = func() {}
	}
	cl := cronLogger{log}
	return &Scheduler{
		store: st, pipeline: p, log: log, opt: opt,
		cron:    cron.New(cron.WithLocation(time.UTC), cron.WithLogger(cl), cron.WithChain(cron.Recover(cl), cron.SkipIfStillRunning(cl))),
		feeds:   map[string]cron.EntryID{},
		digests: map[string]cron.EntryID{},
	}
}

// Start schedules the store's feeds and digests, starts the cron loop and
// a first pass over the feeds that are due. The jobs run until ctx ends;
// Stop waits for them.
func (s *Scheduler) Start(ctx context.Context) error {
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

// Stop stops scheduling and waits for running jobs and the first pass.
// Cancel Start's context first so they end promptly.
func (s *Scheduler) Stop() {
	<-s.cron.Stop().Done()
	s.wg.Wait()
}

func (s *Scheduler) syncLogged(ctx context.Context) {
	if err := s.sync(ctx); err != nil {
		s.log.Error("scheduler sync", slog.Any("error", err))
	}
}

// pollDue polls every feed whose next poll has come (claiming each).
func (s *Scheduler) pollDue(ctx context.Context) {
	list, err := s.store.Feeds(ctx)
	if err != nil {
		s.log.Error("list feeds", slog.Any("error", err))
		return
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	for _, r := range s.pipeline.PollAll(pctx, list, false, 16) {
		if len(r.New) > 0 {
			s.opt.Wake()
			return
		}
	}
}

// sync adds and removes cron entries to match the store.
func (s *Scheduler) sync(ctx context.Context) error {
	list, err := s.store.Feeds(ctx)
	if err != nil {
		return fmt.Errorf("scheduler: %w", err)
	}
	subs, err := s.store.Subscriptions(ctx, "")
	if err != nil {
		return fmt.Errorf("scheduler: %w", err)
	}
	polls := map[string]job{}
	for _, f := range list {
		spec := f.Schedule
		if spec == "" {
			spec = s.opt.DefaultSchedule
		}
		url := f.URL
		polls[url+"\x00"+spec] = job{spec: spec, run: func() { s.pollFeed(ctx, url) }, about: redact.URL(url)}
	}
	digests := map[string]job{}
	for _, sub := range subs {
		if sub.Digest == "" || s.opt.Digest == nil {
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
func (s *Scheduler) reconcile(entries map[string]cron.EntryID, want map[string]job) {
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

// pollFeed polls one feed at its scheduled time (if still stored).
func (s *Scheduler) pollFeed(ctx context.Context, url string) {
	pctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	f, err := s.store.Feed(pctx, url)
	if errors.Is(err, store.ErrNotFound) {
		return
	}
	if err != nil {
		s.log.Error("load feed", slog.String("feed_url", redact.URL(url)), slog.Any("error", err))
		return
	}
	r := s.pipeline.Poll(pctx, f, false)
	if len(r.New) > 0 {
		s.opt.Wake()
	}
}

// fireDigest queues the scheduled brief of one channel, reading its
// subscription afresh.
func (s *Scheduler) fireDigest(ctx context.Context, platform, channel string) {
	subs, err := s.store.Subscriptions(ctx, platform)
	if err != nil {
		s.log.Error("digest: subscriptions", slog.Any("error", err))
		return
	}
	for _, sub := range subs {
		if sub.Channel != channel || sub.Digest == "" {
			continue
		}
		if err := s.opt.Digest(ctx, sub); err != nil {
			s.log.Error("digest", slog.String("channel_id", channel), slog.Any("error", err))
			return
		}
		s.opt.Wake()
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
