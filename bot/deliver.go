package bot

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/sitrep-bot/sitrep/store"
	"github.com/sitrep-bot/sitrep/summarize"
)

// outbox is the part of the store the Deliverer needs.
type outbox interface {
	ClaimDeliveries(ctx context.Context, owner string, now time.Time, lease time.Duration, max int) ([]store.Delivery, error)
	MarkSent(ctx context.Context, id int64, owner, ref string, at time.Time, roots []string) error
	MarkRetry(ctx context.Context, id int64, owner string, next time.Time, reason string) error
	MarkFailed(ctx context.Context, id int64, owner, reason string) error
	MarkDropped(ctx context.Context, ids []int64, reason string) error
	DropUpdates(ctx context.Context, platform, channel string, itemIDs []int64, reason string) error
	RootRef(ctx context.Context, platform, channel, storyID string) (string, error)
	Story(ctx context.Context, id string) (store.Story, error)
	Items(ctx context.Context, f store.ItemFilter) ([]store.Item, error)
}

// DeliveryMetrics receives delivery outcomes; nil-safe.
type DeliveryMetrics interface {
	Delivered(platform, outcome string, latency time.Duration)
}

// DelivererOptions configure a Deliverer.
type DelivererOptions struct {
	Owner       string        // lease owner name of this replica
	Lease       time.Duration // default 2m
	Batch       int           // deliveries claimed at once, default 50
	Interval    time.Duration // idle poll interval, default 1s
	RollupAfter int           // fold more than this many posts per channel per minute; 0 = off
	MaxAttempts int           // give up after this many tries, default 12
	SendTimeout time.Duration // per send, default 30s
	Parallel    int           // channels served at once, default 8
	Now         func() time.Time
	Metrics     DeliveryMetrics
}

// Deliverer is the outbox worker: it claims due deliveries with a lease,
// sends them through their platform and records the outcome. Several
// Deliverers (in several replicas) may share one store.
type Deliverer struct {
	store     outbox
	platforms map[string]Platform
	log       *slog.Logger
	opt       DelivererOptions
	wake      chan struct{}
	mu        sync.Mutex
	rnd       *rand.Rand
}

// NewDeliverer builds a Deliverer for the given platforms.
func NewDeliverer(st outbox, platforms []Platform, log *slog.Logger, opt DelivererOptions) *Deliverer {
	if opt.Lease == 0 {
		opt.Lease = 2 * time.Minute
	}
	if opt.Batch == 0 {
		opt.Batch = 50
	}
	if opt.Interval == 0 {
		opt.Interval = time.Second
	}
	if opt.MaxAttempts == 0 {
		opt.MaxAttempts = 12
	}
	if opt.SendTimeout == 0 {
		// A send must end well inside its lease, or another worker could
		// claim and resend the delivery.
		opt.SendTimeout = min(30*time.Second, opt.Lease/3)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Owner == "" {
		opt.Owner = "sitrep"
	}
	if opt.Parallel <= 0 {
		opt.Parallel = 8
	}
	m := make(map[string]Platform, len(platforms))
	for _, p := range platforms {
		m[p.Name()] = p
	}
	return &Deliverer{store: st, platforms: m, log: log, opt: opt, wake: make(chan struct{}, 1),
		rnd: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 11))}
}

// Wake asks the Deliverer to look for work now (after a poll enqueued some).
func (d *Deliverer) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx is done. In-flight sends finish; deliveries
// claimed but not yet sent are released for another worker.
func (d *Deliverer) Run(ctx context.Context) error {
	t := time.NewTicker(d.opt.Interval)
	defer t.Stop()
	for {
		n, err := d.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			d.log.Error("deliver", slog.Any("error", err))
		}
		if ctx.Err() != nil {
			return nil
		}
		if n > 0 {
			continue // more may be waiting
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-d.wake:
		}
	}
}

// RunOnce claims one batch and handles it. It returns how many deliveries
// it claimed.
func (d *Deliverer) RunOnce(ctx context.Context) (int, error) {
	claimed, err := d.store.ClaimDeliveries(ctx, d.opt.Owner, d.opt.Now(), d.opt.Lease, d.opt.Batch)
	if err != nil {
		return 0, fmt.Errorf("deliver: claim: %w", err)
	}
	// A burst's posts interleave across channels in the outbox; to see a
	// whole burst per channel (roll-ups), keep claiming while batches come
	// back full, up to rollupClaimMax.
	for d.opt.RollupAfter > 0 && len(claimed)%d.opt.Batch == 0 && len(claimed) > 0 && len(claimed) < rollupClaimMax {
		more, err := d.store.ClaimDeliveries(ctx, d.opt.Owner, d.opt.Now(), d.opt.Lease, d.opt.Batch)
		if err != nil {
			d.release(claimed)
			return 0, fmt.Errorf("deliver: claim: %w", err)
		}
		claimed = append(claimed, more...)
		if len(more) < d.opt.Batch {
			break
		}
	}
	if len(claimed) == 0 {
		return 0, nil
	}
	groups := map[string][]store.Delivery{}
	var order []string
	for _, dl := range claimed {
		k := dl.Platform + "\x00" + dl.Channel
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], dl)
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, d.opt.Parallel)
	for _, k := range order {
		wg.Add(1)
		sem <- struct{}{}
		go func(ds []store.Delivery) {
			defer wg.Done()
			defer func() { <-sem }()
			d.channel(ctx, ds)
		}(groups[k])
	}
	wg.Wait()
	return len(claimed), nil
}

