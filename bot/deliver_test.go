package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/store"
	"github.com/sitrep-bot/sitrep/store/sqlite"
)

// fakePlatform records deliveries; send decides each outcome.
type fakePlatform struct {
	mu   sync.Mutex
	name string
	sent []Delivery
	send func(d Delivery) (string, error)
}

func (f *fakePlatform) Name() string { return f.name }

func (f *fakePlatform) Send(_ context.Context, d Delivery) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.send != nil {
		if ref, err := f.send(d); err != nil || ref != "" {
			if err == nil {
				f.sent = append(f.sent, d)
			}
			return ref, err
		}
	}
	f.sent = append(f.sent, d)
	return fmt.Sprintf("m%d", len(f.sent)), nil
}

func (f *fakePlatform) deliveries() []Delivery {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Delivery(nil), f.sent...)
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// seedStories stores n single-item stories, each with a post to channel C1.
func seedStories(t *testing.T, st store.Store, n int, at time.Time) {
	t.Helper()
	ctx := context.Background()
	f, err := st.UpsertFeed(ctx, store.Feed{URL: "https://example.org/rss", Name: "Example"})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		sid := fmt.Sprintf("s%02d", i)
		it := store.Item{FeedID: f.ID, FeedName: "Example", Key: fmt.Sprintf("k%d", i), URL: fmt.Sprintf("https://example.org/%d", i),
			Title: fmt.Sprintf("Story %d", i), Published: at, Fetched: at, StoryID: sid,
			Deliveries: []store.Delivery{{Platform: "fake", Channel: "C1", Kind: store.KindPost, StoryID: sid, Created: at}}}
		if _, err := st.InsertItems(ctx, []store.Item{it}, []store.Story{{ID: sid, Title: it.Title, FirstSeen: at, LastSeen: at}}); err != nil {
			t.Fatal(err)
		}
	}
}

func openStore(t *testing.T) *sqlite.DB {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func statusCounts(t *testing.T, st store.Store) map[string]int {
	t.Helper()
	all, err := st.Deliveries(context.Background(), "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, d := range all {
		out[d.Status]++
	}
	return out
}

func TestDelivererRetryClassification(t *testing.T) {
	for _, tc := range []struct {
		name       string
		err        error
		wantStatus string
		minWait    time.Duration
		maxWait    time.Duration
	}{
		{"permanent", PermanentError("channel_not_found", errors.New("channel_not_found")), store.StatusFailed, 0, 0},
		{"rate limited", RateLimited(90*time.Second, errors.New("429")), store.StatusPending, 90 * time.Second, 90 * time.Second},
		{"transient", errors.New("502 bad gateway"), store.StatusPending, 1500 * time.Millisecond, 2500 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := openStore(t)
			clk := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
			seedStories(t, st, 1, clk.Now())
			pf := &fakePlatform{name: "fake", send: func(Delivery) (string, error) { return "", tc.err }}
			d := NewDeliverer(st, []Platform{pf}, quietLog(), DelivererOptions{Now: clk.Now})
			if _, err := d.RunOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			all, err := st.Deliveries(context.Background(), "", 10)
			if err != nil {
				t.Fatal(err)
			}
			got := all[0]
			if got.Status != tc.wantStatus {
				t.Fatalf("status = %q (%s), want %q", got.Status, got.LastError, tc.wantStatus)
			}
			if tc.wantStatus == store.StatusPending {
				wait := got.NextTry.Sub(clk.Now())
				if wait < tc.minWait || wait > tc.maxWait {
					t.Errorf("next try in %v, want %v–%v", wait, tc.minWait, tc.maxWait)
				}
				if n := mustRunOnce(t, d, context.Background()); n != 0 {
					t.Errorf("retried before its time: claimed %d", n)
				}
			} else if got.LastError == "" {
				t.Errorf("permanent failure recorded no reason")
			}
		})
	}
}

