package ingest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/feeds"
	"github.com/sitrep-bot/sitrep/store"
	"github.com/sitrep-bot/sitrep/topics"
)

// scriptFetcher returns scripted results per feed URL, in turn.
type scriptFetcher struct {
	mu      sync.Mutex
	results map[string][]feeds.Result
	errs    map[string]error
	reqs    []feeds.Request
}

func (f *scriptFetcher) Fetch(_ context.Context, req feeds.Request) (feeds.Result, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reqs = append(f.reqs, req)
	if err := f.errs[req.URL]; err != nil {
		return feeds.Result{RetryAfter: 10 * time.Minute}, err
	}
	rs := f.results[req.URL]
	if len(rs) == 0 {
		return feeds.Result{NotModified: true}, nil
	}
	r := rs[0]
	f.results[req.URL] = rs[1:]
	return r, nil
}

func (f *scriptFetcher) FetchArticle(context.Context, string) (feeds.Article, error) {
	return feeds.Article{}, errors.New("no articles here")
}

func newTestPipeline(t *testing.T, st store.Store, f fetcher, now func() time.Time) *Pipeline {
	t.Helper()
	tg, err := topics.NewTagger(nil)
	if err != nil {
		t.Fatal(err)
	}
	return NewPipeline(st, f, tg, quietLog(), PipelineOptions{Backfill: 24 * time.Hour, Now: now, DefaultSchedule: "@every 10m"})
}

func TestPipelineBackfillDedupeAndOrder(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	const url = "https://news.example/rss"
	items := []feeds.Item{
		{Key: "old", URL: "https://news.example/old", Title: "Rocket attack on Erbil airport", Content: "Rockets struck near Erbil airport in the Kurdistan Region, officials said. No casualties were reported.", Published: now.Add(-72 * time.Hour)},
		{Key: "new1", URL: "https://news.example/new1", Title: "Houthis fire missile at ship in Red Sea", Content: "Yemen's Houthis fired a missile at a cargo ship off Hodeidah in the Red Sea, the UKMTO agency said.", Published: now.Add(-2 * time.Hour)},
		{Key: "new2", URL: "https://news.example/new2", Title: "Iraqi border guards seize weapons near Syria", Content: "Iraqi border guards seized weapons at the Al-Qaim crossing with Syria, the interior ministry said.", Published: now.Add(-1 * time.Hour)},
	}
	f := &scriptFetcher{results: map[string][]feeds.Result{url: {
		{Items: items, ETag: `"a"`},
		{Items: append(items, feeds.Item{Key: "new3", URL: "https://news.example/new3", Title: "Turkish drone strike kills two in Duhok province", Content: "A Turkish drone strike killed two people near Amedi in Duhok province, local officials said.", Published: now}), ETag: `"b"`},
	}}}
	feed := addFeed(t, st, store.Feed{URL: url, Name: "News"})
	subscribe(t, st, store.Subscription{Platform: "fake", Channel: "all"})
	subscribe(t, st, store.Subscription{Platform: "fake", Channel: "yemen", Targets: []string{"yemen"}})
	subscribe(t, st, store.Subscription{Platform: "fake", Channel: "digest", Digest: "0 7 * * *"})
	p := newTestPipeline(t, st, f, func() time.Time { return now })

	r := p.Poll(ctx, feed, false)
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	if got := keysOf(r.New); !slices.Equal(got, []string{"old", "new1", "new2"}) {
		t.Fatalf("new items = %v, want all three oldest first", got)
	}
	ds := deliveries(t, st, 100)
	perChannel := map[string]int{}
	for _, d := range ds {
		perChannel[d.Channel]++
	}
	// Backfill: the 72-hour-old item is stored but not posted on the first fetch.
	if perChannel["all"] != 2 || perChannel["yemen"] != 1 || perChannel["digest"] != 0 {
		t.Errorf("deliveries per channel = %v, want all:2 (backfill drops the old one), yemen:1, digest:0", perChannel)
	}
	if found, err := st.Items(ctx, store.ItemFilter{Query: "Erbil"}); err != nil || len(found) != 1 {
		t.Errorf("the backfilled item is not searchable: %d hits (%v)", len(found), err)
	}

	// Second poll: conditional request, only the new item is new.
	feed = feedAt(t, st, url)
	now = now.Add(10 * time.Minute)
	r = p.Poll(ctx, feed, false)
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	if got := keysOf(r.New); !slices.Equal(got, []string{"new3"}) {
		t.Errorf("second poll new = %v, want [new3]", got)
	}
	if last := f.reqs[len(f.reqs)-1]; last.ETag != `"a"` {
		t.Errorf("second request ETag = %q, want the stored validator", last.ETag)
	}
}