// channel handles one channel's claimed deliveries in order.
func (d *Deliverer) channel(ctx context.Context, ds []store.Delivery) {
	if d.opt.RollupAfter > 0 {
		ds = d.rollup(ctx, ds)
	}
	// Never send under a lease that may expire mid-send: another worker
	// could then claim and send the same delivery.
	margin := d.opt.SendTimeout
	listed := map[int64]bool{} // items a root post sent in this run already lists
	for i, dl := range ds {
		if ctx.Err() != nil || d.opt.Now().After(dl.LeaseUntil.Add(-margin)) {
			d.release(ds[i:])
			return
		}
		if dl.Kind == store.KindUpdate && listed[dl.ItemID] {
			if err := d.store.MarkDropped(ctx, []int64{dl.ID}, "listed in the root post"); err != nil {
				d.log.Warn("drop listed update", slog.Int64("delivery_id", dl.ID), slog.Any("error", err))
			}
			continue
		}
		for _, id := range d.deliver(ctx, dl, nil).listed {
			listed[id] = true
		}
	}
}

// release hands unsent deliveries back (shutdown, or a lease running out).
func (d *Deliverer) release(ds []store.Delivery) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, dl := range ds {
		if err := d.store.MarkRetry(ctx, dl.ID, d.opt.Owner, d.opt.Now(), "released unsent"); err != nil {
			d.log.Warn("release delivery", slog.Int64("delivery_id", dl.ID), slog.Any("error", err))
		}
	}
}

// rollup folds a burst of new-story posts for one channel into a single
// roll-up, sent as the first of them (so its id keeps the send idempotent).
func (d *Deliverer) rollup(ctx context.Context, ds []store.Delivery) []store.Delivery {
	var posts []store.Delivery
	var rest []store.Delivery
	for _, dl := range ds {
		if dl.Kind == store.KindPost {
			posts = append(posts, dl)
		} else {
			rest = append(rest, dl)
		}
	}
	if len(posts) <= d.opt.RollupAfter {
		return ds
	}
	newest := posts[0].Created
	for _, p := range posts {
		if p.Created.After(newest) {
			newest = p.Created
		}
	}
	var burst, keep []store.Delivery
	for _, p := range posts {
		if newest.Sub(p.Created) <= time.Minute {
			burst = append(burst, p)
		} else {
			keep = append(keep, p)
		}
	}
	if len(burst) <= d.opt.RollupAfter {
		return ds
	}
	if !d.deliver(ctx, burst[0], burst).sent {
		// The roll-up did not go out: hand the folded posts back at once
		// rather than leaving them leased.
		d.release(burst[1:])
	}
	return append(keep, rest...)
}

// outcome is what deliver did: whether the message was sent and recorded,
// and for a root post the items it lists.
type outcome struct {
	sent   bool
	listed []int64
}

// rollupClaimMax bounds how many deliveries one round claims when roll-ups
// are on.
const rollupClaimMax = 400

// shutdownSendGrace bounds a send still running when the Deliverer stops.
const shutdownSendGrace = 5 * time.Second

