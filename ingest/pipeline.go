package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/sitrep-bot/sitrep/feeds"
	"github.com/sitrep-bot/sitrep/internal/clip"
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

// resolver finds the feed behind a web page (feeds.Fetcher.Resolve); a
// fetcher that has it lets configured page URLs be polled.
type resolver interface {
	Resolve(ctx context.Context, pageURL string) (feeds.Discovery, error)
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
// items and outbox deliveries: poll → clean → tag → story → summarize → outbox.
type Pipeline struct {
	store   pipelineStore
	fetch   fetcher
	tagger  *topics.Tagger
	log     *slog.Logger
	opt     PipelineOptions
	batch   *insertBatcher
	article chan struct{} // bounds concurrent article fetches

	// Lock order: ingestMu, then mu; the batcher's lock is taken with
	// neither held. No lock is held across I/O (fetches, store calls).

	// ingestMu serialises story assignment and merging across polls, so
	// concurrent polls of different outlets agree on each story.
	ingestMu sync.Mutex
	cache    map[string]cachedStory // guarded by ingestMu
	// cachePruned is when stale cache entries were last dropped; guarded by ingestMu.
	cachePruned time.Time

	mu      sync.Mutex // guards the fields below
	polling map[int64]bool
	// resolved holds, per feed ID, the feed found behind a configured
	// URL that is a web page.
	resolved map[int64]feeds.Discovery
	clus     *topics.Clusterer
	book     *storyBook    // the stored story of each report the clusterer holds
	loaded   time.Time     // when the clusterer last read the store's recent items
	loading  chan struct{} // closed when a read of recent items in progress ends; nil if none
	rnd      *rand.Rand
	// furniture holds each feed's furniture model, learned from the items
	// the feed sends (one entry per polled feed, as long as the process runs).
	furniture map[int64]*summarize.FeedFurniture
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
		clus:      topics.NewClusterer(opt.StoryWindow),
		book:      newStoryBook(),
		cache:     map[string]cachedStory{},
		polling:   map[int64]bool{},
		resolved:  map[int64]feeds.Discovery{},
		furniture: map[int64]*summarize.FeedFurniture{},
		batch:     &insertBatcher{st: st},
		rnd:       rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7)),
		article:   make(chan struct{}, 4),
	}
}

// PollResult is the outcome of one feed poll.
type PollResult struct {
	Feed        store.Feed
	NotModified bool
	New         []store.Item // stored items that were new, oldest first
	// Undated holds the keys of New items the feed gave no date: their
	// Published is the time sitrep first saw them.
	Undated map[string]bool
	Err     error
}

// ErrNotDue means another replica holds the feed or its next poll has not come.
var ErrNotDue = errors.New("poll: feed not due")

// Poll fetches one feed and processes its new items. With force it skips
// the lease and due-time check (sitrep poll --once). A feed this process is
// already polling is not polled again concurrently.
func (p *Pipeline) Poll(ctx context.Context, feed store.Feed, force bool) PollResult {
	ps := p.prepare(ctx, feed, force, &roundSubs{st: p.store})
	if ps.done {
		return ps.result
	}
	p.assignStories([]*pollState{ps}, ps.now)
	return p.finish(ps)
}

// pollState is one feed's poll between its steps: prepare (fetch, clean,
// summarize, tag), assignStories (over every poll of a round at once) and
// finish (merge into stories, store, save the feed's state).
type pollState struct {
	ctx    context.Context
	cancel context.CancelFunc
	feed   store.Feed
	now    time.Time
	log    *slog.Logger
	res    feeds.Result
	batch  []pending
	subs   []store.Subscription
	// roundSubs reads the subscriptions once for the polls of a round.
	roundSubs *roundSubs

	done   bool       // the poll has ended: res holds its result
	result PollResult // when done
}

// roundSubs reads the subscriptions for the polls of a round (a PollAll
// or a single Poll) the first time one asks, and keeps them for the round
// (shared, read only); a failed read is tried again by the next poll that
// asks. One poll reads at a time (the others wait for it); the read runs
// unlocked.
type roundSubs struct {
	st      pipelineStore
	mu      sync.Mutex // guards the fields below
	subs    []store.Subscription
	read    bool
	reading chan struct{} // closed when a read in progress ends; nil if none
}

