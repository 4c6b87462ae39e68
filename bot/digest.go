package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/sitrep-bot/sitrep/internal/clip"
	"github.com/sitrep-bot/sitrep/store"
)

// digestStore is the part of the store scheduled digests need.
type digestStore interface {
	Subscriptions(ctx context.Context, platform string) ([]store.Subscription, error)
	Stories(ctx context.Context, f store.StoryFilter) ([]store.Story, error)
	Items(ctx context.Context, f store.ItemFilter) ([]store.Item, error)
	Enqueue(ctx context.Context, ds []store.Delivery) error
	LastDigest(ctx context.Context, platform, channel string) (store.Delivery, error)
}

// Digest periods: the default, and the bounds of one derived from a schedule.
const (
	digestDefaultPeriod = 24 * time.Hour
	digestMinPeriod     = time.Minute
	digestMaxPeriod     = 7 * 24 * time.Hour
)

// Digester builds scheduled briefs for subscriptions with a Digest
// schedule and queues them in the outbox. The caller's scheduler calls
// Fire at each of the subscription's cron times.
type Digester struct {
	store digestStore
	log   *slog.Logger
	now   func() time.Time
}

// NewDigester builds a Digester. now defaults to time.Now.
func NewDigester(st digestStore, log *slog.Logger, now func() time.Time) *Digester {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if now == nil {
		now = time.Now
	}
	return &Digester{store: st, log: log, now: now}
}

// DigestKey is the identity of the digest of one channel fired at t (to the
// minute): it is stored as the delivery's StoryID, so replicas firing the
// same schedule queue one digest. Exposed for the store's uniqueness rule.
func DigestKey(t time.Time) string {
	return "digest@" + t.UTC().Round(time.Minute).Format("2006-01-02T15:04Z")
}

// Fire queues the digest of sub for now: one KindDigest delivery whose
// payload is a Post with the brief of the stories that reached sitrep
// (were first fetched, whatever their publication time) since the
// channel's previous digest, and match the subscription's current
// targets. The first digest of a channel covers the schedule's period
// (24h when the schedule says nothing better), and none covers more than
// a week. A subscription removed or switched to real-time posts since it
// was scheduled gets nothing. Firing twice for the same minute queues one
// digest.
//
// The delivery's Created is the time the window closes: the next digest
// starts there, so a story arriving while one digest is built is in that
// one or the next, never in none.
func (d *Digester) Fire(ctx context.Context, sub store.Subscription) error {
	now := d.now().UTC()
	fire := now.Round(time.Minute)
	log := d.log.With(slog.String("platform", sub.Platform), slog.String("channel_id", sub.Channel))
	cur, ok, err := d.current(ctx, sub)
	if err != nil {
		return err
	}
	if !ok || cur.Digest == "" {
		log.Info("digest: subscription gone or no longer a digest; skipped")
		return nil
	}
	key := DigestKey(fire)
	prev, err := d.store.LastDigest(ctx, cur.Platform, cur.Channel)
	hasPrev := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("digest: previous digest: %w", err)
	}
	if hasPrev && prev.StoryID == key {
		log.Debug("digest: already queued", slog.String("digest", key))
		return nil
	}
	period := digestPeriod(cur.Digest, fire)
	w := digestWindow{start: now.Add(-period), end: now, period: period, loc: scheduleLocation(cur.Digest)}
	if hasPrev && !prev.Created.IsZero() && prev.Created.Before(now) {
		w.start, w.sincePrev = prev.Created, true
	}
	w.start = later(w.start, now.Add(-digestMaxPeriod))
	post, err := d.build(ctx, cur, fire, w)
	if err != nil {
		return err
	}
	payload, err := json.Marshal(post)
	if err != nil {
		return fmt.Errorf("digest: encode: %w", err)
	}
	dl := store.Delivery{Platform: cur.Platform, Channel: cur.Channel, Kind: store.KindDigest, StoryID: key,
		Payload: payload, Created: now}
	if err := d.store.Enqueue(ctx, []store.Delivery{dl}); err != nil {
		return fmt.Errorf("digest: enqueue: %w", err)
	}
	log.Info("digest: queued", slog.String("digest", key), slog.Time("window_start", w.start),
		slog.Int("sections", len(post.Sections)))
	return nil
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// current returns the stored subscription of sub's channel.
func (d *Digester) current(ctx context.Context, sub store.Subscription) (store.Subscription, bool, error) {
	subs, err := d.store.Subscriptions(ctx, sub.Platform)
	if err != nil {
		return store.Subscription{}, false, fmt.Errorf("digest: subscriptions: %w", err)
	}
	for _, s := range subs {
		if s.Platform == sub.Platform && s.Channel == sub.Channel {
			return s, true, nil
		}
	}
	return store.Subscription{}, false, nil
}

