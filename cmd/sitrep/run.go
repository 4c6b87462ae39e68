package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/sitrep-bot/sitrep/bot"
	"github.com/sitrep-bot/sitrep/ingest"
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
	for _, adapter := range ad {
		goRun(adapter.Name(), adapter.Run)
	}
	digester := bot.NewDigester(a.store, log, time.Now)
	sched := ingest.NewScheduler(a.store, a.pipeline, log, ingest.SchedulerOptions{
		DefaultSchedule: cfg.Defaults.Schedule, Wake: deliverer.Wake, Digest: digester.Fire,
	})
	if err := sched.Start(work); err != nil {
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
		sched.Stop()
		wg.Wait()
		sctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		hl.shutdown(sctx)
		// Slash-command answers still being finished in the background.
		for _, adapter := range ad {
			if err := adapter.Shutdown(sctx); err != nil {
				log.Warn("adapter shutdown", slog.String("platform", adapter.Name()), slog.Any("error", err))
			}
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