// deliver sends one delivery (or, with folded set, a roll-up of them) and
// records the outcome.
func (d *Deliverer) deliver(ctx context.Context, dl store.Delivery, folded []store.Delivery) outcome {
	log := d.log.With(slog.Int64("delivery_id", dl.ID), slog.String("platform", dl.Platform),
		slog.String("channel_id", dl.Channel), slog.String("kind", dl.Kind), slog.String("story_id", dl.StoryID))
	pf, ok := d.platforms[dl.Platform]
	if !ok {
		d.fail(ctx, log, dl, "platform_not_configured")
		return outcome{}
	}
	out, roots, listed, skip, err := d.build(ctx, dl, folded)
	if err != nil {
		d.retry(ctx, log, dl, err)
		return outcome{}
	}
	if skip != "" {
		if err := d.store.MarkDropped(ctx, []int64{dl.ID}, skip); err != nil {
			log.Error("drop delivery", slog.Any("error", err))
		}
		return outcome{}
	}
	if out.Thread == "" && out.Post.Kind == KindUpdate {
		// The root is not sent yet: wait for it.
		if err := d.store.MarkRetry(ctx, dl.ID, d.opt.Owner, d.opt.Now().Add(3*time.Second), "waiting for the story's root post"); err != nil {
			log.Error("requeue delivery", slog.Any("error", err))
		}
		return outcome{}
	}
	// A send in flight finishes even when the Deliverer is stopping, but
	// within a short grace so shutdown stays prompt.
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), d.opt.SendTimeout)
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(shutdownSendGrace, cancel) })
	ref, err := pf.Send(sendCtx, out)
	stop()
	cancel()
	if err != nil {
		if IsPermanent(err) {
			d.fail(ctx, log, dl, err.Error())
			return outcome{}
		}
		d.retry(ctx, log, dl, err)
		return outcome{}
	}
	now := d.opt.Now()
	bg := context.WithoutCancel(ctx)
	if len(folded) > 1 {
		// The roll-up carries the other folded posts: drop them before
		// MarkSent, which would otherwise turn them into threaded updates.
		// Killed in between, the carrier is resent under its own id and
		// the platform finds the message already posted.
		ids := make([]int64, 0, len(folded)-1)
		for _, f := range folded[1:] {
			ids = append(ids, f.ID)
		}
		if err := d.store.MarkDropped(bg, ids, fmt.Sprintf("folded into roll-up %d", dl.ID)); err != nil {
			log.Error("record roll-up", slog.Any("error", err))
		}
	}
	if err := d.store.MarkSent(bg, dl.ID, d.opt.Owner, ref, now, roots); err != nil {
		log.Error("record sent delivery", slog.Any("error", err))
		return outcome{}
	}
	if len(listed) > 0 {
		// Reports the root already lists need no "also reported by".
		if err := d.store.DropUpdates(bg, dl.Platform, dl.Channel, listed, "listed in the root post"); err != nil {
			log.Warn("drop listed updates", slog.Any("error", err))
		}
	}
	if d.opt.Metrics != nil {
		d.opt.Metrics.Delivered(dl.Platform, "sent", now.Sub(out.Post.Time))
	}
	log.Info("delivered", slog.String("message_ref", ref), slog.Int("folded", len(folded)))
	return outcome{sent: true, listed: listed}
}

func (d *Deliverer) fail(ctx context.Context, log *slog.Logger, dl store.Delivery, reason string) {
	log.Error("delivery failed permanently", slog.String("reason", reason))
	if err := d.store.MarkFailed(context.WithoutCancel(ctx), dl.ID, d.opt.Owner, reason); err != nil {
		log.Error("record failed delivery", slog.Any("error", err))
	}
	if d.opt.Metrics != nil {
		d.opt.Metrics.Delivered(dl.Platform, "failed", 0)
	}
}

func (d *Deliverer) retry(ctx context.Context, log *slog.Logger, dl store.Delivery, err error) {
	if dl.Attempts >= d.opt.MaxAttempts {
		d.fail(ctx, log, dl, fmt.Sprintf("gave up after %d attempts: %v", dl.Attempts, err))
		return
	}
	wait := RetryDelay(err)
	if wait == 0 {
		wait = d.backoff(dl.Attempts)
	}
	log.Warn("delivery failed; will retry", slog.Any("error", err), slog.Duration("retry_in", wait), slog.Int("attempt", dl.Attempts))
	if err := d.store.MarkRetry(context.WithoutCancel(ctx), dl.ID, d.opt.Owner, d.opt.Now().Add(wait), err.Error()); err != nil {
		log.Error("requeue delivery", slog.Any("error", err))
	}
	if d.opt.Metrics != nil {
		d.opt.Metrics.Delivered(dl.Platform, "retry", 0)
	}
}

// backoff is exponential from 2 s, capped at 30 min, with ±25 % jitter.
func (d *Deliverer) backoff(attempt int) time.Duration {
	base := 2 * time.Second << min(max(attempt-1, 0), 10)
	base = min(base, 30*time.Minute)
	d.mu.Lock()
	j := 0.75 + d.rnd.Float64()/2
	d.mu.Unlock()
	return time.Duration(float64(base) * j)
}

// rootWait is how many tries an update waits for its story's root post
// before it is sent as a root itself (the root failed or was dropped). It
// stays well under the default MaxAttempts so a promoted update keeps
// several tries of its own.
const rootWait = 6