// get returns the round's subscriptions.
func (r *roundSubs) get(ctx context.Context) ([]store.Subscription, error) {
	for {
		r.mu.Lock()
		if r.read {
			r.mu.Unlock()
			return r.subs, nil
		}
		if wait := r.reading; wait != nil {
			r.mu.Unlock()
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		done := make(chan struct{})
		r.reading = done
		r.mu.Unlock()

		subs, err := r.st.Subscriptions(ctx, "")

		r.mu.Lock()
		r.reading = nil
		close(done)
		if err == nil {
			r.subs, r.read = subs, true
		}
		r.mu.Unlock()
		return subs, err
	}
}

// end marks the poll finished with r and releases the feed.
func (p *Pipeline) end(ps *pollState, r PollResult) *pollState {
	ps.done, ps.result = true, r
	if ps.cancel != nil {
		ps.cancel()
	}
	p.donePolling(ps.feed.ID)
	return ps
}

// save stores the feed's state (and releases its lease) even when ctx was
// cancelled meanwhile, e.g. at shutdown.
func (p *Pipeline) save(ps *pollState, f store.Feed) error {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ps.ctx), 5*time.Second)
	defer cancel()
	return p.store.SaveFeedState(sctx, f)
}

// failed records a failed poll in the feed's state and ends the poll.
func (p *Pipeline) failed(ps *pollState, err error, retryAfter time.Duration) *pollState {
	feed := ps.feed
	feed.Failures++
	feed.LastError = err.Error()
	feed.LastErrorAt = ps.now
	p.mu.Lock()
	wait := feeds.Backoff(feed.Failures, p.rnd)
	p.mu.Unlock()
	feed.NextPoll = ps.now.Add(max(wait, retryAfter))
	ps.log.Warn("feed poll failed", slog.Int("failures", feed.Failures), slog.Any("error", err),
		slog.Time("next_poll", feed.NextPoll))
	if serr := p.save(ps, feed); serr != nil {
		ps.log.Error("save feed state", slog.Any("error", serr))
	}
	ps.feed = feed
	return p.end(ps, PollResult{Feed: feed, Err: fmt.Errorf("poll %s: %w", feed.URL, err)})
}

// prepare fetches the feed and cleans, summarizes and tags its new items.
// Unless the poll has ended (done), the feed stays marked as being polled
// until finish.
func (p *Pipeline) prepare(ctx context.Context, feed store.Feed, force bool, subs *roundSubs) *pollState {
	ps := &pollState{ctx: ctx, feed: feed, roundSubs: subs}
	if !p.startPolling(feed.ID) {
		return &pollState{done: true, result: PollResult{Feed: feed, Err: ErrNotDue}}
	}
	ps.now = p.opt.Now()
	ps.log = p.log.With(slog.String("feed_url", redact.URL(feed.URL)))
	now, log := ps.now, ps.log
	if !force {
		ok, err := p.store.ClaimFeedPoll(ctx, feed.ID, p.opt.Owner, now, now.Add(p.opt.PollLease))
		if err != nil {
			return p.end(ps, PollResult{Feed: feed, Err: fmt.Errorf("poll %s: %w", feed.URL, err)})
		}
		if !ok {
			return p.end(ps, PollResult{Feed: feed, Err: ErrNotDue})
		}
		// Finish well inside the lease, or another replica may poll too.
		ps.ctx, ps.cancel = context.WithTimeout(ctx, p.opt.PollLease*4/5)
		ctx = ps.ctx
	}
	start := time.Now()
	res, site, err := p.fetchFeed(ctx, feed, log)
	if err != nil {
		p.metricFetch("error", time.Since(start))
		return p.failed(ps, err, res.RetryAfter)
	}
	ps.res = res
	if res.NotModified {
		p.metricFetch("not_modified", time.Since(start))
		feed.Failures, feed.LastSuccess, feed.NextPoll = 0, now, p.nextPoll(feed, now, res)
		ps.feed = feed
		if err := p.save(ps, feed); err != nil {
			return p.end(ps, PollResult{Feed: feed, Err: fmt.Errorf("poll %s: %w", feed.URL, err)})
		}
		log.Debug("feed not modified")
		return p.end(ps, PollResult{Feed: feed, NotModified: true})
	}
	p.metricFetch("ok", time.Since(start))
	if feed.Name == "" {
		// A chat-added feed is named after its host, never its own title
		// (which could claim another outlet's name). A configured one is
		// named by its site: the page's og:site_name or the feed's title,
		// trimmed of taglines.
		switch {
		case feed.FromChat():
			feed.Name = feeds.HostName(feed.URL)
		case site.SiteName != "":
			feed.Name = feeds.OutletName(site.SiteName, feed.URL, res.FinalURL)
		default:
			feed.Name = feeds.OutletName(res.FeedTitle, res.SiteURL, feed.URL)
		}
	}
	ps.feed = feed
	if err := p.process(ps); err != nil {
		// Keep the old validators: the next request must fetch these items again.
		return p.failed(ps, err, 0)
	}
	return ps
}

