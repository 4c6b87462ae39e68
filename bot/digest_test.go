package bot

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/store"
	"github.com/sitrep-bot/sitrep/store/sqlite"
)

// digestDeliveries returns the queued digest deliveries of one channel.
func digestDeliveries(t *testing.T, db interface {
	Deliveries(ctx context.Context, status string, limit int) ([]store.Delivery, error)
}, platform, channel string) []store.Delivery {
	t.Helper()
	all, err := db.Deliveries(context.Background(), "", 1000)
	if err != nil {
		t.Fatalf("Deliveries: %v", err)
	}
	var out []store.Delivery
	for _, d := range all {
		if d.Kind == store.KindDigest && d.Platform == platform && d.Channel == channel {
			out = append(out, d)
		}
	}
	return out
}

func postStoryIDs(p Post) []string {
	var ids []string
	for _, s := range p.Sections {
		for _, l := range s.Stories {
			ids = append(ids, l.StoryID)
		}
	}
	slices.Sort(ids)
	return ids
}

func TestDigestFire(t *testing.T) {
	// routerNow is Thursday 26 Nov 2026 12:00 UTC.
	tests := []struct {
		name     string
		sub      store.Subscription
		stored   bool     // whether the subscription is in the store
		want     []string // story ids in the digest; nil: no digest queued
		title    string
		text     string
		sections []string // section headings (prefixes)
	}{
		{name: "daily region", stored: true, sub: store.Subscription{Platform: "slack", Channel: "C3", Targets: []string{"iraq"}, Digest: "0 12 * * *"},
			want: []string{"st-erbil"}, title: "Daily brief: iraq — 26 Nov 2026", sections: []string{"Armed conflict"}},
		{name: "weekly region", stored: true, sub: store.Subscription{Platform: "slack", Channel: "C4", Targets: []string{"iraq"}, Digest: "0 12 * * 4"},
			want: []string{"st-budget", "st-erbil"}, title: "Weekly brief: iraq", sections: []string{"Armed conflict", "Politics"}},
		{name: "daily everything", stored: true, sub: store.Subscription{Platform: "discord", Channel: "D3", Digest: "0 12 * * *"},
			want: []string{"st-erbil", "st-iran"}, title: "Daily brief: everything", sections: []string{"Iran", "Iraq"}},
		{name: "weekly topics", stored: true, sub: store.Subscription{Platform: "discord", Channel: "D4", Targets: []string{"maritime-security", "border-security"}, Digest: "0 12 * * 4"},
			want: []string{"st-iran", "st-yemen"}, sections: []string{"Border security", "Maritime security"}},
		{name: "quiet period", stored: true, sub: store.Subscription{Platform: "slack", Channel: "C5", Targets: []string{"cyber"}, Digest: "0 12 * * *"},
			want: []string{}, text: "No new stories on cyber in the last 24 hours."},
		{name: "unsubscribed", stored: false, sub: store.Subscription{Platform: "slack", Channel: "C6", Targets: []string{"iraq"}, Digest: "0 12 * * *"}},
		{name: "switched to real-time", stored: true, sub: store.Subscription{Platform: "slack", Channel: "C7", Targets: []string{"iraq"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := openSeeded(t)
			ctx := context.Background()
			if tc.stored {
				if _, err := db.Subscribe(ctx, tc.sub); err != nil {
					t.Fatal(err)
				}
			}
			scheduled := tc.sub
			if scheduled.Digest == "" {
				scheduled.Digest = "0 12 * * *" // the scheduler still held the old digest
			}
			d := NewDigester(db, slog.New(slog.DiscardHandler), func() time.Time { return routerNow.Add(300 * time.Millisecond) })
			for range 2 { // a second fire for the same minute (another replica) queues nothing more
				if err := d.Fire(ctx, scheduled); err != nil {
					t.Fatalf("Fire: %v", err)
				}
			}
			got := digestDeliveries(t, db, tc.sub.Platform, tc.sub.Channel)
			if tc.want == nil {
				if len(got) != 0 {
					t.Fatalf("queued %d digests, want none", len(got))
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("queued %d digests, want 1", len(got))
			}
			if got[0].StoryID != DigestKey(routerNow) || got[0].Status != store.StatusPending {
				t.Errorf("delivery key %q status %q, want %q pending", got[0].StoryID, got[0].Status, DigestKey(routerNow))
			}
			var post Post
			if err := json.Unmarshal(got[0].Payload, &post); err != nil {
				t.Fatalf("payload: %v", err)
			}
			if post.Kind != KindDigest || !post.Time.Equal(routerNow) {
				t.Errorf("post kind %q time %v, want digest at %v", post.Kind, post.Time, routerNow)
			}
			if ids := postStoryIDs(post); !slices.Equal(ids, tc.want) && !(len(ids) == 0 && len(tc.want) == 0) {
				t.Errorf("digest stories = %v, want %v", ids, tc.want)
			}
			if !strings.HasPrefix(post.Title, tc.title) {
				t.Errorf("title = %q, want prefix %q", post.Title, tc.title)
			}
			if tc.text != "" && post.Text != tc.text {
				t.Errorf("text = %q, want %q", post.Text, tc.text)
			}
			var heads []string
			for _, s := range post.Sections {
				heads = append(heads, s.Heading)
			}
			slices.Sort(heads)
			if len(heads) != len(tc.sections) {
				t.Fatalf("sections %q, want %q", heads, tc.sections)
			}
			for i := range heads {
				if !strings.HasPrefix(heads[i], tc.sections[i]) {
					t.Errorf("sections %q, want %q", heads, tc.sections)
				}
			}
			for _, s := range post.Sections {
				for _, l := range s.Stories {
					if l.URL == "" || l.Title == "" {
						t.Errorf("story line without link or title: %+v", l)
					}
				}
			}
		})
	}
}

func TestDigestFireNextDay(t *testing.T) {
	db := openSeeded(t)
	ctx := context.Background()
	sub := store.Subscription{Platform: "slack", Channel: "C8", Targets: []string{"iraq"}, Digest: "0 12 * * *"}
	if _, err := db.Subscribe(ctx, sub); err != nil {
		t.Fatal(err)
	}
	now := routerNow
	d := NewDigester(db, nil, func() time.Time { return now })
	if err := d.Fire(ctx, sub); err != nil {
		t.Fatal(err)
	}
	now = now.Add(24 * time.Hour)
	if err := d.Fire(ctx, sub); err != nil {
		t.Fatal(err)
	}
	got := digestDeliveries(t, db, "slack", "C8")
	if len(got) != 2 || got[0].StoryID == got[1].StoryID {
		t.Fatalf("two days: %d digests (%+v), want 2 with distinct keys", len(got), got)
	}
}

func TestDigestPeriod(t *testing.T) {
	mon := time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC) // a Monday
	tests := []struct {
		spec string
		at   time.Time
		want time.Duration
	}{
		{DigestDaily, mon, 24 * time.Hour},
		{DigestWeekly, mon, 7 * 24 * time.Hour},
		{"0 7 * * 1-5", mon, 72 * time.Hour},
		{"0 7 * * 1-5", mon.Add(24 * time.Hour), 24 * time.Hour},
		{"0 */6 * * *", mon.Add(5 * time.Hour), 6 * time.Hour},
		{"@every 6h", mon, 6 * time.Hour},
		{"@daily", mon.Add(17 * time.Hour), 24 * time.Hour},
		{"0 7 1 * *", mon, 7 * 24 * time.Hour}, // monthly: capped at a week
		{"not a schedule", mon, 24 * time.Hour},
	}
	for _, tc := range tests {
		if got := digestPeriod(tc.spec, tc.at); got != tc.want {
			t.Errorf("digestPeriod(%q, %v) = %v, want %v", tc.spec, tc.at, got, tc.want)
		}
	}
}

// recordingPlatform records what the Deliverer sends.
type recordingPlatform struct {
	mu   sync.Mutex
	sent []Delivery
}

func (p *recordingPlatform) Name() string { return "slack" }

func (p *recordingPlatform) Send(_ context.Context, d Delivery) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sent = append(p.sent, d)
	return "ts-1", nil
}

