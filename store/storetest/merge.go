package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/store"
	"github.com/sitrep-bot/sitrep/topics"
)

// testMergeRule checks that the store merges story versions as
// store.MergeStory does: random versions of a few stories (tied first-seen
// times, unsorted, repeated and mixed-case tags, every severity and an
// unknown one, security or not) go in through InsertItems, one or several per call, and the
// stored stories must equal the Go merge of the same versions in the same
// order. Unset times are left out: PostgreSQL stores now() for them.
func testMergeRule(t *testing.T, open func(t *testing.T) store.Store) {
	s := open(t)
	ctx := context.Background()
	f := addFeed(t, s, "https://merge.example/rss", "M")
	rnd := rand.New(rand.NewPCG(17, 3))
	tags := []string{"iraq", "syria", "yemen", "Ünïcode", "a", "B", "drone"}
	pick := func() []string {
		var out []string
		for range rnd.IntN(4) {
			out = append(out, tags[rnd.IntN(len(tags))])
		}
		return out
	}
	severities := append(topics.Severities[:], "odd")
	want := map[string]*store.Story{}
	key := 0
	for call := range 60 {
		var items []store.Item
		var versions []store.Story
		for range 1 + rnd.IntN(3) {
			id := fmt.Sprintf("m%d", rnd.IntN(4))
			first := t0.Add(time.Duration(rnd.IntN(4)) * time.Hour)
			v := store.Story{ID: id, Title: fmt.Sprintf("title %d", call), Summary: fmt.Sprintf("summary %d", call),
				Regions: pick(), Topics: pick(), Severity: severities[rnd.IntN(len(severities))], Security: rnd.IntN(3) == 0,
				FirstSeen: first, LastSeen: first.Add(time.Duration(rnd.IntN(3)) * time.Hour)}
			versions = append(versions, v)
			key++
			items = append(items, newItem(f, fmt.Sprintf("k%d", key), id, first))
			if w, ok := want[id]; ok {
				store.MergeStory(w, v)
			} else {
				w := v
				want[id] = &w
			}
		}
		insert(t, s, items, versions...)
	}
	for id, w := range want {
		got, err := s.Story(ctx, id)
		must(t, "Story", err)
		if got.Title != w.Title || got.Summary != w.Summary || got.Severity != w.Severity || got.Security != w.Security ||
			!sameTime(got.FirstSeen, w.FirstSeen) || !sameTime(got.LastSeen, w.LastSeen) ||
			!slices.Equal(got.Regions, w.Regions) || !slices.Equal(got.Topics, w.Topics) {
			t.Errorf("story %s as stored differs from store.MergeStory:\n got  %+v\n want %+v", id, got, *w)
		}
	}
}