func TestDelivererBackoffGrowsAndCaps(t *testing.T) {
	d := NewDeliverer(nil, nil, quietLog(), DelivererOptions{})
	prev := time.Duration(0)
	for attempt := 1; attempt <= 16; attempt++ {
		w := d.backoff(attempt)
		base := min(2*time.Second<<min(attempt-1, 10), 30*time.Minute)
		if w < base*3/4 || w > base*5/4 {
			t.Errorf("backoff(%d) = %v, want within ±25%% of %v", attempt, w, base)
		}
		if attempt <= 8 && w <= prev/2 {
			t.Errorf("backoff(%d) = %v did not grow from %v", attempt, w, prev)
		}
		prev = w
	}
}

func TestDelivererGivesUpAfterMaxAttempts(t *testing.T) {
	st := openStore(t)
	clk := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	seedStories(t, st, 1, clk.Now())
	pf := &fakePlatform{name: "fake", send: func(Delivery) (string, error) { return "", errors.New("timeout") }}
	d := NewDeliverer(st, []Platform{pf}, quietLog(), DelivererOptions{Now: clk.Now, MaxAttempts: 3})
	for i := 0; i < 5; i++ {
		if _, err := d.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		clk.Add(2 * time.Hour)
	}
	if got := statusCounts(t, st); got[store.StatusFailed] != 1 {
		t.Errorf("statuses %v, want the delivery failed after 3 attempts", got)
	}
}

func TestDelivererLeaseTakeover(t *testing.T) {
	st := openStore(t)
	clk := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	seedStories(t, st, 2, clk.Now())
	ctx := context.Background()
	// A worker claims and dies without recording anything.
	if got, err := st.ClaimDeliveries(ctx, "dead-worker", clk.Now(), time.Minute, 10); err != nil || len(got) != 2 {
		t.Fatalf("claim: %v %v", got, err)
	}
	pf := &fakePlatform{name: "fake"}
	d := NewDeliverer(st, []Platform{pf}, quietLog(), DelivererOptions{Now: clk.Now, Lease: time.Minute, Owner: "live"})
	if n := mustRunOnce(t, d, ctx); n != 0 {
		t.Fatalf("claimed %d deliveries still leased to a dead worker", n)
	}
	clk.Add(61 * time.Second)
	if n := mustRunOnce(t, d, ctx); n != 2 {
		t.Fatalf("after the lease expired claimed %d, want 2", n)
	}
	sent := pf.deliveries()
	if len(sent) != 2 || sent[0].Attempt != 2 {
		t.Errorf("sent %d, first attempt %d; want 2 sends marked as second attempts (outcome of the first unknown)", len(sent), sent[0].Attempt)
	}
}

func TestDelivererNeverSendsUnderExpiringLease(t *testing.T) {
	st := openStore(t)
	clk := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	seedStories(t, st, 3, clk.Now())
	pf := &fakePlatform{name: "fake"}
	// Each send takes 25 s of the 30 s lease: the second would start inside the 10 s margin.
	pf.send = func(Delivery) (string, error) { clk.Add(25 * time.Second); return "", nil }
	d := NewDeliverer(st, []Platform{pf}, quietLog(), DelivererOptions{Now: clk.Now, Lease: 30 * time.Second, SendTimeout: 15 * time.Second})
	if _, err := d.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(pf.deliveries()); n != 1 {
		t.Fatalf("sent %d under one lease, want 1 (the rest released)", n)
	}
	if got := statusCounts(t, st); got[store.StatusPending] != 2 || got[store.StatusSent] != 1 {
		t.Errorf("statuses %v, want 1 sent and 2 released back to pending", got)
	}
}

