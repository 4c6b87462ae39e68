package ingest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/feeds"
	"github.com/sitrep-bot/sitrep/store"
)

// blockingStory is a store whose Story calls wait until release is closed,
// after saying so on entered.
type blockingStory struct {
	store.Store
	entered chan struct{}
	release chan struct{}
	once    sync.Once
}

func (b *blockingStory) Story(ctx context.Context, id string) (store.Story, error) {
	b.once.Do(func() { close(b.entered) })
	select {
	case <-b.release:
	case <-ctx.Done():
		return store.Story{}, ctx.Err()
	}
	return b.Store.Story(ctx, id)
}

// A poll that reads a story from the store holds no lock meanwhile: a poll
// of another feed completes while the read hangs.
func TestPipelineStoryReadHoldsNoLock(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st := openStore(t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	a1 := feeds.Item{Key: "a1", URL: "https://a.example/1", Title: "Iraq and Iran sign border security agreement in Baghdad",
		Content: "Iraq and Iran signed a border security agreement in Baghdad on Monday, committing both countries to joint patrols along their shared border.", Published: now.Add(-3 * time.Hour)}
	a2 := feeds.Item{Key: "a2", URL: "https://a.example/2", Title: "Baghdad and Tehran sign security pact on shared border",
		Content: "Iraq and Iran signed a security agreement in Baghdad on Monday on joint patrols and intelligence sharing along their shared border.", Published: now.Add(-2 * time.Hour)}
	other := feeds.Item{Key: "b1", URL: "https://b.example/1", Title: "Houthis fire missile at ship in Red Sea",
		Content: "Yemen's Houthis fired a missile at a cargo ship off Hodeidah in the Red Sea, the UKMTO agency said.", Published: now.Add(-time.Hour)}
	fa, err := st.UpsertFeed(ctx, store.Feed{URL: "https://a.example/rss", Name: "A"})
	if err != nil {
		t.Fatal(err)
	}
	fb, err := st.UpsertFeed(ctx, store.Feed{URL: "https://b.example/rss", Name: "B"})
	if err != nil {
		t.Fatal(err)
	}
	// A first process stores the story; a second one (fresh cache) meets
	// a later report of it and must read the story from the store.
	first := newTestPipeline(t, st, &scriptFetcher{results: map[string][]feeds.Result{fa.URL: {{Items: []feeds.Item{a1}}}}}, func() time.Time { return now })
	r := first.Poll(ctx, fa, true)
	if r.Err != nil || len(r.New) != 1 {
		t.Fatalf("first poll: %+v", r)
	}
	bs := &blockingStory{Store: st, entered: make(chan struct{}), release: make(chan struct{})}
	f := &scriptFetcher{results: map[string][]feeds.Result{
		fa.URL: {{Items: []feeds.Item{a1, a2}}},
		fb.URL: {{Items: []feeds.Item{other}}},
	}}
	second := newTestPipeline(t, bs, f, func() time.Time { return now })
	if fa, err = st.Feed(ctx, fa.URL); err != nil {
		t.Fatal(err)
	}
	done := make(chan PollResult, 1)
	go func() { done <- second.Poll(ctx, fa, true) }()
	select {
	case <-bs.entered:
	case <-ctx.Done():
		t.Fatal("the later report never read its story from the store")
	}
	rb := second.Poll(ctx, fb, true)
	if rb.Err != nil || len(rb.New) != 1 {
		t.Fatalf("poll of another feed while a story read hangs: %+v", rb)
	}
	close(bs.release)
	ra := <-done
	if ra.Err != nil || len(ra.New) != 1 {
		t.Fatalf("second poll of A: %+v", ra)
	}
	if ra.New[0].StoryID != r.New[0].StoryID {
		t.Errorf("later report got story %s, want the stored %s", ra.New[0].StoryID, r.New[0].StoryID)
	}
	s, err := st.Story(ctx, r.New[0].StoryID)
	if err != nil || s.Items != 2 || s.Title != a1.Title {
		t.Errorf("story = %+v (%v), want 2 items titled by the earliest report", s, err)
	}
}

// Concurrent polls of several outlets reporting one event agree on one
// story, with one post for the channel and the others threaded under it.
func TestPipelineConcurrentPollsShareAStory(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	titles := borderDealTitles
	f := &scriptFetcher{results: map[string][]feeds.Result{}}
	var list []store.Feed
	for i, title := range titles {
		url := fmt.Sprintf("https://outlet%d.example/rss", i)
		f.results[url] = []feeds.Result{{Items: []feeds.Item{{Key: "k", URL: fmt.Sprintf("https://outlet%d.example/1", i), Title: title,
			Content:   "Iraq and Iran signed a border security agreement in Baghdad on Monday on joint patrols along their shared border, officials said.",
			Published: now.Add(-time.Duration(4-i) * time.Hour)}}}}
		feed, err := st.UpsertFeed(ctx, store.Feed{URL: url, Name: fmt.Sprintf("Outlet %d", i)})
		if err != nil {
			t.Fatal(err)
		}
		list = append(list, feed)
	}
	if _, err := st.Subscribe(ctx, store.Subscription{Platform: "fake", Channel: "iraq", Targets: []string{"iraq"}}); err != nil {
		t.Fatal(err)
	}
	p := newTestPipeline(t, st, f, func() time.Time { return now })
	stories := map[string]bool{}
	for _, r := range p.PollAll(ctx, list, true, len(list)) {
		if r.Err != nil || len(r.New) != 1 {
			t.Fatalf("poll %s: %+v", r.Feed.URL, r)
		}
		stories[r.New[0].StoryID] = true
	}
	if len(stories) != 1 {
		t.Fatalf("four reports of one agreement got %d stories", len(stories))
	}
	for id := range stories {
		s, err := st.Story(ctx, id)
		if err != nil || s.Items != len(titles) || s.Title != titles[0] {
			t.Errorf("story = %+v (%v), want %d items titled by the earliest report", s, err, len(titles))
		}
	}
	ds, err := st.Deliveries(ctx, "", 20)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, d := range ds {
		kinds[d.Kind]++
	}
	if kinds[store.KindPost] != 1 || kinds[store.KindUpdate] != len(titles)-1 {
		t.Errorf("deliveries by kind %v, want one post and %d threaded updates", kinds, len(titles)-1)
	}
}

// countingStory is a store that counts Story calls.
type countingStory struct {
	store.Store
	mu    sync.Mutex
	reads int
}

func (c *countingStory) Story(ctx context.Context, id string) (store.Story, error) {
	c.mu.Lock()
	c.reads++
	c.mu.Unlock()
	return c.Store.Story(ctx, id)
}

// A round's reports of one new event are merged without reading the story
// from the store: the round started it, so the store cannot have it yet;
// a report of a stored story in a later round (fresh cache) reads it.
func TestPollAllReadsNoStoryItStarted(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	titles := borderDealTitles[:3]
	item := func(i int, key string) feeds.Item {
		return feeds.Item{Key: key, URL: fmt.Sprintf("https://outlet%d.example/%s", i, key), Title: titles[i],
			Content:   "Iraq and Iran signed a border security agreement in Baghdad on Monday on joint patrols along their shared border, officials said.",
			Published: now.Add(-time.Duration(4-i) * time.Hour)}
	}
	f := &scriptFetcher{results: map[string][]feeds.Result{}}
	var list []store.Feed
	for i := range titles {
		url := fmt.Sprintf("https://outlet%d.example/rss", i)
		f.results[url] = []feeds.Result{{Items: []feeds.Item{item(i, "k")}}}
		list = append(list, addFeed(t, st, store.Feed{URL: url, Name: fmt.Sprintf("Outlet %d", i)}))
	}
	cs := &countingStory{Store: st}
	p := newTestPipeline(t, cs, f, func() time.Time { return now })
	stories := map[string]bool{}
	for _, r := range p.PollAll(ctx, list, true, 1) {
		if r.Err != nil || len(r.New) != 1 {
			t.Fatalf("poll %s: %+v", r.Feed.URL, r)
		}
		stories[r.New[0].StoryID] = true
	}
	if len(stories) != 1 || cs.reads != 0 {
		t.Fatalf("three reports of one new event: %d stories, %d story reads; want 1 story, no reads", len(stories), cs.reads)
	}
	// A later report, in a process that has not merged the story.
	later := &scriptFetcher{results: map[string][]feeds.Result{list[0].URL: {{Items: []feeds.Item{item(0, "k"), item(0, "k2")}}}}}
	cs2 := &countingStory{Store: st}
	p2 := newTestPipeline(t, cs2, later, func() time.Time { return now })
	r := p2.PollAll(ctx, []store.Feed{feedAt(t, st, list[0].URL)}, true, 1)[0]
	if r.Err != nil || len(r.New) != 1 || !stories[r.New[0].StoryID] || cs2.reads != 1 {
		t.Fatalf("later report: %+v, %d story reads; want it in the stored story, read once", r, cs2.reads)
	}
}

// borderDealTitles are four outlets' headlines of one event, for tests of stories shared across feeds.
var borderDealTitles = []string{
	"Iraq and Iran sign border security agreement in Baghdad",
	"Baghdad and Tehran sign security pact on shared border",
	"Iraq, Iran agree joint border patrols in Baghdad security deal",
	"Iran and Iraq sign agreement on border security in Baghdad",
}
