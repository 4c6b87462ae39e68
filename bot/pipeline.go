package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/sitrep-bot/sitrep/feeds"
	"github.com/sitrep-bot/sitrep/internal/redact"
	"github.com/sitrep-bot/sitrep/store"
	"github.com/sitrep-bot/sitrep/summarize"
	"github.com/sitrep-bot/sitrep/topics"
)

// fetcher is what the pipeline needs of feeds.Fetcher.
type fetcher interface {
	Fetch(ctx context.Context, req feeds.Request) (feeds.Result, error)
	FetchArticle(ctx context.Context, pageURL string) (feeds.Article, error)
}

// pipelineStore is the part of the store polling needs.
type pipelineStore interface {
	SaveFeedState(ctx context.Context, f store.Feed) error
	ClaimFeedPoll(ctx context.Context, id int64, owner string, now, leaseUntil time.Time) (bool, error)
	KnownKeys(ctx context.Context, feedID int64, keys []string) (map[string]bool, error)
	InsertItems(ctx context.Context, items []store.Item, stories []store.Story) ([]store.Item, error)
	RecentItems(ctx context.Context, since time.Time) ([]store.Item, error)
	Story(ctx context.Context, id string) (store.Story, error)
	Subscriptions(ctx context.Context, platform string) ([]store.Subscription, error)
}

// PipelineOptions configure a Pipeline.
type PipelineOptions struct {
	// Owner names this replica in poll leases.
	Owner string
	// Backfill: on a feed's first fetch, items older than this are stored but not posted.
	Backfill time.Duration
	// DefaultSchedule and DefaultArticle apply to feeds that set none.
	DefaultSchedule string
	DefaultArticle  string
	// StoryWindow is how long a story stays open to new reports (default 72h).
	StoryWindow time.Duration
	// Sentences per item summary; 0 uses the summarizer's default length
	// (up to three sentences within a word budget tuned on news).
	Sentences int
	// PollLease is how long a poll holds its feed (default 5m).
	PollLease time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Metrics receives counts; may be nil.
	Metrics PipelineMetrics
	// PrivateFetcher, when set, fetches the feeds PrivateFeed accepts and
	// their article pages: it may reach loopback and private addresses.
	// Every other feed goes through the pipeline's own fetcher, whose
	// address guard must be on. PrivateFeed is never asked about feeds
	// added from chat.
	PrivateFetcher fetcher
	PrivateFeed    func(store.Feed) bool
}

// PipelineMetrics receives the pipeline's counts. Implemented by cmd's
// Prometheus wiring; nil-safe.
type PipelineMetrics interface {
	FetchDone(outcome string, d time.Duration)
	ItemsNew(n int)
	StoriesNew(n int)
}

// Pipeline polls feeds and turns new items into stored, tagged, clustered
// items and outbox deliveries: poll → clean → summarize → tag → story → outbox.
type Pipeline struct {
	store    pipelineStore
	fetch    fetcher
	tagger   *topics.Tagger
	log      *slog.Logger
	opt      PipelineOptions
	mu       sync.Mutex // guards clus, loaded, rnd, polling
	polling  map[int64]bool
	ingestMu sync.Mutex // serialises story assignment; guards cache
	cache    map[string]cachedStory
	// cachePruned is when stale cache entries were last dropped.
	cachePruned time.Time
	batch       *insertBatcher
	clus        *topics.Clusterer
	loaded      time.Time
	rnd         *rand.Rand
	article     chan struct{} // bounds concurrent article fetches
}

// NewPipeline builds a pipeline.
func NewPipeline(st pipelineStore, f fetcher, tagger *topics.Tagger, log *slog.Logger, opt PipelineOptions) *Pipeline {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.StoryWindow == 0 {
		opt.StoryWindow = 72 * time.Hour
	}
	if opt.DefaultSchedule == "" {
		opt.DefaultSchedule = "@every 10m"
	}
	if opt.DefaultArticle == "" {
		opt.DefaultArticle = "auto"
	}
	if opt.Owner == "" {
		opt.Owner = "sitrep"
	}
	if opt.PollLease <= 0 {
		opt.PollLease = 5 * time.Minute
	}
	return &Pipeline{
		store: st, fetch: f, tagger: tagger, log: log, opt: opt,
		clus:    topics.NewClusterer(opt.StoryWindow),
		cache:   map[string]cachedStory{},
		polling: map[int64]bool{},
		batch:   &insertBatcher{st: st},
		rnd:     rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7)),
		article: make(chan struct{}, 4),
	}
}