func TestDigestDelivered(t *testing.T) {
	db := openSeeded(t)
	ctx := context.Background()
	sub := store.Subscription{Platform: "slack", Channel: "C3", Targets: []string{"iraq"}, Digest: "0 12 * * 4"}
	if _, err := db.Subscribe(ctx, sub); err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return routerNow }
	if err := NewDigester(db, nil, clock).Fire(ctx, sub); err != nil {
		t.Fatal(err)
	}
	pf := &recordingPlatform{}
	dv := NewDeliverer(db, []Platform{pf}, slog.New(slog.DiscardHandler), DelivererOptions{Now: clock})
	if _, err := dv.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if len(pf.sent) != 1 {
		t.Fatalf("sent %d messages, want 1", len(pf.sent))
	}
	p := pf.sent[0].Post
	if p.Kind != KindDigest || pf.sent[0].Channel != "C3" || !slices.Equal(postStoryIDs(p), []string{"st-budget", "st-erbil"}) {
		t.Errorf("delivered %q to %q with stories %v", p.Kind, pf.sent[0].Channel, postStoryIDs(p))
	}
}

// insertArrived stores one report of a new story, published at pub and
// fetched (polled) at fetched.
func insertArrived(t *testing.T, db *sqlite.DB, id string, pub, fetched time.Time) {
	t.Helper()
	ctx := context.Background()
	f, err := db.UpsertFeed(ctx, store.Feed{URL: "https://arrivals.example/rss", Name: "Arrivals", AddedBy: "config"})
	if err != nil {
		t.Fatal(err)
	}
	it := store.Item{FeedID: f.ID, FeedName: f.Name, Key: id, GUID: id, URL: "https://arrivals.example/" + id,
		Title: "Report " + id + " on Iraq", Text: "Text of " + id + ".", Summary: "Text of " + id + ".",
		Published: pub, Fetched: fetched, Regions: []string{"iraq"}, Topics: []string{"politics"}, StoryID: id}
	st := store.Story{ID: id, Title: it.Title, Summary: it.Summary, Regions: it.Regions, Topics: it.Topics,
		FirstSeen: pub, LastSeen: pub}
	if _, err := db.InsertItems(ctx, []store.Item{it}, []store.Story{st}); err != nil {
		t.Fatal(err)
	}
}

