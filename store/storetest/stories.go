package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/store"
)

// idsOf returns the IDs of stories in order.
func idsOf(ss []store.Story) []string {
	var ids []string
	for _, s := range ss {
		ids = append(ids, s.ID)
	}
	return ids
}

func testStories(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()

	t.Run("StoryWithItemCount", func(t *testing.T) {
		s := open(t)
		f := addFeed(t, s, "https://a.example/rss", "A")
		in := store.Story{ID: "s1", Title: "Ceasefire talks", Summary: "Talks resumed.", Regions: []string{"yemen"},
			Topics: []string{"diplomacy", "armed-conflict"}, Severity: "medium", FirstSeen: t0.Add(-time.Hour), LastSeen: t0}
		insert(t, s, []store.Item{newItem(f, "k1", "s1", t0), newItem(f, "k2", "s1", t0), newItem(f, "k3", "s2", t0)},
			in, newStory("s2", t0))
		got, err := s.Story(ctx, "s1")
		must(t, "Story", err)
		if got.ID != in.ID || got.Title != in.Title || got.Summary != in.Summary || got.Severity != in.Severity ||
			!sameSet(got.Regions, in.Regions) || !sameSet(got.Topics, in.Topics) ||
			!sameTime(got.FirstSeen, in.FirstSeen) || !sameTime(got.LastSeen, in.LastSeen) {
			t.Errorf("Story(s1) = %+v, want %+v", got, in)
		}
		if got.Items != 2 {
			t.Errorf("Story(s1).Items = %d, want 2", got.Items)
		}
		_, err = s.Story(ctx, "missing")
		wantErr(t, "Story(missing)", err, store.ErrNotFound)
	})

	t.Run("StoriesNewestFirst", func(t *testing.T) {
		s := open(t)
		f := addFeed(t, s, "https://a.example/rss", "A")
		insert(t, s, []store.Item{
			newItem(f, "a1", "a", t0), newItem(f, "b1", "b", t0), newItem(f, "b2", "b", t0), newItem(f, "c1", "c", t0),
		}, newStory("a", t0.Add(-3*time.Hour)), newStory("b", t0.Add(-1*time.Hour)), newStory("c", t0.Add(-2*time.Hour)))
		for _, c := range []struct {
			name string
			f    store.StoryFilter
			want []string
		}{
			{"all", store.StoryFilter{}, []string{"b", "c", "a"}},
			{"since", store.StoryFilter{Since: t0.Add(-150 * time.Minute)}, []string{"b", "c"}},
			{"limit", store.StoryFilter{Limit: 1}, []string{"b"}},
			{"since and limit", store.StoryFilter{Since: t0.Add(-5 * time.Hour), Limit: 2}, []string{"b", "c"}},
			{"none", store.StoryFilter{Since: t0}, nil},
		} {
			got, err := s.Stories(ctx, c.f)
			must(t, "Stories", err)
			if !slices.Equal(idsOf(got), c.want) {
				t.Errorf("%s: Stories(%+v) = %v, want %v", c.name, c.f, idsOf(got), c.want)
			}
		}
		got, err := s.Stories(ctx, store.StoryFilter{})
		must(t, "Stories", err)
		for _, st := range got {
			want := map[string]int{"a": 1, "b": 2, "c": 1}[st.ID]
			if st.Items != want {
				t.Errorf("Stories(): story %s has Items %d, want %d", st.ID, st.Items, want)
			}
		}
	})

	t.Run("StoriesArrived", func(t *testing.T) {
		s := open(t)
		f := addFeed(t, s, "https://a.example/rss", "A")
		item := func(key, sid string, pub, fetched time.Time) store.Item {
			it := newItem(f, key, sid, pub)
			it.Fetched = fetched
			return it
		}
		insert(t, s, []store.Item{
			// a: first fetched three hours ago, a new report since.
			item("a1", "a", t0.Add(-3*time.Hour), t0.Add(-3*time.Hour)),
			item("a2", "a", t0.Add(-10*time.Minute), t0.Add(-10*time.Minute)),
			// b: published five hours ago, first fetched five minutes ago.
			item("b1", "b", t0.Add(-5*time.Hour), t0.Add(-5*time.Minute)),
			// c: fetched two hours ago.
			item("c1", "c", t0.Add(-2*time.Hour), t0.Add(-2*time.Hour)),
		}, newStory("a", t0.Add(-10*time.Minute)), newStory("b", t0.Add(-5*time.Hour)), newStory("c", t0.Add(-2*time.Hour)))
		for _, c := range []struct {
			name string
			f    store.StoryFilter
			want []string
		}{
			{"last hour", store.StoryFilter{Arrived: t0.Add(-time.Hour)}, []string{"b"}},
			{"last 150 min", store.StoryFilter{Arrived: t0.Add(-150 * time.Minute)}, []string{"c", "b"}}, // newest LastSeen first
			{"last day", store.StoryFilter{Arrived: t0.Add(-24 * time.Hour)}, []string{"a", "c", "b"}},
			{"with since", store.StoryFilter{Arrived: t0.Add(-24 * time.Hour), Since: t0.Add(-time.Hour)}, []string{"a"}},
			{"none", store.StoryFilter{Arrived: t0}, nil},
		} {
			got, err := s.Stories(ctx, c.f)
			must(t, "Stories", err)
			if !slices.Equal(idsOf(got), c.want) {
				t.Errorf("%s: Stories(%+v) = %v, want %v", c.name, c.f, idsOf(got), c.want)
			}
		}
		st, err := s.Story(ctx, "a")
		must(t, "Story", err)
		if !sameTime(st.Arrived, t0.Add(-3*time.Hour)) {
			t.Errorf("Story(a).Arrived = %v, want %v", st.Arrived, t0.Add(-3*time.Hour))
		}
	})
}