// PollResult is the outcome of one feed poll.
type PollResult struct {
	Feed        store.Feed
	NotModified bool
	New         []store.Item // stored items that were new, oldest first
	Err         error
}

// ErrNotDue means another replica holds the feed or its next poll has not come.
var ErrNotDue = errors.New("poll: feed not due")

// Poll fetches one feed and processes its new items. With force it skips
// the lease and due-time check (sitrep poll --once). A feed this process is
// already polling is not polled again concurrently.
func (p *Pipeline) Poll(ctx context.Context, feed store.Feed, force bool) PollResult {
	if !p.startPolling(feed.ID) {
		return PollResult{Feed: feed, Err: ErrNotDue}
	}
	defer p.donePolling(feed.ID)
	now := p.opt.Now()
	log := p.log.With(slog.String("feed_url", redact.URL(feed.URL)))
	if !force {
		ok, err := p.store.ClaimFeedPoll(ctx, feed.ID, p.opt.Owner, now, now.Add(p.opt.PollLease))
		if err != nil {
			return PollResult{Feed: feed, Err: fmt.Errorf("poll %s: %w", feed.URL, err)}
		}
		if !ok {
			return PollResult{Feed: feed, Err: ErrNotDue}
		}
		// Finish well inside the lease, or another replica may poll too.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, p.opt.PollLease*4/5)
		defer cancel()
	}
	// The feed's state is saved (and its lease released) even when ctx
	// was cancelled meanwhile, e.g. at shutdown.
	save := func(f store.Feed) error {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		return p.store.SaveFeedState(sctx, f)
	}
	failed := func(err error, retryAfter time.Duration) PollResult {
		feed.Failures++
		feed.LastError = err.Error()
		feed.LastErrorAt = now
		p.mu.Lock()
		wait := feeds.Backoff(feed.Failures, p.rnd)
		p.mu.Unlock()
		feed.NextPoll = now.Add(max(wait, retryAfter))
		log.Warn("feed poll failed", slog.Int("failures", feed.Failures), slog.Any("error", err),
			slog.Time("next_poll", feed.NextPoll))
		if serr := save(feed); serr != nil {
			log.Error("save feed state", slog.Any("error", serr))
		}
		return PollResult{Feed: feed, Err: fmt.Errorf("poll %s: %w", feed.URL, err)}
	}
	start := time.Now()
	res, err := p.fetcherFor(feed).Fetch(ctx, feeds.Request{URL: feed.URL, ETag: feed.ETag, LastModified: feed.LastModified})
	if err != nil {
		p.metricFetch("error", time.Since(start))
		return failed(err, res.RetryAfter)
	}
	if res.NotModified {
		p.metricFetch("not_modified", time.Since(start))
		feed.Failures, feed.LastSuccess, feed.NextPoll = 0, now, p.nextPoll(feed, now, res)
		if err := save(feed); err != nil {
			return PollResult{Feed: feed, Err: fmt.Errorf("poll %s: %w", feed.URL, err)}
		}
		log.Debug("feed not modified")
		return PollResult{Feed: feed, NotModified: true}
	}
	p.metricFetch("ok", time.Since(start))
	if feed.Name == "" {
		// A chat-added feed is named after its host, never its own title
		// (which could claim another outlet's name).
		feed.Name = res.FeedTitle
		if feed.FromChat() {
			feed.Name = feeds.HostName(feed.URL)
		}
	}
	fresh, err := p.ingest(ctx, feed, res.Items, now)
	if err != nil {
		// Keep the old validators: the next request must fetch these items again.
		return failed(err, 0)
	}
	if res.ETag != "" || res.LastModified != "" {
		feed.ETag, feed.LastModified = res.ETag, res.LastModified
	}
	if feed.FirstFetched.IsZero() {
		feed.FirstFetched = now
	}
	feed.Failures, feed.LastSuccess, feed.NextPoll = 0, now, p.nextPoll(feed, now, res)
	if err := save(feed); err != nil {
		return PollResult{Feed: feed, New: fresh, Err: fmt.Errorf("poll %s: %w", feed.URL, err)}
	}
	log.Info("feed polled", slog.Int("items", len(res.Items)), slog.Int("new", len(fresh)))
	return PollResult{Feed: feed, New: fresh}
}