// fireDigest fires sub's digest at now and returns the queued post.
func fireDigest(t *testing.T, db *sqlite.DB, sub store.Subscription, now time.Time) Post {
	t.Helper()
	if err := NewDigester(db, nil, func() time.Time { return now }).Fire(context.Background(), sub); err != nil {
		t.Fatal(err)
	}
	for _, dl := range digestDeliveries(t, db, sub.Platform, sub.Channel) {
		if dl.StoryID == DigestKey(now) {
			var p Post
			if err := json.Unmarshal(dl.Payload, &p); err != nil {
				t.Fatal(err)
			}
			return p
		}
	}
	t.Fatalf("no digest queued at %v", now)
	return Post{}
}

// TestDigestCoversArrivals: a digest lists the stories that reached
// sitrep since the channel's previous digest, whenever they were
// published; none is skipped or listed twice.
func TestDigestCoversArrivals(t *testing.T) {
	ctx := context.Background()
	day1 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC) // a Tuesday
	tests := []struct {
		name  string
		sub   store.Subscription
		fires []time.Time
		items []struct {
			id           string
			pub, fetched time.Time
		}
		want  [][]string // story ids per fire
		words []string   // window words per fire
	}{
		{
			name:  "published before the fire, polled after it",
			sub:   store.Subscription{Platform: "slack", Channel: "C1", Targets: []string{"iraq"}, Digest: "0 9 * * *"},
			fires: []time.Time{day1, day1.Add(24 * time.Hour)},
			items: []struct {
				id           string
				pub, fetched time.Time
			}{
				{"before", day1.Add(-2 * time.Hour), day1.Add(-10 * time.Minute)},
				{"late", day1.Add(-30 * time.Minute), day1.Add(10 * time.Minute)}, // in no digest by publication time
				{"old-feed", day1.Add(-20 * time.Hour), day1.Add(5 * time.Hour)},
			},
			want:  [][]string{{"before"}, {"late", "old-feed"}},
			words: []string{"in the last 24 hours", "in the last 24 hours"},
		},
		{
			name:  "a missed fire: the next covers both days",
			sub:   store.Subscription{Platform: "slack", Channel: "C2", Targets: []string{"iraq"}, Digest: "0 9 * * *"},
			fires: []time.Time{day1, day1.Add(48 * time.Hour)},
			items: []struct {
				id           string
				pub, fetched time.Time
			}{
				{"day1", day1.Add(time.Hour), day1.Add(time.Hour)},
				{"day2", day1.Add(25 * time.Hour), day1.Add(26 * time.Hour)},
			},
			want:  [][]string{nil, {"day1", "day2"}},
			words: []string{"in the last 24 hours", "since Tue 09:00 UTC"},
		},
		{
			name:  "every minute over hours-old items",
			sub:   store.Subscription{Platform: "discord", Channel: "D1", Targets: []string{"iraq"}, Digest: "@every 1m"},
			fires: []time.Time{day1, day1.Add(time.Minute), day1.Add(2 * time.Minute)},
			items: []struct {
				id           string
				pub, fetched time.Time
			}{
				{"a", day1.Add(-5 * time.Hour), day1.Add(20 * time.Second)},
				{"b", day1.Add(-4 * time.Hour), day1.Add(30 * time.Second)},
				{"c", day1.Add(-3 * time.Hour), day1.Add(40 * time.Second)},
			},
			want:  [][]string{nil, {"a", "b", "c"}, nil},
			words: []string{"in the last minute", "in the last minute", "in the last minute"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := openSeeded(t)
			if _, err := db.Subscribe(ctx, tc.sub); err != nil {
				t.Fatal(err)
			}
			for i, fire := range tc.fires {
				for _, it := range tc.items {
					// Items are stored as the poller meets them: those
					// fetched before this fire and after the previous one.
					if it.fetched.Before(fire) && (i == 0 || !it.fetched.Before(tc.fires[i-1])) {
						insertArrived(t, db, it.id, it.pub, it.fetched)
					}
				}
				p := fireDigest(t, db, tc.sub, fire)
				var got []string
				for _, id := range postStoryIDs(p) {
					if !strings.HasPrefix(id, "st-") { // the seeded router corpus
						got = append(got, id)
					}
				}
				if !slices.Equal(got, tc.want[i]) {
					t.Errorf("fire %d at %v: stories %v, want %v (text %q)", i, fire, got, tc.want[i], p.Text)
				}
				if !strings.Contains(p.Text, tc.words[i]) || strings.Contains(p.Text, " 0 ") {
					t.Errorf("fire %d: text %q, want it to say %q", i, p.Text, tc.words[i])
				}
			}
		})
	}
}