// build turns an outbox entry into the platform-neutral Delivery. It
// returns the stories the message will root, the items a root post lists,
// or a reason to skip it.
func (d *Deliverer) build(ctx context.Context, dl store.Delivery, folded []store.Delivery) (out Delivery, roots []string, listed []int64, skip string, err error) {
	out = Delivery{ID: dl.ID, Platform: dl.Platform, Channel: dl.Channel, Attempt: dl.Attempts}
	switch {
	case folded != nil:
		post := Post{Kind: KindRollup, Time: d.opt.Now()}
		for _, f := range folded {
			st, items, err := d.story(ctx, f.StoryID)
			if err != nil {
				return out, nil, nil, "", err
			}
			post.Stories = append(post.Stories, storyLine(st, items))
			roots = append(roots, st.ID)
		}
		post.Title = fmt.Sprintf("%d new stories", len(folded))
		out.Post = post
		return out, roots, nil, "", nil
	case dl.Kind == store.KindPost || dl.Kind == store.KindUpdate:
		root, err := d.store.RootRef(ctx, dl.Platform, dl.Channel, dl.StoryID)
		if err != nil {
			return out, nil, nil, "", err
		}
		if dl.Kind == store.KindPost && root != "" {
			return out, nil, nil, "story already posted in this channel", nil
		}
		st, items, err := d.story(ctx, dl.StoryID)
		if err != nil {
			return out, nil, nil, "", err
		}
		post := StoryPost(st, items)
		if dl.Kind == store.KindPost || (root == "" && dl.Attempts > rootWait) {
			out.Post = post
			for _, it := range items {
				listed = append(listed, it.ID)
			}
			return out, []string{st.ID}, listed, "", nil
		}
		post.Kind = KindUpdate
		for _, it := range items {
			if it.ID == dl.ItemID {
				src := sourceOf(it)
				post.Update = &src
			}
		}
		if post.Update == nil {
			return out, nil, nil, "reported item no longer stored", nil
		}
		out.Post, out.Thread, out.EditRoot = post, root, root != ""
		return out, nil, nil, "", nil
	default:
		var post Post
		if err := json.Unmarshal(dl.Payload, &post); err != nil {
			return out, nil, nil, "unreadable payload", nil
		}
		if post.Kind == "" {
			post.Kind = dl.Kind
		}
		out.Post = post
		return out, nil, nil, "", nil
	}
}

// story loads a story and its items, first report first.
func (d *Deliverer) story(ctx context.Context, id string) (store.Story, []store.Item, error) {
	st, err := d.store.Story(ctx, id)
	if err != nil {
		return st, nil, fmt.Errorf("deliver: story %s: %w", id, err)
	}
	items, err := d.store.Items(ctx, store.ItemFilter{StoryID: id, Limit: 100})
	if err != nil {
		return st, nil, fmt.Errorf("deliver: story %s items: %w", id, err)
	}
	store.SortReports(items)
	return st, items, nil
}

// StoryPost renders a stored story and its items (first report first) as
// a Post. A story with several reports gets a multi-document summary that
// states shared facts once.
func StoryPost(st store.Story, items []store.Item) Post {
	post := Post{Kind: KindPost, StoryID: st.ID, Title: st.Title, Summary: st.Summary, Regions: st.Regions,
		Topics: st.Topics, Severity: st.Severity, Time: st.FirstSeen}
	docs := make([]summarize.Document, 0, len(items))
	for i, it := range items {
		// The link is the report the story is titled after (else the first).
		if i == 0 || it.Title == st.Title && items[0].Title != st.Title {
			post.URL = it.URL
		}
		post.Sources = append(post.Sources, sourceOf(it))
		docs = append(docs, summarize.Document{Title: it.Title, Text: it.Text, Source: it.FeedName})
	}
	if len(docs) > 1 {
		if sum, err := summarize.SummarizeMany(docs, summarize.Options{Title: st.Title, MaxChars: 1200}); err == nil && len(sum.Sentences) > 0 {
			// Leads first: a report's opening sentence states the event,
			// later ones give context that reads oddly before it.
			slices.SortStableFunc(sum.Sentences, func(a, b summarize.Sentence) int {
				return cmp.Or(cmp.Compare(a.Index, b.Index), cmp.Compare(a.Doc, b.Doc))
			})
			post.Summary = sum.Text()
		}
	}
	return post
}

func storyLine(st store.Story, items []store.Item) StoryLine {
	l := StoryLine{StoryID: st.ID, Title: st.Title, Sources: len(items), Regions: st.Regions, Topics: st.Topics,
		Summary: st.Summary, Time: st.LastSeen}
	if len(items) > 0 {
		l.URL = items[0].URL
	}
	return l
}

func sourceOf(it store.Item) Source {
	return Source{Name: it.FeedName, Title: it.Title, URL: it.URL, Published: it.Published}
}