// startPolling marks a feed as being polled by this process, or reports
// that it already is.
func (p *Pipeline) startPolling(id int64) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.polling[id] {
		return false
	}
	p.polling[id] = true
	return true
}

func (p *Pipeline) donePolling(id int64) {
	p.mu.Lock()
	delete(p.polling, id)
	p.mu.Unlock()
}

func (p *Pipeline) metricFetch(outcome string, d time.Duration) {
	if p.opt.Metrics != nil {
		p.opt.Metrics.FetchDone(outcome, d)
	}
}

// nextPoll blocks other replicas' ticks until just before this feed's
// next scheduled tick (nine tenths of the gap), so a feed is polled once
// per period however many replicas run, while honouring the feed's TTL.
func (p *Pipeline) nextPoll(feed store.Feed, now time.Time, res feeds.Result) time.Time {
	spec := feed.Schedule
	if spec == "" {
		spec = p.opt.DefaultSchedule
	}
	next := now
	if sched, err := cron.ParseStandard(spec); err == nil {
		gap := sched.Next(now).Sub(now)
		next = now.Add(gap - min(gap/10, 30*time.Second))
	}
	if ttl := now.Add(res.TTL); ttl.After(next) {
		next = ttl
	}
	return next
}

// ingest processes the feed's items (oldest first) that were never seen.
func (p *Pipeline) ingest(ctx context.Context, feed store.Feed, items []feeds.Item, now time.Time) ([]store.Item, error) {
	if len(items) == 0 {
		return nil, nil
	}
	keys := make([]string, len(items))
	for i, it := range items {
		keys[i] = it.Key
	}
	known, err := p.store.KnownKeys(ctx, feed.ID, keys)
	if err != nil {
		return nil, err
	}
	var todo []feeds.Item
	seen := map[string]bool{}
	for _, it := range items {
		if known[it.Key] || seen[it.Key] {
			continue
		}
		seen[it.Key] = true
		todo = append(todo, it)
	}
	if len(todo) == 0 {
		return nil, nil
	}
	p.fetchArticles(ctx, feed, todo)
	subs, err := p.store.Subscriptions(ctx, "")
	if err != nil {
		return nil, err
	}
	if err := p.loadClusters(ctx, now); err != nil {
		return nil, err
	}
	processed := make([]store.Item, len(todo))
	tagsOf := make([]topics.Tags, len(todo))
	for i, it := range todo {
		processed[i], tagsOf[i] = p.process(feed, it, now)
	}
	// Clustering and story merging run one poll at a time so concurrent
	// polls of different outlets agree on each story; the insert runs
	// outside the lock, as the store merges story versions in any order.
	p.ingestMu.Lock()
	if now.Sub(p.cachePruned) > storyCacheTTL {
		for id, c := range p.cache {
			if now.Sub(c.at) > storyCacheTTL {
				delete(p.cache, id)
			}
		}
		p.cachePruned = now
	}
	firstFetch := feed.FirstFetched.IsZero()
	stories := map[string]*store.Story{}
	var order []string
	out := make([]store.Item, 0, len(processed))
	for i, si := range processed {
		doc := topics.Doc{ID: fmt.Sprintf("%d:%s", feed.ID, si.Key), Title: si.Title, Text: si.Text, Source: si.FeedName, Published: si.Published}
		// The tagger's analysis rides along in tags, so clustering does not redo it.
		tags := tagsOf[i]
		p.mu.Lock()
		si.StoryID = p.clus.Add(doc, tags, "")
		p.mu.Unlock()
		st, ok := stories[si.StoryID]
		if !ok {
			st, err = p.storyFor(ctx, si, si.StoryID == topics.StoryIDFor(doc.ID), now)
			if err != nil {
				p.ingestMu.Unlock()
				return nil, err
			}
			stories[si.StoryID] = st
			order = append(order, si.StoryID)
		}
		mergeStory(st, si)
		st.Severity = topics.MaxSeverity(st.Severity, tags.Severity)
		// On a feed's first fetch only recent items are posted; an undated
		// item could be of any age, so it is not posted either.
		old := firstFetch && p.opt.Backfill >= 0 && (todo[i].Published.IsZero() || si.Published.Before(now.Add(-p.opt.Backfill)))
		if !old {
			si.Deliveries = deliveriesFor(si, subs, st)
		}
		out = append(out, si)
	}
	list := make([]store.Story, 0, len(order))
	for _, id := range order {
		list = append(list, *stories[id])
		p.cache[id] = cachedStory{st: *stories[id], at: now}
	}
	p.ingestMu.Unlock()
	fresh, err := p.batch.insert(ctx, out, list)
	if err != nil {
		return nil, err
	}
	if p.opt.Metrics != nil {
		p.opt.Metrics.ItemsNew(len(fresh))
	}
	return fresh, nil
}