// digestWindow is the time a digest covers.
type digestWindow struct {
	start, end time.Time
	period     time.Duration  // the schedule's period
	sincePrev  bool           // start is the previous digest's
	loc        *time.Location // the schedule's time zone, for words
}

// words says the window as a reader would: "in the last 24 hours" when it
// is the schedule's period (or the first digest), else "since 09:00 UTC",
// "since Mon 09:00 UTC" or "since 2 Jan 09:00 UTC".
func (w digestWindow) words() string {
	span := w.end.Sub(w.start)
	if !w.sincePrev || (span-w.period).Abs() <= time.Minute {
		return "in " + describePeriod(span.Round(time.Minute))
	}
	start, end := w.start.In(w.loc), w.end.In(w.loc)
	layout := "15:04 MST"
	switch {
	case start.YearDay() == end.YearDay() && start.Year() == end.Year():
	case span < 6*24*time.Hour:
		layout = "Mon 15:04 MST"
	default:
		layout = "2 Jan 15:04 MST"
	}
	return "since " + start.Format(layout)
}

// build writes the digest Post.
func (d *Digester) build(ctx context.Context, sub store.Subscription, fire time.Time, w digestWindow) (Post, error) {
	all, err := d.store.Stories(ctx, store.StoryFilter{Arrived: w.start, Limit: storyScanLimit})
	if err != nil {
		return Post{}, fmt.Errorf("digest: stories: %w", err)
	}
	var stories []store.Story
	for _, st := range all {
		if sub.Wants(st.Regions, st.Topics, st.Security) && len(stories) < briefStories {
			stories = append(stories, st)
		}
	}
	what := "everything"
	if len(sub.Targets) > 0 {
		what = strings.Join(sub.Targets, ", ")
	}
	post := Post{Kind: KindDigest, Time: fire,
		Title: fmt.Sprintf("%s: %s — %s", digestName(w.period), clip.Runes(what, 120), fire.In(w.loc).Format("2 Jan 2006"))}
	if len(stories) == 0 {
		post.Text = fmt.Sprintf("No new stories on %s %s.", what, w.words())
		return post, nil
	}
	post.Text = strings.TrimSuffix(briefIntro(stories), ".") + " " + w.words() + "."
	post.Sections, err = buildBrief(ctx, d.store, stories, sub.Targets)
	if err != nil {
		return Post{}, fmt.Errorf("digest: %w", err)
	}
	return post, nil
}

// digestName names a brief by its period.
func digestName(period time.Duration) string {
	switch period {
	case 24 * time.Hour:
		return "Daily brief"
	case 7 * 24 * time.Hour:
		return "Weekly brief"
	}
	return "Brief"
}

// digestPeriod is the time since the schedule's previous fire before at:
// 24h for a daily spec, 7 days for a weekly one, the delay of @every. An
// unreadable spec gives 24h.
func digestPeriod(spec string, at time.Time) time.Duration {
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return digestDefaultPeriod
	}
	if cd, ok := sched.(cron.ConstantDelaySchedule); ok {
		return clampPeriod(cd.Delay)
	}
	var prev time.Time
	t := at.Add(-digestMaxPeriod - time.Minute)
	for range 20000 {
		n := sched.Next(t)
		if n.IsZero() || !n.Before(at) {
			break
		}
		prev, t = n, n
	}
	if prev.IsZero() {
		return digestMaxPeriod
	}
	return clampPeriod(at.Sub(prev))
}

// scheduleLocation is the time zone a cron spec runs in: its CRON_TZ, else
// the process's local zone as robfig/cron uses; UTC for @every.
func scheduleLocation(spec string) *time.Location {
	if sched, err := cron.ParseStandard(spec); err == nil {
		if ss, ok := sched.(*cron.SpecSchedule); ok && ss.Location != nil {
			return ss.Location
		}
	}
	return time.UTC
}

func clampPeriod(p time.Duration) time.Duration {
	return min(max(p, digestMinPeriod), digestMaxPeriod)
}