func TestPipelineFeedFailureHealth(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	const url = "https://broken.example/rss"
	f := &scriptFetcher{errs: map[string]error{url: errors.New("feeds: fetch: 503")}}
	addFeed(t, st, store.Feed{URL: url})
	p := newTestPipeline(t, st, f, func() time.Time { return now })
	for i := 1; i <= 2; i++ {
		feed := feedAt(t, st, url)
		if r := p.Poll(ctx, feed, true); r.Err == nil {
			t.Fatal("want an error")
		}
		got := feedAt(t, st, url)
		if got.Failures != i || got.LastError == "" || !got.LastErrorAt.Equal(now) {
			t.Errorf("after %d failures: %+v", i, got)
		}
		// Retry-After (10m) bounds the next poll from below.
		if got.NextPoll.Before(now.Add(10 * time.Minute)) {
			t.Errorf("next poll %v is sooner than the server's Retry-After", got.NextPoll)
		}
	}
	// Not due: another tick (without force) does not fetch.
	before := len(f.reqs)
	feed := feedAt(t, st, url)
	if r := p.Poll(ctx, feed, false); !errors.Is(r.Err, ErrNotDue) || len(f.reqs) != before {
		t.Errorf("poll before NextPoll: err %v, fetched %d times; want ErrNotDue and no fetch", r.Err, len(f.reqs)-before)
	}
}

func TestPipelineClustersAcrossFeeds(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	a := feeds.Item{Key: "a1", URL: "https://a.example/1", Title: "Iraq and Iran sign border security agreement in Baghdad",
		Content: "Iraq and Iran signed a border security agreement in Baghdad on Monday, committing both countries to joint patrols along their shared border.", Published: now.Add(-3 * time.Hour)}
	b := feeds.Item{Key: "b1", URL: "https://b.example/1", Title: "Baghdad and Tehran sign security pact on shared border",
		Content: "Iraq and Iran signed a security agreement in Baghdad on Monday on joint patrols and intelligence sharing along their shared border.", Published: now.Add(-2 * time.Hour)}
	f := &scriptFetcher{results: map[string][]feeds.Result{
		"https://a.example/rss": {{Items: []feeds.Item{a}}},
		"https://b.example/rss": {{Items: []feeds.Item{b}}},
	}}
	fa := addFeed(t, st, store.Feed{URL: "https://a.example/rss", Name: "A"})
	fb := addFeed(t, st, store.Feed{URL: "https://b.example/rss", Name: "B"})
	subscribe(t, st, store.Subscription{Platform: "fake", Channel: "iraq", Targets: []string{"iraq"}})
	p := newTestPipeline(t, st, f, func() time.Time { return now })
	ra := p.Poll(ctx, fa, true)
	rb := p.Poll(ctx, fb, true)
	if ra.Err != nil || rb.Err != nil {
		t.Fatal(ra.Err, rb.Err)
	}
	if ra.New[0].StoryID != rb.New[0].StoryID {
		t.Fatalf("two reports of one agreement got stories %s and %s", ra.New[0].StoryID, rb.New[0].StoryID)
	}
	ds := deliveries(t, st, 10)
	kinds := map[string]int{}
	for _, d := range ds {
		kinds[d.Kind]++
	}
	if kinds[store.KindPost] != 1 || kinds[store.KindUpdate] != 1 {
		t.Errorf("deliveries by kind %v, want one post and one threaded update", kinds)
	}
	s, err := st.Story(ctx, ra.New[0].StoryID)
	if err != nil || s.Items != 2 || s.Title != a.Title {
		t.Errorf("story = %+v (%v), want 2 items titled by the earliest report", s, err)
	}
}

func keysOf(items []store.Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Key)
	}
	return out
}