// finish merges the poll's items into their stories, stores them and
// saves the feed's state.
func (p *Pipeline) finish(ps *pollState) PollResult {
	if ps.done {
		return ps.result
	}
	fresh, err := p.commit(ps)
	return p.finishStored(ps, fresh, err)
}

// finishStored ends a poll whose items were stored (fresh: the new ones)
// or failed to be (err): it saves the feed's state.
func (p *Pipeline) finishStored(ps *pollState, fresh []store.Item, err error) PollResult {
	if err != nil {
		// Keep the old validators: the next request must fetch these items again.
		return p.failed(ps, err, 0).result
	}
	feed := p.polled(ps)
	if err := p.save(ps, feed); err != nil {
		ps.feed = feed
		return p.end(ps, PollResult{Feed: feed, New: fresh, Err: fmt.Errorf("poll %s: %w", feed.URL, err)}).result
	}
	return p.finishSaved(ps, feed, fresh)
}

// polled returns the state of the poll's feed once its items are stored.
func (p *Pipeline) polled(ps *pollState) store.Feed {
	feed, res, now := ps.feed, ps.res, ps.now
	if res.ETag != "" || res.LastModified != "" {
		feed.ETag, feed.LastModified = res.ETag, res.LastModified
	}
	if feed.FirstFetched.IsZero() {
		feed.FirstFetched = now
	}
	feed.Failures, feed.LastSuccess, feed.NextPoll = 0, now, p.nextPoll(feed, now, res)
	return feed
}

// finishSaved ends a poll whose items were stored (fresh: the new ones)
// and whose feed's state feed (polled) was saved.
func (p *Pipeline) finishSaved(ps *pollState, feed store.Feed, fresh []store.Item) PollResult {
	ps.feed = feed
	res := ps.res
	ps.log.Info("feed polled", slog.Int("items", len(res.Items)), slog.Int("new", len(fresh)))
	var undated map[string]bool
	for _, b := range ps.batch {
		if b.undated {
			if undated == nil {
				undated = map[string]bool{}
			}
			undated[b.item.Key] = true
		}
	}
	return p.end(ps, PollResult{Feed: feed, New: fresh, Undated: undated}).result
}