// process cleans, summarizes and tags one feed item.
func (p *Pipeline) process(feed store.Feed, it feeds.Item, now time.Time) (store.Item, topics.Tags) {
	text := summarize.Clean(it.Content)
	si := store.Item{
		FeedID: feed.ID, FeedName: feedName(feed), Key: it.Key, GUID: it.GUID, URL: it.URL,
		Title: it.Title, Text: text, Published: it.Published, Fetched: now,
	}
	if si.Published.IsZero() || si.Published.After(now) {
		si.Published = now
	}
	if sum, err := summarize.Summarize(text, summarize.Options{Sentences: p.opt.Sentences, Title: it.Title, MaxChars: 1200}); err == nil {
		si.Summary = sum.Text()
	}
	if si.Summary == "" {
		si.Summary = truncate(text, 600)
	}
	tags := p.tagger.Tag(topics.Doc{Title: it.Title, Text: text, Source: si.FeedName, Published: si.Published})
	si.Regions = tags.Regions
	si.Topics = append(slices.Clone(tags.Topics), tags.UserTopics...)
	return si, tags
}

// fetcherFor returns the fetcher for feed and its article pages: the
// private one only for operator feeds that PrivateFeed accepts.
func (p *Pipeline) fetcherFor(feed store.Feed) fetcher {
	if p.opt.PrivateFetcher != nil && p.opt.PrivateFeed != nil && !feed.FromChat() && p.opt.PrivateFeed(feed) {
		return p.opt.PrivateFetcher
	}
	return p.fetch
}

// fetchArticles replaces teasers with the article page's text, per the
// feed's article mode. Failures keep the teaser.
func (p *Pipeline) fetchArticles(ctx context.Context, feed store.Feed, items []feeds.Item) {
	mode := feed.Article
	if mode == "" {
		mode = p.opt.DefaultArticle
	}
	if mode == "never" {
		return
	}
	var wg sync.WaitGroup
	for i := range items {
		it := &items[i]
		if it.URL == "" || (mode == "auto" && !it.Teaser) {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case p.article <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-p.article }()
			a, err := p.fetcherFor(feed).FetchArticle(ctx, it.URL)
			if err != nil {
				p.log.Info("article fetch failed; keeping feed text", slog.String("feed_url", redact.URL(feed.URL)),
					slog.String("item_url", it.URL), slog.Any("error", err))
				return
			}
			if len(a.Text) > len(it.Content) {
				it.Content = a.Text
			}
		}()
	}
	wg.Wait()
}

// loadClusters seeds the clusterer with the store's recent items once, so
// stories continue across restarts and replicas.
func (p *Pipeline) loadClusters(ctx context.Context, now time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.loaded.IsZero() && now.Sub(p.loaded) < time.Minute {
		return nil
	}
	// Another replica's items carry the start time of its poll, which may
	// have run up to a poll lease before it committed.
	since := p.loaded.Add(-time.Minute - p.opt.PollLease)
	if p.loaded.IsZero() {
		since = now.Add(-p.opt.StoryWindow)
	}
	recent, err := p.store.RecentItems(ctx, since)
	if err != nil {
		return err
	}
	for _, it := range recent {
		doc := topics.Doc{ID: fmt.Sprintf("%d:%s", it.FeedID, it.Key), Title: it.Title, Text: it.Text, Source: it.FeedName, Published: it.Published}
		p.clus.Add(doc, topics.Tags{Regions: it.Regions, Topics: it.Topics}, it.StoryID)
	}
	p.clus.Prune(now.Add(-p.opt.StoryWindow))
	p.loaded = now
	return nil
}

