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
