package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/sitrep-bot/sitrep/bot"
	"github.com/sitrep-bot/sitrep/internal/redact"
	"github.com/sitrep-bot/sitrep/store"
	"github.com/sitrep-bot/sitrep/topics"
)

// itemJSON is one line of `poll --json` (DESIGN.md). Published is ""
// for an item its feed gave no date (sitrep dates it when it first sees
// it, for posting and backfill). Source is the outlet's name: the
// configured name, else the site's, as posts show it.
type itemJSON struct {
	Feed      string          `json:"feed"`
	ID        string          `json:"id"`
	URL       string          `json:"url"`
	Title     string          `json:"title"`
	Published string          `json:"published"`
	Summary   string          `json:"summary"`
	Source    string          `json:"source"`
	Regions   []string        `json:"regions"`
	Topics    []string        `json:"topics"`
	Security  bool            `json:"security"`
	Severity  topics.Severity `json:"severity"` // "" when not security news
	Story     string          `json:"story"`
}

func toItemJSON(feed store.Feed, it store.Item, undated bool) itemJSON {
	id := it.GUID
	if id == "" {
		id = it.URL
	}
	published := it.Published.UTC().Format(time.RFC3339)
	if undated {
		published = ""
	}
	return itemJSON{
		Feed: redact.URL(feed.URL), ID: id, URL: it.URL, Title: it.Title, Published: published,
		Summary: it.Summary, Source: it.FeedName, Regions: nonNil(it.Regions), Topics: nonNil(it.Topics), Story: it.StoryID,
		Security: it.Security, Severity: it.Severity,
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func cmdPoll(ctx context.Context, args []string, e env) error {
	fs := newFlags("poll", e)
	once := fs.Bool("once", false, "poll every feed once, deliver, and exit")
	cfgPath := fs.String("config", "", "configuration file (default ./sitrep.yaml if present)")
	asJSON := fs.Bool("json", false, "print one JSON object per new item on stdout")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if !*once {
		return fmt.Errorf("%w: only --once is supported; use `sitrep run` for the service", errUsage)
	}
	a, err := startApp(ctx, *cfgPath, e, false)
	if err != nil {
		return err
	}
	defer a.close()
	postOut := e.stdout
	if *asJSON {
		postOut = e.stderr // stdout carries only JSON lines
	}
	platforms, err := buildPlatforms(ctx, a, postOut, nil)
	if err != nil {
		return err
	}
	n, failed, err := pollOnce(ctx, a, platforms, e.stdout, *asJSON)
	if err != nil {
		return err
	}
	a.log.Info("poll done", slog.Int("new_items", n), slog.Int("failed_feeds", failed))
	return nil
}

// pollOnce polls every feed, prints JSON lines when asked, and delivers
// everything due. It returns the number of new items and failed feeds.
func pollOnce(ctx context.Context, a *app, platforms []bot.Platform, out io.Writer, asJSON bool) (int, int, error) {
	list, err := a.store.Feeds(ctx)
	if err != nil {
		return 0, 0, err
	}
	results := a.pipeline.PollAll(ctx, list, true, 16)
	n, failed := 0, 0
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for _, r := range results {
		if r.Err != nil {
			failed++
			continue
		}
		for _, it := range r.New {
			n++
			if asJSON {
				if err := enc.Encode(toItemJSON(r.Feed, it, r.Undated[it.Key])); err != nil {
					return n, failed, fmt.Errorf("poll: write json: %w", err)
				}
			}
		}
	}
	if err := deliverAll(ctx, a, platforms); err != nil {
		return n, failed, err
	}
	return n, failed, nil
}

// deliverAll sends every delivery that is due now, then returns.
// Channels are served one at a time so terminal output stays in order.
func deliverAll(ctx context.Context, a *app, platforms []bot.Platform) error {
	d := bot.NewDeliverer(a.store, platforms, a.log, bot.DelivererOptions{Owner: a.owner, RollupAfter: a.cfg.RollupAfter(), Parallel: 1})
	for {
		n, err := d.RunOnce(ctx)
		if err != nil {
			return err
		}
		if n == 0 || ctx.Err() != nil {
			return nil
		}
	}
}