func TestPipelineIngestFailureKeepsValidators(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	const url = "https://news.example/rss"
	item := feeds.Item{Key: "a", URL: "https://news.example/a", Title: "Clashes in Kirkuk", Content: "Clashes broke out in Kirkuk, officials said.", Published: now}
	f := &scriptFetcher{results: map[string][]feeds.Result{url: {{Items: []feeds.Item{item}, ETag: `"new"`}}}}
	feed := addFeed(t, st, store.Feed{URL: url})
	feed.ETag = `"old"`
	if err := st.SaveFeedState(ctx, feed); err != nil {
		t.Fatal(err)
	}
	p := newTestPipeline(t, failingInsert{st}, f, func() time.Time { return now })
	if r := p.Poll(ctx, feed, true); r.Err == nil {
		t.Fatal("want the insert error")
	}
	got := feedAt(t, st, url)
	if got.ETag != `"old"` || got.Failures != 1 {
		t.Errorf("after a failed insert: ETag %q, failures %d; want the old validator kept (so the items are fetched again) and a failure counted", got.ETag, got.Failures)
	}
}

// failingInsert is a store whose InsertItems always fails.
type failingInsert struct{ store.Store }

func (failingInsert) InsertItems(context.Context, []store.Item, []store.Story) ([]store.Item, error) {
	return nil, errors.New("database is locked")
}

// TestPipelineUndatedItemsPosted: an item its feed gives no date is dated
// when sitrep first sees it, posted like any item inside the backfill
// window (on a feed's first fetch too), and marked undated in the result.
func TestPipelineUndatedItemsPosted(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	const url = "https://undated.example/rss"
	undated := feeds.Item{Key: "u", URL: "https://undated.example/u", Title: "Houthis attack ship off Hodeidah", Content: "Yemen's Houthis attacked a ship off Hodeidah in the Red Sea."}
	old := feeds.Item{Key: "o", URL: "https://undated.example/o", Title: "Rocket attack on Erbil airport", Content: "Rockets struck near Erbil airport in the Kurdistan Region, officials said.", Published: now.Add(-72 * time.Hour)}
	later := feeds.Item{Key: "v", URL: "https://undated.example/v", Title: "Turkish drone strike kills two in Duhok province", Content: "A Turkish drone strike killed two people near Amedi in Duhok province, local officials said."}
	f := &scriptFetcher{results: map[string][]feeds.Result{url: {{Items: []feeds.Item{old, undated}}, {Items: []feeds.Item{old, undated, later}}}}}
	feed := addFeed(t, st, store.Feed{URL: url})
	subscribe(t, st, store.Subscription{Platform: "fake", Channel: "all"})
	p := newTestPipeline(t, st, f, func() time.Time { return now })
	r := p.Poll(ctx, feed, true)
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	if !r.Undated["u"] || r.Undated["o"] || len(r.Undated) != 1 {
		t.Errorf("first poll: undated = %v, want only u", r.Undated)
	}
	for _, it := range r.New {
		if it.Key == "u" && !it.Published.Equal(now) {
			t.Errorf("undated item published %v, want the time it was first seen %v", it.Published, now)
		}
	}
	ds := deliveries(t, st, 10)
	if len(ds) != 1 {
		t.Fatalf("first fetch: %d deliveries, want 1 (the undated item; the 72-hour-old one is backfill)", len(ds))
	}
	feed = feedAt(t, st, url)
	now = now.Add(10 * time.Minute)
	r = p.Poll(ctx, feed, true)
	if !r.Undated["v"] || len(r.New) != 1 {
		t.Errorf("second poll: new %v, undated %v; want v, undated", keysOf(r.New), r.Undated)
	}
	if ds := deliveries(t, st, 10); len(ds) != 2 {
		t.Errorf("a new undated item after the first fetch: %d deliveries in all, want 2", len(ds))
	}
}

// resolvingFetcher is a scriptFetcher that also discovers feeds behind pages.
type resolvingFetcher struct {
	*scriptFetcher
	pages    map[string]feeds.Discovery
	resolves int
}

func (f *resolvingFetcher) Resolve(_ context.Context, pageURL string) (feeds.Discovery, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.resolves++
	if d, ok := f.pages[pageURL]; ok {
		return d, nil
	}
	return feeds.Discovery{}, feeds.ErrNotAFeed
}