// fetchFeed fetches feed's items. A configured URL that turns out to be
// a web page is resolved through feed discovery, as a chat-added one is
// when it is added, and the feed found is fetched (and remembered) in its
// place; site then holds what discovery found.
func (p *Pipeline) fetchFeed(ctx context.Context, feed store.Feed, log *slog.Logger) (feeds.Result, feeds.Discovery, error) {
	f := p.fetcherFor(feed)
	p.mu.Lock()
	site, ok := p.resolved[feed.ID]
	p.mu.Unlock()
	url := feed.URL
	if ok {
		url = site.FeedURL
	}
	res, err := f.Fetch(ctx, feeds.Request{URL: url, ETag: feed.ETag, LastModified: feed.LastModified})
	if ok && err != nil {
		// The page may advertise another feed now: resolve it again next time.
		p.mu.Lock()
		delete(p.resolved, feed.ID)
		p.mu.Unlock()
	}
	r, canResolve := f.(resolver)
	if ok || !errors.Is(err, feeds.ErrNotAFeed) || feed.FromChat() || !canResolve {
		return res, site, err
	}
	found, rerr := r.Resolve(ctx, feed.URL)
	if rerr != nil {
		log.Warn("configured URL is not a feed, and discovery found none on it", slog.Any("error", rerr))
		return res, feeds.Discovery{}, err
	}
	log.Info("configured URL is a web page; polling the feed it advertises",
		slog.String("discovered_url", redact.URL(found.FeedURL)))
	res, err = f.Fetch(ctx, feeds.Request{URL: found.FeedURL, ETag: feed.ETag, LastModified: feed.LastModified})
	if err == nil {
		p.mu.Lock()
		p.resolved[feed.ID] = found
		p.mu.Unlock()
	}
	return res, found, err
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

// process turns the feed's items that were never seen into pending items
// (cleaned, summarized, tagged), oldest first; commit then merges them into
// stories and stores them with their outbox deliveries. Each step below is
// one method; only assignStories and mergeStories take ingestMu, and
// neither holds it across a store call.
func (p *Pipeline) process(ps *pollState) error {
	ctx, feed, items := ps.ctx, ps.feed, ps.res.Items
	// The feed's furniture is learned from every item it lists, seen or
	// not, before the new ones are cleaned: the first poll of a feed learns
	// from its whole window.
	furn := p.furnitureOf(feed.ID)
	cleaned := learnFurniture(furn, items)
	todo, err := p.unseen(ctx, feed, items)
	if err != nil || len(todo) == 0 {
		return err
	}
	p.fetchArticles(ctx, feed, todo)
	if ps.subs, err = ps.roundSubs.get(ctx); err != nil {
		return err
	}
	if err := p.loadClusters(ctx, ps.now); err != nil {
		return err
	}
	ps.batch = make([]pending, len(todo))
	for i, it := range todo {
		ps.batch[i] = p.processItem(feed, furn, cleaned, it, ps.now)
	}
	return nil
}

// commit summarizes the poll's items, merges them, their stories
// assigned, into stories and stores them.
func (p *Pipeline) commit(ps *pollState) ([]store.Item, error) {
	out, stories, err := p.merge(ps)
	if err != nil || len(out) == 0 {
		return nil, err
	}
	fresh, err := p.batch.insert(ps.ctx, out, stories)
	return p.stored(ps, out, stories, fresh, err)
}

// merge summarizes the poll's items not summarized yet and merges them
// into their stories (their stories assigned); it returns the items to
// store and the story versions to store with them.
func (p *Pipeline) merge(ps *pollState) ([]store.Item, []store.Story, error) {
	if len(ps.batch) == 0 {
		return nil, nil, nil
	}
	// The clusterer does not read summaries: PollAll makes them while it
	// assigns stories (on one core); those it did not reach by then, and
	// a single Poll's, are made here.
	for i := range ps.batch {
		if !ps.batch[i].summarized {
			p.summarize(&ps.batch[i].item)
		}
	}
	stories, err := p.mergeStories(ps.ctx, ps.feed, ps.batch, ps.subs, ps.now)
	if err != nil {
		return nil, nil, err
	}
	out := make([]store.Item, len(ps.batch))
	held := 0
	for i := range ps.batch {
		out[i] = ps.batch[i].item
		if ps.batch[i].held {
			held++
		}
	}
	if held > 0 {
		ps.log.Info("first fetch: items published before the backfill window are stored, not posted",
			slog.Int("items", held), slog.Duration("backfill", p.opt.Backfill))
	}
	return out, stories, nil
}

// stored follows the insert of a poll's merged items (out, with the story
// versions stories): on success (fresh: the new items) the story book
// learns where they are stored and any regroups made meanwhile are stored
// too; on failure the book takes back the regroups the versions carried.
func (p *Pipeline) stored(ps *pollState, out []store.Item, stories []store.Story, fresh []store.Item, err error) ([]store.Item, error) {
	var late []store.Story
	p.mu.Lock()
	if err != nil {
		p.book.giveBack(stories)
	} else {
		// A later round may have moved these items while they were on
		// their way: the moves go now, not with some later poll.
		p.book.stored(out, fresh, ps.now)
		late = p.book.take()
	}
	p.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if len(late) > 0 {
		if _, err := p.batch.insert(ps.ctx, nil, late); err != nil {
			p.mu.Lock()
			p.book.giveBack(late)
			p.mu.Unlock()
			ps.log.Warn("store regrouped stories", slog.Any("error", err))
		}
	}
	if p.opt.Metrics != nil {
		p.opt.Metrics.ItemsNew(len(fresh))
	}
	return fresh, nil
}

// pending is one new item on its way through ingest.
type pending struct {
	item    store.Item
	tags    topics.Tags // the tagger's analysis, reused by the clusterer
	doc     topics.Doc
	undated bool // the feed gave no date (item.Published was set to the fetch time)
	// summarized: item.Summary is made (by summarizeAll, or in commit).
	summarized bool
	started    bool // the clusterer started the item's story in this round (with this or another new item)
	held       bool // stored but not posted: older than the backfill window on a first fetch
}

// unseen returns the items (the first of each key, in feed order) the
// store does not know yet.
func (p *Pipeline) unseen(ctx context.Context, feed store.Feed, items []feeds.Item) ([]feeds.Item, error) {
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
	return todo, nil
}

// furnitureOf returns the furniture model of a feed.
func (p *Pipeline) furnitureOf(id int64) *summarize.FeedFurniture {
	p.mu.Lock()
	defer p.mu.Unlock()
	f := p.furniture[id]
	if f == nil {
		f = summarize.NewFeedFurniture()
		p.furniture[id] = f
	}
	return f
}

// learnFurniture adds the items to the feed's furniture model and returns
// summarize.Clean of the texts it read, by raw text.
func learnFurniture(furn *summarize.FeedFurniture, items []feeds.Item) map[string]string {
	cleaned := make(map[string]string, len(items))
	for _, it := range items {
		if c, ok := furn.Learn(it.Key, it.Content); ok {
			cleaned[it.Content] = c
		}
	}
	return cleaned
}

// processItem cleans (with the feed's learned furniture) and tags one feed
// item; summarize gives it its summary later. The item's text is its
// editor's description or the article. cleaned holds summarize.Clean of
// the texts the furniture learned from (an article fetched since is not
// among them).
func (p *Pipeline) processItem(feed store.Feed, furn *summarize.FeedFurniture, cleaned map[string]string, it feeds.Item, now time.Time) pending {
	var text string
	if c, ok := cleaned[it.Content]; ok {
		text = furn.CleanCleaned(c)
	} else {
		text = furn.Clean(it.Content)
	}
	si := store.Item{
		FeedID: feed.ID, FeedName: feedName(feed), Key: it.Key, GUID: it.GUID, URL: it.URL,
		Title: it.Title, Text: text, Published: it.Published, Fetched: now,
	}
	if si.Published.IsZero() || si.Published.After(now) {
		si.Published = now
	}
	tags := p.tagger.Tag(topics.Doc{Title: it.Title, Text: text, Source: si.FeedName, Published: si.Published})
	si.Regions = tags.Regions
	si.Topics = append(slices.Clone(tags.Topics), tags.UserTopics...)
	si.Security, si.Severity = tags.Security, tags.Severity
	doc := topics.Doc{ID: docID(feed.ID, si.Key), Title: si.Title, Text: si.Text, Source: si.FeedName, Published: si.Published}
	return pending{item: si, tags: tags, doc: doc, undated: it.Published.IsZero()}
}

// summarizeAll summarizes the pending items of polls with at most workers
// goroutines, which end when every item is done or ctx is cancelled (the
// items not reached are then left to commit).
func (p *Pipeline) summarizeAll(ctx context.Context, polls []*pollState, workers int) {
	p.summarizePending(ctx, pendingOf(polls), workers)
}

// summarizePending summarizes the items of todo not summarized yet with at
// most workers goroutines, as summarizeAll does.
func (p *Pipeline) summarizePending(ctx context.Context, all []*pending, workers int) {
	var todo []*pending
	for _, b := range all {
		if !b.summarized {
			todo = append(todo, b)
		}
	}
	var (
		wg   sync.WaitGroup
		next atomic.Int64
	)
	for range min(workers, len(todo)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= len(todo) {
					return
				}
				p.summarize(&todo[i].item)
				todo[i].summarized = true
			}
		}()
	}
	wg.Wait()
}