func TestDelivererRollup(t *testing.T) {
	for _, tc := range []struct {
		name        string
		stories     int
		rollupAfter int
		wantMsgs    int
		wantRollup  bool
	}{
		{"burst folded", 12, 8, 1, true},
		{"at threshold", 8, 8, 8, false},
		{"off", 12, 0, 12, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := openStore(t)
			clk := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
			seedStories(t, st, tc.stories, clk.Now())
			pf := &fakePlatform{name: "fake"}
			d := NewDeliverer(st, []Platform{pf}, quietLog(), DelivererOptions{Now: clk.Now, RollupAfter: tc.rollupAfter})
			drain(t, d, context.Background())
			sent := pf.deliveries()
			if len(sent) != tc.wantMsgs {
				t.Fatalf("sent %d messages, want %d", len(sent), tc.wantMsgs)
			}
			if tc.wantRollup {
				if sent[0].Post.Kind != KindRollup || len(sent[0].Post.Stories) != tc.stories {
					t.Fatalf("roll-up %q lists %d stories, want %d", sent[0].Post.Kind, len(sent[0].Post.Stories), tc.stories)
				}
				for _, s := range sent[0].Post.Stories {
					if s.URL == "" || s.Title == "" {
						t.Errorf("roll-up line without link or title: %+v", s)
					}
				}
				// Every folded story counts as delivered: rooted at the roll-up.
				for i := 0; i < tc.stories; i++ {
					ref, err := st.RootRef(context.Background(), "fake", "C1", fmt.Sprintf("s%02d", i))
					if err != nil {
						t.Fatal(err)
					}
					if ref != "m1" {
						t.Errorf("story %d root = %q, want the roll-up m1", i, ref)
					}
				}
				if got := statusCounts(t, st); got[store.StatusPending] != 0 {
					t.Errorf("statuses after roll-up %v, want nothing pending", got)
				}
			}
		})
	}
}

func TestDelivererLaterReportThreadsUnderRollup(t *testing.T) {
	st := openStore(t)
	clk := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	seedStories(t, st, 10, clk.Now())
	pf := &fakePlatform{name: "fake"}
	d := NewDeliverer(st, []Platform{pf}, quietLog(), DelivererOptions{Now: clk.Now, RollupAfter: 8})
	if _, err := d.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	// A second outlet reports story 3.
	ctx := context.Background()
	f, err := st.UpsertFeed(ctx, store.Feed{URL: "https://other.example/rss", Name: "Other"})
	if err != nil {
		t.Fatal(err)
	}
	it := store.Item{FeedID: f.ID, FeedName: "Other", Key: "o1", URL: "https://other.example/1", Title: "Story 3, again",
		Published: clk.Now(), Fetched: clk.Now(), StoryID: "s03",
		Deliveries: []store.Delivery{{Platform: "fake", Channel: "C1", Kind: store.KindPost, StoryID: "s03", Created: clk.Now()}}}
	if _, err := st.InsertItems(ctx, []store.Item{it}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := d.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	sent := pf.deliveries()
	if len(sent) != 2 {
		t.Fatalf("sent %d, want the roll-up then one update", len(sent))
	}
	if up := sent[1]; up.Post.Kind != KindUpdate || up.Thread != "m1" || up.Post.Update == nil || up.Post.Update.Name != "Other" {
		t.Errorf("later report = %+v, want an update threaded under the roll-up m1", up)
	}
}

func TestDelivererRollupWithInterleavedChannels(t *testing.T) {
	// Three channels subscribed to the same burst of 10 stories: the outbox
	// interleaves their posts, and batches of 20 hold fewer than 9 of any
	// one channel. Each channel must still get one roll-up.
	ctx := context.Background()
	st := openStore(t)
	clk := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	f, err := st.UpsertFeed(ctx, store.Feed{URL: "https://example.org/rss", Name: "Example"})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		sid := fmt.Sprintf("s%02d", i)
		var ds []store.Delivery
		for _, ch := range []string{"A", "B", "C"} {
			ds = append(ds, store.Delivery{Platform: "fake", Channel: ch, Kind: store.KindPost, StoryID: sid, Created: clk.Now()})
		}
		it := store.Item{FeedID: f.ID, Key: sid, URL: "https://example.org/" + sid, Title: "Story " + sid, Published: clk.Now(), Fetched: clk.Now(), StoryID: sid, Deliveries: ds}
		if _, err := st.InsertItems(ctx, []store.Item{it}, []store.Story{{ID: sid, Title: it.Title, FirstSeen: clk.Now(), LastSeen: clk.Now()}}); err != nil {
			t.Fatal(err)
		}
	}
	pf := &fakePlatform{name: "fake"}
	d := NewDeliverer(st, []Platform{pf}, quietLog(), DelivererOptions{Now: clk.Now, RollupAfter: 8, Batch: 20})
	drain(t, d, ctx)
	perChannel := map[string]int{}
	for _, sent := range pf.deliveries() {
		perChannel[sent.Channel]++
		if sent.Post.Kind != KindRollup || len(sent.Post.Stories) != 10 {
			t.Errorf("channel %s got a %s with %d stories, want one roll-up of 10", sent.Channel, sent.Post.Kind, len(sent.Post.Stories))
		}
	}
	if len(perChannel) != 3 || perChannel["A"] != 1 || perChannel["B"] != 1 || perChannel["C"] != 1 {
		t.Errorf("messages per channel = %v, want one roll-up each", perChannel)
	}
}

