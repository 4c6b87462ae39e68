package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/sitrep-bot/sitrep/store"
)

// digestStore is the part of the store scheduled digests need.
type digestStore interface {
	Subscriptions(ctx context.Context, platform string) ([]store.Subscription, error)
	Stories(ctx context.Context, f store.StoryFilter) ([]store.Story, error)
	Items(ctx context.Context, f store.ItemFilter) ([]store.Item, error)
	Enqueue(ctx context.Context, ds []store.Delivery) error
	Deliveries(ctx context.Context, status string, limit int) ([]store.Delivery, error)
}

// Digest periods: the default, and the bounds of one derived from a schedule.
const (
	digestDefaultPeriod = 24 * time.Hour
	digestMinPeriod     = time.Minute
	digestMaxPeriod     = 7 * 24 * time.Hour
	// digestDedupScan is how many recent deliveries are checked for a
	// digest another replica already queued for the same fire time.
	digestDedupScan = 500
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
// payload is a Post with the brief of the stories seen since the previous
// fire time (24h when the schedule says nothing better) that match the
// subscription's current targets. A subscription removed or switched to
// real-time posts since it was scheduled gets nothing. Firing twice for
// the same minute queues one digest.
func (d *Digester) Fire(ctx context.Context, sub store.Subscription) error {
	fire := d.now().UTC().Round(time.Minute)
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
	if dup, err := d.queued(ctx, cur, key); err != nil {
		return err
	} else if dup {
		log.Debug("digest: already queued", slog.String("digest", key))
		return nil
	}
	period := digestPeriod(cur.Digest, fire)
	post, err := d.build(ctx, cur, fire, period)
	if err != nil {
		return err
	}
	payload, err := json.Marshal(post)
	if err != nil {
		return fmt.Errorf("digest: encode: %w", err)
	}
	dl := store.Delivery{Platform: cur.Platform, Channel: cur.Channel, Kind: store.KindDigest, StoryID: key,
		Payload: payload, Created: d.now().UTC()}
	if err := d.store.Enqueue(ctx, []store.Delivery{dl}); err != nil {
		return fmt.Errorf("digest: enqueue: %w", err)
	}
	log.Info("digest: queued", slog.String("digest", key), slog.Int("sections", len(post.Sections)))
	return nil
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

// queued reports whether a digest with this key is already in the outbox
// for the channel. It narrows, but cannot close, the race between two
// replicas firing at once; a unique (platform, channel, story_id) index
// for kind 'digest' in the store closes it.
func (d *Digester) queued(ctx context.Context, sub store.Subscription, key string) (bool, error) {
	recent, err := d.store.Deliveries(ctx, "", digestDedupScan)
	if err != nil {
		return false, fmt.Errorf("digest: deliveries: %w", err)
	}
	for _, dl := range recent {
		if dl.Kind == store.KindDigest && dl.Platform == sub.Platform && dl.Channel == sub.Channel && dl.StoryID == key {
			return true, nil
		}
	}
	return false, nil
}

// build writes the digest Post.
func (d *Digester) build(ctx context.Context, sub store.Subscription, fire time.Time, period time.Duration) (Post, error) {
	all, err := d.store.Stories(ctx, store.StoryFilter{Since: fire.Add(-period), Limit: storyScanLimit})
	if err != nil {
		return Post{}, fmt.Errorf("digest: stories: %w", err)
	}
	var stories []store.Story
	for _, st := range all {
		if store.Matches(sub.Targets, st.Regions, st.Topics) && len(stories) < briefStories {
			stories = append(stories, st)
		}
	}
	what := "everything"
	if len(sub.Targets) > 0 {
		what = strings.Join(sub.Targets, ", ")
	}
	post := Post{Kind: KindDigest, Time: fire,
		Title: fmt.Sprintf("%s: %s — %s", digestName(period), clipRunes(what, 120), fire.Format("2 Jan 2006"))}
	if len(stories) == 0 {
		post.Text = fmt.Sprintf("No new stories on %s in %s.", what, describePeriod(period))
		return post, nil
	}
	post.Text = briefIntro(stories)
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

func clampPeriod(p time.Duration) time.Duration {
	return min(max(p, digestMinPeriod), digestMaxPeriod)
}