// summarize sets the item's summary from its text: its lead sentences, or
// the text clipped when no sentence is found.
func (p *Pipeline) summarize(it *store.Item) {
	if sum, err := summarize.Summarize(it.Text, summarize.Options{Sentences: p.opt.Sentences, Title: it.Title, MaxChars: 1200, Lead: true}); err == nil {
		it.Summary = sum.Text()
	}
	if it.Summary == "" {
		it.Summary = clip.Runes(it.Text, 600)
	}
}

// assignStories gives each item of the polls its story from the clusterer
// (see clusterStories).
func (p *Pipeline) assignStories(polls []*pollState, now time.Time) {
	todo := pendingOf(polls)
	setStories(todo, p.clusterStories(todo, now))
}

// assignment is the story clusterStories gives a pending item.
type assignment struct {
	story   string
	started bool // the story was made in this round: not worth a store read
}

// clusterStories works out the story of each pending item (todo), all
// polls' items as one batch: the clusterer's stories do not depend on the
// order the feeds answered or are listed in. The stored partition follows
// the clusterer's (storyBook.sync): a newcomer joins the stored story of
// the reports it joins, and stored reports the newcomers move in the
// clusterer (a report published before them arrived later, a newcomer
// linked two stories) are merged or moved in the store with the next
// commit. Polls assign one at a time (ingestMu), so concurrent polls of
// different outlets agree on each story. It reads only the items' docs and
// tags, and changes none: stageRound stages the items meanwhile.
func (p *Pipeline) clusterStories(todo []*pending, now time.Time) []assignment {
	if len(todo) == 0 {
		return nil
	}
	docs, tags := make([]topics.Doc, len(todo)), make([]topics.Tags, len(todo))
	for i, b := range todo {
		docs[i], tags[i] = b.doc, b.tags
	}
	p.ingestMu.Lock()
	defer p.ingestMu.Unlock()
	p.pruneCache(now)
	p.mu.Lock()
	p.clus.AddBatch(docs, tags)
	touched, made := p.book.sync(p.clus.EachDoc, now, p.opt.StoryWindow)
	isMade := make(map[string]bool, len(made))
	for _, id := range made {
		isMade[id] = true
	}
	out := make([]assignment, len(todo))
	for i, b := range todo {
		s := p.book.storyOf(b.doc.ID)
		out[i] = assignment{story: s, started: isMade[s]}
	}
	p.mu.Unlock()
	for _, id := range touched {
		delete(p.cache, id) // merged or moved: the store recomputes it
	}
	if len(touched) > 0 {
		p.log.Debug("later reports regrouped stored stories", slog.Int("stories", len(touched)))
	}
	return out
}

