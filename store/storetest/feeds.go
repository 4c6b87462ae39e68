package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/store"
)

// addFeed upserts a feed with the given URL and name.
func addFeed(t *testing.T, s store.Store, url, name string) store.Feed {
	t.Helper()
	f, err := s.UpsertFeed(context.Background(), store.Feed{URL: url, Name: name, Article: "auto", AddedBy: "config"})
	must(t, "UpsertFeed", err)
	return f
}

func testFeeds(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()

	t.Run("UpsertInsertsByURL", func(t *testing.T) {
		s := open(t)
		in := store.Feed{URL: "https://a.example/rss", Name: "A", Schedule: "@every 5m", Article: "always", AddedBy: "slack:C1"}
		a, err := s.UpsertFeed(ctx, in)
		must(t, "UpsertFeed(a)", err)
		if a.ID == 0 {
			t.Fatalf("UpsertFeed(a).ID = 0, want an ID")
		}
		if a.URL != in.URL || a.Name != in.Name || a.Schedule != in.Schedule || a.Article != in.Article || a.AddedBy != in.AddedBy {
			t.Errorf("UpsertFeed(a) = %+v, want the fields of %+v", a, in)
		}
		if !a.FirstFetched.IsZero() || !a.NextPoll.IsZero() || a.Failures != 0 {
			t.Errorf("new feed has state %+v, want zero state", a)
		}
		b := addFeed(t, s, "https://b.example/rss", "B")
		if b.ID == a.ID {
			t.Fatalf("two URLs got the same ID %d", a.ID)
		}
		got, err := s.Feed(ctx, in.URL)
		must(t, "Feed(a)", err)
		if got.ID != a.ID || got.Name != "A" || got.Schedule != "@every 5m" || got.Article != "always" || got.AddedBy != "slack:C1" {
			t.Errorf("Feed(a) = %+v, want %+v", got, a)
		}
		all, err := s.Feeds(ctx)
		must(t, "Feeds", err)
		if len(all) != 2 || all[0].ID != a.ID || all[1].ID != b.ID {
			t.Fatalf("Feeds() = %+v, want [a b] by ID", all)
		}
	})

	t.Run("UpsertUpdatesAndKeepsState", func(t *testing.T) {
		s := open(t)
		a := addFeed(t, s, "https://a.example/rss", "A")
		st := a
		st.ETag = `"v1"`
		st.LastModified = "Sat, 28 Feb 2026 10:00:00 GMT"
		st.FirstFetched = t0.Add(-time.Hour)
		st.LastSuccess = t0
		st.NextPoll = t0.Add(10 * time.Minute)
		must(t, "SaveFeedState", s.SaveFeedState(ctx, st))

		up, err := s.UpsertFeed(ctx, store.Feed{URL: a.URL, Name: "A renamed", Schedule: "@hourly", Article: "never", AddedBy: "discord:D9"})
		must(t, "UpsertFeed(update)", err)
		if up.ID != a.ID {
			t.Fatalf("UpsertFeed(same URL).ID = %d, want %d", up.ID, a.ID)
		}
		got, err := s.Feed(ctx, a.URL)
		must(t, "Feed", err)
		if got.Name != "A renamed" || got.Schedule != "@hourly" || got.Article != "never" {
			t.Errorf("after update Feed() = %+v, want new Name/Schedule/Article", got)
		}
		if got.AddedBy != "config" {
			t.Errorf("update changed AddedBy to %q, want %q kept", got.AddedBy, "config")
		}
		if got.ETag != st.ETag || got.LastModified != st.LastModified || !sameTime(got.FirstFetched, st.FirstFetched) ||
			!sameTime(got.LastSuccess, st.LastSuccess) || !sameTime(got.NextPoll, st.NextPoll) {
			t.Errorf("update lost fetch state: got %+v, want state of %+v", got, st)
		}
		all, err := s.Feeds(ctx)
		must(t, "Feeds", err)
		if len(all) != 1 {
			t.Errorf("Feeds() has %d feeds after upserting one URL twice, want 1", len(all))
		}
	})

	t.Run("Delete", func(t *testing.T) {
		s := open(t)
		a := addFeed(t, s, "https://a.example/rss", "A")
		b := addFeed(t, s, "https://b.example/rss", "B")
		must(t, "DeleteFeed(a)", s.DeleteFeed(ctx, a.URL))
		_, err := s.Feed(ctx, a.URL)
		wantErr(t, "Feed(deleted)", err, store.ErrNotFound)
		wantErr(t, "DeleteFeed(deleted)", s.DeleteFeed(ctx, a.URL), store.ErrNotFound)
		wantErr(t, "DeleteFeed(unknown)", s.DeleteFeed(ctx, "https://nowhere.example/"), store.ErrNotFound)
		_, err = s.Feed(ctx, "https://nowhere.example/")
		wantErr(t, "Feed(unknown)", err, store.ErrNotFound)
		all, err := s.Feeds(ctx)
		must(t, "Feeds", err)
		if len(all) != 1 || all[0].ID != b.ID {
			t.Errorf("Feeds() after delete = %+v, want only b", all)
		}
	})

	t.Run("ReAddResumesDeletedFeed", func(t *testing.T) {
		// Deleting a feed keeps its items; adding the URL back resumes the
		// same feed, so items already seen are not new (and not posted) again.
		s := open(t)
		a := addFeed(t, s, "https://a.example/rss", "A")
		insert(t, s, []store.Item{newItem(a, "k1", "s1", t0)}, newStory("s1", t0))
		st := a
		st.ETag, st.FirstFetched, st.LastSuccess = `"v1"`, t0, t0
		must(t, "SaveFeedState", s.SaveFeedState(ctx, st))
		must(t, "DeleteFeed", s.DeleteFeed(ctx, a.URL))
		if ok, err := s.ClaimFeedPoll(ctx, a.ID, "w", t0.Add(time.Hour), t0.Add(2*time.Hour)); err != nil || ok {
			t.Errorf("ClaimFeedPoll(deleted) = %v, %v; want false", ok, err)
		}
		if items, err := s.Items(ctx, store.ItemFilter{FeedID: a.ID}); err != nil || len(items) != 1 {
			t.Errorf("items of a deleted feed: %d (%v), want kept", len(items), err)
		}
		back, err := s.UpsertFeed(ctx, store.Feed{URL: a.URL, Name: "A again", AddedBy: "slack:C1"})
		must(t, "UpsertFeed(re-add)", err)
		if back.ID != a.ID || back.ETag != `"v1"` || !sameTime(back.FirstFetched, t0) || back.AddedBy != "slack:C1" || back.Name != "A again" {
			t.Errorf("re-added feed = %+v; want id %d with its state, the new name and the re-adder", back, a.ID)
		}
		known, err := s.KnownKeys(ctx, back.ID, []string{"k1", "k2"})
		must(t, "KnownKeys", err)
		if !known["k1"] || known["k2"] {
			t.Errorf("KnownKeys after re-add = %v, want k1 only", known)
		}
	})

	t.Run("SaveFeedStateRoundTrip", func(t *testing.T) {
		s := open(t)
		a := addFeed(t, s, "https://a.example/rss", "A")
		st := store.Feed{
			ID:           a.ID,
			URL:          a.URL,
			Name:         "ignored by SaveFeedState",
			ETag:         `W/"abc"`,
			LastModified: "Sun, 01 Mar 2026 11:00:00 GMT",
			FirstFetched: t0.Add(-48 * time.Hour),
			LastSuccess:  t0.Add(-time.Hour).Add(123456789 * time.Nanosecond),
			LastError:    "fetch: 503 Service Unavailable",
			LastErrorAt:  t0,
			Failures:     3,
			NextPoll:     t0.Add(20 * time.Minute),
		}
		must(t, "SaveFeedState", s.SaveFeedState(ctx, st))
		got, err := s.Feed(ctx, a.URL)
		must(t, "Feed", err)
		if got.Name != "A" {
			t.Errorf("SaveFeedState changed Name to %q", got.Name)
		}
		if got.ETag != st.ETag || got.LastModified != st.LastModified || got.LastError != st.LastError || got.Failures != st.Failures {
			t.Errorf("Feed() = %+v, want state %+v", got, st)
		}
		for _, c := range []struct {
			name      string
			got, want time.Time
		}{
			{"FirstFetched", got.FirstFetched, st.FirstFetched},
			{"LastSuccess", got.LastSuccess, st.LastSuccess},
			{"LastErrorAt", got.LastErrorAt, st.LastErrorAt},
			{"NextPoll", got.NextPoll, st.NextPoll},
		} {
			if !sameTime(c.got, c.want) {
				t.Errorf("Feed().%s = %v, want %v", c.name, c.got, ts(c.want))
			}
		}

		// Clearing the error state again round-trips zero values.
		st.LastError, st.LastErrorAt, st.Failures = "", time.Time{}, 0
		must(t, "SaveFeedState(clear)", s.SaveFeedState(ctx, st))
		got, err = s.Feed(ctx, a.URL)
		must(t, "Feed", err)
		if got.LastError != "" || !got.LastErrorAt.IsZero() || got.Failures != 0 {
			t.Errorf("after clearing, Feed() = %+v, want no error state", got)
		}
	})

	t.Run("ClaimFeedPoll", func(t *testing.T) {
		s := open(t)
		a := addFeed(t, s, "https://a.example/rss", "A")
		claim := func(owner string, now, until time.Time) bool {
			t.Helper()
			ok, err := s.ClaimFeedPoll(ctx, a.ID, owner, now, until)
			must(t, "ClaimFeedPoll", err)
			return ok
		}
		// A new feed (zero NextPoll) is due at once.
		if !claim("r1", t0, t0.Add(time.Minute)) {
			t.Fatalf("ClaimFeedPoll(r1) on a new feed = false, want true")
		}
		if claim("r2", t0.Add(30*time.Second), t0.Add(90*time.Second)) {
			t.Fatalf("ClaimFeedPoll(r2) while r1's lease lives = true, want false")
		}
		if !claim("r2", t0.Add(61*time.Second), t0.Add(2*time.Minute)) {
			t.Fatalf("ClaimFeedPoll(r2) after r1's lease expired = false, want true")
		}
		if claim("r1", t0.Add(90*time.Second), t0.Add(3*time.Minute)) {
			t.Fatalf("ClaimFeedPoll(r1) while r2's lease lives = true, want false")
		}

		// Not claimable before NextPoll, even with no lease.
		st, err := s.Feed(ctx, a.URL)
		must(t, "Feed", err)
		st.NextPoll = t0.Add(time.Hour)
		must(t, "SaveFeedState", s.SaveFeedState(ctx, st))
		if claim("r3", t0.Add(30*time.Minute), t0.Add(31*time.Minute)) {
			t.Fatalf("ClaimFeedPoll before NextPoll = true, want false")
		}
		if !claim("r3", t0.Add(time.Hour+time.Second), t0.Add(time.Hour+time.Minute)) {
			t.Fatalf("ClaimFeedPoll after NextPoll with no live lease = false, want true")
		}

		// Saving the feed state ends the poll: the lease is released, so
		// another replica may claim the next tick before leaseUntil.
		if !claim("r4", t0.Add(2*time.Hour), t0.Add(3*time.Hour)) {
			t.Fatalf("ClaimFeedPoll(r4) = false, want true")
		}
		st.NextPoll = t0.Add(2*time.Hour + time.Minute)
		must(t, "SaveFeedState", s.SaveFeedState(ctx, st))
		if claim("r5", t0.Add(2*time.Hour+30*time.Second), t0.Add(3*time.Hour)) {
			t.Fatalf("ClaimFeedPoll(r5) before the saved NextPoll = true, want false")
		}
		if !claim("r5", t0.Add(2*time.Hour+time.Minute), t0.Add(3*time.Hour)) {
			t.Fatalf("ClaimFeedPoll(r5) at NextPoll after SaveFeedState released r4's lease = false, want true")
		}

		// Claims are per feed.
		b := addFeed(t, s, "https://b.example/rss", "B")
		ok, err := s.ClaimFeedPoll(ctx, b.ID, "r1", t0.Add(2*time.Hour+2*time.Minute), t0.Add(4*time.Hour))
		must(t, "ClaimFeedPoll(b)", err)
		if !ok {
			t.Fatalf("ClaimFeedPoll(b) = false while only feed a is leased, want true")
		}
	})
}