// cachedStory is a story as this process last merged it.
type cachedStory struct {
	st store.Story
	at time.Time
}

// storyCacheTTL bounds how long a merged story is trusted over the store,
// which other replicas may have updated.
const storyCacheTTL = time.Minute

// storyFor returns the story to merge the item into: this process's recent
// version, else the stored one, else a new one. A story the clusterer has
// just started (started) is not looked up. Called with ingestMu held.
func (p *Pipeline) storyFor(ctx context.Context, it store.Item, started bool, now time.Time) (*store.Story, error) {
	c, cached := p.cache[it.StoryID]
	if cached && now.Sub(c.at) < storyCacheTTL {
		st := c.st
		return &st, nil
	}
	var st store.Story
	err := store.ErrNotFound
	if !started {
		st, err = p.store.Story(ctx, it.StoryID)
	}
	if errors.Is(err, store.ErrNotFound) && cached {
		st := c.st // merged here, insert not yet visible
		return &st, nil
	}
	if errors.Is(err, store.ErrNotFound) {
		if p.opt.Metrics != nil {
			p.opt.Metrics.StoriesNew(1)
		}
		return &store.Story{ID: it.StoryID, Title: it.Title, Summary: it.Summary, FirstSeen: it.Published, LastSeen: it.Published}, nil
	}
	if err != nil {
		return nil, err
	}
	return &st, nil
}

// mergeStory adds an item's tags and time to its story. The earliest
// report gives the story its title and summary.
func mergeStory(st *store.Story, it store.Item) {
	if st.Title == "" || it.Published.Before(st.FirstSeen) {
		st.Title = it.Title
		st.Summary = it.Summary
	}
	st.Regions = union(st.Regions, it.Regions)
	st.Topics = union(st.Topics, it.Topics)
	if st.FirstSeen.IsZero() || it.Published.Before(st.FirstSeen) {
		st.FirstSeen = it.Published
	}
	if it.Published.After(st.LastSeen) {
		st.LastSeen = it.Published
	}
	st.Items++
}

// deliveriesFor returns a post delivery for every real-time subscription
// the item matches. The store turns a post into a threaded update when the
// channel already has the story.
func deliveriesFor(it store.Item, subs []store.Subscription, st *store.Story) []store.Delivery {
	var out []store.Delivery
	for _, s := range subs {
		if s.Digest != "" || !Matches(s.Targets, it.Regions, it.Topics) {
			continue
		}
		out = append(out, store.Delivery{Platform: s.Platform, Channel: s.Channel, Kind: store.KindPost, StoryID: st.ID})
	}
	return out
}

// Matches reports whether an item or story with these regions and topics
// (built-in and user topics) falls under a subscription's targets. No
// targets means everything.
func Matches(targets, regions, topicNames []string) bool {
	if len(targets) == 0 {
		return true
	}
	for _, t := range targets {
		if slices.Contains(regions, t) || slices.Contains(topicNames, t) {
			return true
		}
	}
	return false
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, v := range b {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return out
}

func feedName(f store.Feed) string {
	if f.Name != "" {
		return f.Name
	}
	return redact.URL(f.URL)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// PollAll polls feeds with at most workers at once (default 16) and returns
// one result per feed, in the order given. One slow or failing feed never
// holds up the others beyond its own fetch timeout.
func (p *Pipeline) PollAll(ctx context.Context, list []store.Feed, force bool, workers int) []PollResult {
	if workers <= 0 {
		workers = 16
	}
	out := make([]PollResult, len(list))
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for i, f := range list {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			out[i] = p.Poll(ctx, f, force)
		}()
	}
	wg.Wait()
	return out
}