// setStories gives each pending item of todo its assignment (as
// clusterStories returned them, in the same order).
func setStories(todo []*pending, as []assignment) {
	for i, b := range todo {
		b.item.StoryID, b.started = as[i].story, as[i].started
	}
}

// mergeStories merges each item into its story and sets the item's
// deliveries; it returns the merged stories in order of first appearance.
// The store is read without ingestMu held: the stories to read are listed
// under the lock, read, and the merge tried again.
func (p *Pipeline) mergeStories(ctx context.Context, feed store.Feed, batch []pending, subs []store.Subscription, now time.Time) ([]store.Story, error) {
	stored := map[string]*store.Story{} // store reads; nil: not found
	for {
		p.ingestMu.Lock()
		// A later round may have moved the batch's reports meanwhile.
		p.mu.Lock()
		for i := range batch {
			if id := p.book.storyOf(batch[i].doc.ID); id != "" {
				batch[i].item.StoryID = id
			}
		}
		p.mu.Unlock()
		missing := p.storiesToRead(batch, stored, now)
		if len(missing) == 0 {
			list := p.mergeLocked(feed, batch, stored, subs, now)
			p.ingestMu.Unlock()
			return list, nil
		}
		p.ingestMu.Unlock()
		for _, id := range missing {
			st, err := p.store.Story(ctx, id)
			switch {
			case errors.Is(err, store.ErrNotFound):
				stored[id] = nil
			case err != nil:
				return nil, err
			default:
				stored[id] = &st
			}
		}
	}
}

// storiesToRead lists the stories of batch that storyFor would read from
// the store: not held fresh in the cache, not started by the clusterer
// in this round, not read yet. Called with ingestMu held.
func (p *Pipeline) storiesToRead(batch []pending, stored map[string]*store.Story, now time.Time) []string {
	var ids []string
	for _, b := range batch {
		id := b.item.StoryID
		if _, read := stored[id]; read || b.started || slices.Contains(ids, id) {
			continue
		}
		if c, ok := p.cache[id]; ok && now.Sub(c.at) < storyCacheTTL {
			continue
		}
		ids = append(ids, id)
	}
	return ids
}