func TestStoryPostMultiDocumentSummaryLeadsWithAnOpening(t *testing.T) {
	items := []store.Item{
		{ID: 1, FeedName: "Tigris", Title: "Drone strike hits vehicle near Sinjar, two killed", URL: "https://t/1",
			Text:      "A drone struck a vehicle on the road west of Sinjar on Tuesday evening, killing two people and wounding a third, local security officials said. Officials in Nineveh province blamed a Turkish drone and said the vehicle belonged to a local armed group affiliated with the PKK. Turkey has carried out repeated strikes in Shingal against groups it links to the Kurdistan Workers' Party. Iraq's foreign ministry has protested previous strikes as a violation of sovereignty.",
			Published: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)},
		{ID: 2, FeedName: "Zagros", Title: "Turkish drone kills two in Shingal, local officials say", URL: "https://z/1",
			Text:      "Two people were killed and one wounded when a Turkish drone struck a car west of Shingal (Sinjar) on Tuesday evening, local officials in Nineveh province said. The officials said those in the car were members of a local force that Turkey considers an affiliate of the PKK. Turkey frequently strikes targets in the area it describes as PKK positions.",
			Published: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)},
	}
	st := store.Story{ID: "s1", Title: items[0].Title, Summary: "single-report summary"}
	post := StoryPost(st, items)
	if post.Summary == st.Summary {
		t.Fatalf("a story with two reports kept the single-report summary")
	}
	var leads []string
	for _, it := range items {
		first, _, _ := strings.Cut(it.Text, ". ")
		leads = append(leads, first)
	}
	if !strings.HasPrefix(post.Summary, leads[0]) && !strings.HasPrefix(post.Summary, leads[1]) {
		t.Errorf("summary opens with context, not a report's lead:\n%s", post.Summary)
	}
	if post.URL != "https://t/1" || len(post.Sources) != 2 || post.Sources[0].Name != "Tigris" {
		t.Errorf("post links %s with sources %+v; want the titled first report and both sources in order", post.URL, post.Sources)
	}
}

// mustRunOnce runs one delivery pass and fails the test when it errors.
func mustRunOnce(t *testing.T, d *Deliverer, ctx context.Context) int {
	t.Helper()
	n, err := d.RunOnce(ctx)
	if err != nil {
		t.Fatalf("RunOnce: %v", err)
	}
	return n
}

// drain runs delivery passes until one claims nothing.
func drain(t *testing.T, d *Deliverer, ctx context.Context) {
	t.Helper()
	for mustRunOnce(t, d, ctx) > 0 {
	}
}