// TestPipelineConfiguredPageDiscovered: a configured URL that is a web
// page is polled through the feed it advertises, remembered for later
// polls, and the outlet is named by the page's site name; a chat-added
// feed's URL is never rediscovered at poll time.
func TestPipelineConfiguredPageDiscovered(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	const page, feedURL = "https://www.outlet.example/world", "https://www.outlet.example/world/rss.xml"
	item := feeds.Item{Key: "a", URL: "https://www.outlet.example/a", Title: "Houthis attack ship off Hodeidah", Content: "Yemen's Houthis attacked a ship off Hodeidah in the Red Sea.", Published: now.Add(-time.Hour)}
	next := feeds.Item{Key: "b", URL: "https://www.outlet.example/b", Title: "Turkish drone strike kills two in Duhok province", Content: "A Turkish drone strike killed two people near Amedi in Duhok province.", Published: now}
	sf := &scriptFetcher{
		results: map[string][]feeds.Result{feedURL: {
			{Items: []feeds.Item{item}, FeedTitle: "World | Outlet", ETag: `"1"`},
			{Items: []feeds.Item{item, next}, FeedTitle: "World | Outlet", ETag: `"2"`},
		}},
		errs: map[string]error{page: fmt.Errorf("feeds: fetch %s: parse: %w", page, feeds.ErrNotAFeed),
			"https://chat.example/page": feeds.ErrNotAFeed},
	}
	f := &resolvingFetcher{scriptFetcher: sf, pages: map[string]feeds.Discovery{
		page:                        {FeedURL: feedURL, SiteName: "The Outlet – Breaking news from everywhere"},
		"https://chat.example/page": {FeedURL: feedURL},
	}}
	feed := addFeed(t, st, store.Feed{URL: page, AddedBy: "config"})
	p := newTestPipeline(t, st, f, func() time.Time { return now })
	r := p.Poll(ctx, feed, true)
	if r.Err != nil {
		t.Fatalf("configured page: %v", r.Err)
	}
	if len(r.New) != 1 || r.New[0].FeedName != "The Outlet" {
		t.Fatalf("configured page: new %v named %q, want one item from \"The Outlet\"", keysOf(r.New), feedNameOf(r.New))
	}
	feed = feedAt(t, st, page)
	r = p.Poll(ctx, feed, true)
	if r.Err != nil || len(r.New) != 1 || r.New[0].Key != "b" {
		t.Fatalf("second poll: new %v, err %v; want b", keysOf(r.New), r.Err)
	}
	if last := sf.reqs[len(sf.reqs)-1]; last.URL != feedURL || last.ETag != `"1"` || f.resolves != 1 {
		t.Errorf("second poll requested %q (ETag %q) after %d resolves; want the remembered feed with its validator, one resolve", last.URL, last.ETag, f.resolves)
	}

	chat := addFeed(t, st, store.Feed{URL: "https://chat.example/page", AddedBy: "slack:C1"})
	if r := p.Poll(ctx, chat, true); r.Err == nil || f.resolves != 1 {
		t.Errorf("chat-added page: err %v after %d resolves; want the fetch error and no discovery at poll time", r.Err, f.resolves)
	}
}

func feedNameOf(items []store.Item) string {
	if len(items) == 0 {
		return ""
	}
	return items[0].FeedName
}

// TestPipelineOutletNames: an outlet configured without a name is named
// by its site, not its feed's title line; a configured name wins; a
// chat-added feed is named by its host.
func TestPipelineOutletNames(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, configured, addedBy, title, site, want string
	}{
		{"tagline", "", "config", "Al Jazeera – Breaking News, World News and Video from Al Jazeera", "https://www.aljazeera.com", "Al Jazeera"},
		{"section first", "", "config", "World News - Breaking international news and headlines | Sky News", "https://news.sky.com/world", "Sky News"},
		{"host only", "", "config", "www.arab48.com: Rss", "https://www.arab48.com/rss", "arab48.com"},
		{"configured name", "Desk A", "config", "Al Jazeera – Breaking News", "https://www.aljazeera.com", "Desk A"},
		{"chat-added", "", "slack:C1", "Al Jazeera – Breaking News", "https://www.aljazeera.com", "feeds.example"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := openStore(t)
			const url = "https://feeds.example/rss"
			item := feeds.Item{Key: "a", URL: "https://feeds.example/a", Title: "Houthis attack ship off Hodeidah", Content: "Yemen's Houthis attacked a ship off Hodeidah.", Published: now}
			f := &scriptFetcher{results: map[string][]feeds.Result{url: {{Items: []feeds.Item{item}, FeedTitle: tc.title, SiteURL: tc.site}}}}
			feed := addFeed(t, st, store.Feed{URL: url, Name: tc.configured, AddedBy: tc.addedBy})
			r := newTestPipeline(t, st, f, func() time.Time { return now }).Poll(ctx, feed, true)
			if r.Err != nil {
				t.Fatal(r.Err)
			}
			if got := feedNameOf(r.New); got != tc.want {
				t.Errorf("outlet named %q, want %q", got, tc.want)
			}
		})
	}
}