// mergeLocked merges the batch into its stories, sets each item's
// deliveries and caches the merged stories; the list it returns ends with
// the pending merges and moves of stored stories (storyBook.take), which
// the commit stores with the items. Called with ingestMu held, once every
// story storyFor needs has been read.
func (p *Pipeline) mergeLocked(feed store.Feed, batch []pending, stored map[string]*store.Story, subs []store.Subscription, now time.Time) []store.Story {
	firstFetch := feed.FirstFetched.IsZero()
	stories := map[string]*store.Story{}
	var order []string
	for i := range batch {
		b := &batch[i]
		st, ok := stories[b.item.StoryID]
		if !ok {
			st = p.storyFor(b.item, stored, now)
			stories[b.item.StoryID] = st
			order = append(order, b.item.StoryID)
		}
		mergeStory(st, b.item)
		// On a feed's first fetch only items inside the backfill window
		// are posted. An undated item is dated when sitrep first saw it
		// (now), so it is inside the window and posted like any other.
		b.held = firstFetch && p.opt.Backfill >= 0 && b.item.Published.Before(now.Add(-p.opt.Backfill))
		if !b.held {
			b.item.Deliveries = deliveriesFor(b.item, subs, st)
		}
	}
	list := make([]store.Story, 0, len(order))
	for _, id := range order {
		list = append(list, *stories[id])
		p.cache[id] = cachedStory{st: *stories[id], at: now}
	}
	p.mu.Lock()
	list = append(list, p.book.take()...)
	p.mu.Unlock()
	return list
}

// pruneCache drops stale cache entries, at most once per storyCacheTTL.
// Called with ingestMu held.
func (p *Pipeline) pruneCache(now time.Time) {
	if now.Sub(p.cachePruned) <= storyCacheTTL {
		return
	}
	for id, c := range p.cache {
		if now.Sub(c.at) > storyCacheTTL {
			delete(p.cache, id)
		}
	}
	p.cachePruned = now
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

// loadClusters seeds the clusterer with the store's recent items once a
// minute at most, so stories continue across restarts and replicas. One
// poll reads at a time (the others wait for it); the read runs unlocked.
// Stored reports are added like new ones, not pinned to their stories:
// the clusterer groups the same set of reports the same way in every
// process, and the story book keeps their stored ids (storyBook.sync), so
// restarts and replicas do not change the stored partition.
func (p *Pipeline) loadClusters(ctx context.Context, now time.Time) error {
	for {
		p.mu.Lock()
		if !p.loaded.IsZero() && now.Sub(p.loaded) < time.Minute {
			p.mu.Unlock()
			return nil
		}
		if wait := p.loading; wait != nil {
			p.mu.Unlock()
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		done := make(chan struct{})
		p.loading = done
		// Another replica's items carry the start time of its poll, which
		// may have run up to a poll lease before it committed.
		since := p.loaded.Add(-time.Minute - p.opt.PollLease)
		if p.loaded.IsZero() {
			since = now.Add(-p.opt.StoryWindow)
		}
		p.mu.Unlock()

		recent, err := p.store.RecentItems(ctx, since)

		p.mu.Lock()
		p.loading = nil
		close(done)
		if err == nil {
			var docs []topics.Doc
			var tags []topics.Tags
			for _, it := range recent {
				doc := topics.Doc{ID: docID(it.FeedID, it.Key), Title: it.Title, Text: it.Text, Source: it.FeedName, Published: it.Published}
				docs = append(docs, doc)
				tags = append(tags, topics.Tags{Regions: it.Regions, Topics: it.Topics})
				p.book.load(doc.ID, it.StoryID, it.Fetched)
			}
			p.clus.AddBatch(docs, tags)
			p.clus.Prune(now.Add(-p.opt.StoryWindow))
			p.loaded = now
		}
		p.mu.Unlock()
		return err
	}
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
// version, else the stored one (read by mergeStories), else an older
// version merged here whose insert is not visible yet, else a new one.
// Called with ingestMu held.
func (p *Pipeline) storyFor(it store.Item, stored map[string]*store.Story, now time.Time) *store.Story {
	c, cached := p.cache[it.StoryID]
	if cached && now.Sub(c.at) < storyCacheTTL {
		st := c.st
		return &st
	}
	if st := stored[it.StoryID]; st != nil {
		cp := *st
		return &cp
	}
	if cached {
		st := c.st // merged here, insert not yet visible
		return &st
	}
	if p.opt.Metrics != nil {
		p.opt.Metrics.StoriesNew(1)
	}
	return &store.Story{ID: it.StoryID, Title: it.Title, Summary: it.Summary, FirstSeen: it.Published, LastSeen: it.Published}
}

// mergeStory adds a report to its story by the store's merge rule: the
// earliest report gives the story its title and summary.
func mergeStory(st *store.Story, it store.Item) {
	store.MergeStory(st, store.Story{Title: it.Title, Summary: it.Summary, Regions: it.Regions, Topics: it.Topics,
		Severity: it.Severity, Security: it.Security, FirstSeen: it.Published, LastSeen: it.Published})
	st.Items++
}

// deliveriesFor returns a post delivery for every real-time subscription
// the item matches. The store turns a post into a threaded update when the
// channel already has the story.
func deliveriesFor(it store.Item, subs []store.Subscription, st *store.Story) []store.Delivery {
	var out []store.Delivery
	for _, s := range subs {
		if s.Digest != "" || !s.Wants(it.Regions, it.Topics, it.Security) {
			continue
		}
		out = append(out, store.Delivery{Platform: s.Platform, Channel: s.Channel, Kind: store.KindPost, StoryID: st.ID})
	}
	return out
}

func feedName(f store.Feed) string {
	if f.Name != "" {
		return f.Name
	}
	return redact.URL(f.URL)
}

// PollAll polls feeds with at most workers at once (default 16) and returns
// one result per feed, in the order given. The new items of all feeds get
// their stories together, once every fetch has ended, so the stories do not
// depend on the order of the list or of the answers; a slow feed holds up
// the others no longer than its own fetch timeout, a failing one not at all.
func (p *Pipeline) PollAll(ctx context.Context, list []store.Feed, force bool, workers int) []PollResult {
	if workers <= 0 {
		workers = 16
	}
	// Every feed is fetched and processed first, then all new items are
	// given their stories at once, then each feed's items are stored.
	polls := make([]*pollState, len(list))
	subs := &roundSubs{st: p.store}
	stager, canStage := p.store.(store.ItemStager)
	eachIndex(len(list), workers, func(i int) {
		polls[i] = p.prepare(ctx, list[i], force, subs)
		if canStage && !polls[i].done {
			// The staged insert writes the items whole: their summaries
			// are made here, while other feeds are fetched.
			for j := range polls[i].batch {
				b := &polls[i].batch[j]
				p.summarize(&b.item)
				b.summarized = true
			}
		}
	})
	todo := pendingOf(polls)
	// Stories are assigned on one core, serially. The items' summaries,
	// which the clusterer does not read, are made meanwhile on the others,
	// or when the store can begin an insert before the stories are known
	// (store.ItemStager), the items are written there: the round is then
	// stored in one transaction, ended once the stories are known.
	if canStage && len(todo) > 0 {
		if staged := p.stageRound(ctx, stager, polls, todo); staged != nil {
			return p.finishStaged(ctx, polls, staged)
		}
	} else {
		// Summaries not made by the end of the assignment are made by each
		// feed's commit, while other feeds' items are written.
		sumCtx, stopSummaries := context.WithCancel(ctx)
		summarized := make(chan struct{})
		go func() {
			defer close(summarized)
			p.summarizeAll(sumCtx, polls, summaryWorkers())
		}()
		p.assignStories(polls, p.opt.Now())
		stopSummaries()
		<-summarized
	}
	// Storing does no network I/O, and the insert batcher groups the
	// feeds queued while it writes into one transaction (up to
	// maxBatchItems): with every feed queued at once, a round takes a few
	// transactions instead of one per workers feeds (commits are a third
	// to a half of the write time).
	out := make([]PollResult, len(list))
	eachIndex(len(list), max(len(list), 1), func(i int) { out[i] = p.finish(polls[i]) })
	return out
}

// summaryWorkers is how many goroutines make summaries beside the one
// that assigns stories.
func summaryWorkers() int { return max(runtime.GOMAXPROCS(0)-1, 1) }

// eachIndex runs f(0) … f(n-1), at most workers at once, and waits for
// them. The indices go in order to at most workers goroutines, each running
// f for one after another: a poll's calls (fetch, parse, store) run deep, and
// a goroutine grows its stack for them once rather than once a feed.
func eachIndex(n, workers int, f func(i int)) {
	var (
		wg   sync.WaitGroup
		next atomic.Int64
	)
	for range min(max(workers, 1), n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				f(i)
			}
		}()
	}
	wg.Wait()
}

// pendingOf lists the pending items of the polls that have not ended, in
// poll order.
func pendingOf(polls []*pollState) []*pending {
	var todo []*pending
	for _, ps := range polls {
		if ps.done {
			continue
		}
		for i := range ps.batch {
			todo = append(todo, &ps.batch[i])
		}
	}
	return todo
}
