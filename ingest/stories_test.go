package ingest

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/store"
)

// TestStoryBookSync checks the rules of storyBook.sync on hand-made partitions.
func TestStoryBookSync(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	type want struct {
		of     map[string]string
		merges []store.Merge
		moves  map[string]string
	}
	for _, c := range []struct {
		name   string
		stored map[string]string    // doc → stored story before
		born   map[string]time.Time // story → born
		part   map[string]string    // the clusterer's partition after the round
		want   want
	}{
		{
			name:   "a newcomer joins the stored story, whatever the clusterer calls it",
			stored: map[string]string{"1:a": "sA"},
			part:   map[string]string{"1:a": "gB", "2:b": "gB"},
			want:   want{of: map[string]string{"1:a": "sA", "2:b": "sA"}},
		},
		{
			name:   "two stored stories in one group: the one stored first survives",
			stored: map[string]string{"1:a": "sA", "1:c": "sC"},
			born:   map[string]time.Time{"sA": now.Add(time.Minute), "sC": now},
			part:   map[string]string{"1:a": "g", "1:c": "g", "2:b": "g"},
			want: want{of: map[string]string{"1:a": "sC", "1:c": "sC", "2:b": "sC"},
				merges: []store.Merge{{From: "sA", Into: "sC"}}},
		},
		{
			name:   "a piece split off a stored story gets a new id; the larger piece keeps the story",
			stored: map[string]string{"1:a": "sA", "1:b": "sA", "1:c": "sA"},
			part:   map[string]string{"1:a": "sA", "1:b": "sA", "1:c": "sA", "2:x": "gX"},
			want:   want{of: map[string]string{"1:a": "sA", "1:b": "sA", "1:c": "sA", "2:x": "gX"}},
		},
		{
			name:   "a split moves the smaller piece, never to an id in use",
			stored: map[string]string{"1:a": "sA", "1:b": "sA", "1:c": "sA"},
			part:   map[string]string{"1:a": "g1", "1:b": "g1", "1:c": "sA"},
			want: want{of: map[string]string{"1:a": "sA", "1:b": "sA", "1:c": "new"},
				moves: map[string]string{"1:c": "new"}},
		},
		{
			// sR may be a story merged away before this process started:
			// the store would resolve it to its survivor.
			name:   "a split piece never takes the clusterer's id",
			stored: map[string]string{"1:a": "sA", "1:b": "sA", "1:c": "sA"},
			part:   map[string]string{"1:a": "sA", "1:b": "sA", "1:c": "sR"},
			want: want{of: map[string]string{"1:a": "sA", "1:b": "sA", "1:c": "new"},
				moves: map[string]string{"1:c": "new"}},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := newStoryBook()
			for doc, s := range c.stored {
				b.load(doc, s, now)
			}
			for s, at := range c.born {
				b.born[s] = at
			}
			b.sync(eachOf(c.part), now, time.Hour)
			derived := map[string]string{} // "new" in want: an id neither stored nor the clusterer's
			for doc, w := range c.want.of {
				got := b.of[doc]
				if w == "new" {
					if got == "" || slices.Contains(slices.Collect(maps.Values(c.stored)), got) ||
						slices.Contains(slices.Collect(maps.Values(c.part)), got) || (derived[w] != "" && derived[w] != got) {
						t.Errorf("doc %s in story %q, want a new id", doc, got)
					}
					derived[w] = got
					continue
				}
				if got != w {
					t.Errorf("doc %s in story %q, want %q", doc, got, w)
				}
			}
			if !slices.Equal(b.merges, c.want.merges) {
				t.Errorf("merges %v, want %v", b.merges, c.want.merges)
			}
			for doc, w := range c.want.moves {
				if derived[w] != "" {
					w = derived[w]
				}
				if b.moves[doc] != w {
					t.Errorf("move of %s to %q, want %q", doc, b.moves[doc], w)
				}
			}
			if len(b.moves) != len(c.want.moves) {
				t.Errorf("moves %v, want %v", b.moves, c.want.moves)
			}
		})
	}
}

// eachOf walks a partition as Clusterer.EachDoc does.
func eachOf(part map[string]string) func(func(doc, group string)) {
	return func(fn func(doc, group string)) {
		for doc, g := range part {
			fn(doc, g)
		}
	}
}

// BenchmarkStoryBookSync: one round of one new report joining a stored story, against a window
// of 20,000 held reports in 8,000 stories: the work each poll adds under the pipeline's lock.
func BenchmarkStoryBookSync(b *testing.B) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	book := newStoryBook()
	part := map[string]string{}
	for i := range 20000 {
		doc, s := fmt.Sprintf("%d:k%d", i%400, i), fmt.Sprintf("s%d", i%8000)
		book.load(doc, s, now)
		part[doc] = s
	}
	book.sync(eachOf(part), now, time.Hour)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		part[fmt.Sprintf("new:%d", i)] = fmt.Sprintf("s%d", i%8000)
		i++
		book.sync(eachOf(part), now, time.Hour)
	}
}

// TestStoryBookForgetsPruned: reports the clusterer no longer holds (pruned, outside the window)
// leave the book, and a story left without reports is forgotten.
func TestStoryBookForgetsPruned(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	b := newStoryBook()
	b.load("1:a", "sA", now)
	b.load("1:b", "sB", now)
	b.load("1:c", "sB", now)
	b.sync(eachOf(map[string]string{"1:a": "sA", "1:b": "sB", "1:c": "sB"}), now, time.Hour)
	b.sync(eachOf(map[string]string{"1:c": "sB", "2:d": "sB"}), now, time.Hour)
	if len(b.of) != 2 || b.of["1:c"] != "sB" || b.of["2:d"] != "sB" {
		t.Errorf("book %v, want 1:c and 2:d in sB", b.of)
	}
	if _, ok := b.born["sA"]; ok {
		t.Errorf("sA, left without reports, is still known")
	}
	if len(b.merges) != 0 || len(b.moves) != 0 {
		t.Errorf("pruning regrouped: merges %v, moves %v", b.merges, b.moves)
	}
}

// TestStoryBookLearnsMerges: an item the store put in another story than sent (another replica
// merged the story away) teaches the book the merge; an item the book moved while it was on its
// way is moved again.
func TestStoryBookLearnsMerges(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	b := newStoryBook()
	b.load("1:a", "sOld", now)
	b.load("1:b", "sOld", now)
	b.load("1:c", "sC", now)
	b.stored([]store.Item{{FeedID: 1, Key: "b", StoryID: "sOld"}, {FeedID: 1, Key: "c", StoryID: "sX"}},
		[]store.Item{{FeedID: 1, Key: "b", StoryID: "sNew"}, {FeedID: 1, Key: "c", StoryID: "sX"}}, now)
	if b.of["1:a"] != "sNew" || b.of["1:b"] != "sNew" {
		t.Errorf("book %v, want a and b in sNew, the story sOld was merged into", b.of)
	}
	if _, ok := b.retired["sOld"]; !ok {
		t.Errorf("sOld not retired")
	}
	if len(b.moves) != 1 || b.moves["1:c"] != "sC" {
		t.Errorf("moves %v, want c back to sC", b.moves)
	}
}

// BenchmarkStoryBookSyncFirst: the sync of a first poll, 10,000 new reports in 6,800 stories
// (as in bench poll) into an empty book: the part of assigning stories that is the book's.
func BenchmarkStoryBookSyncFirst(b *testing.B) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	type pair struct{ doc, group string }
	part := make([]pair, 10000)
	for i := range part {
		g := i
		if i%3 == 2 {
			g = i / 7 // a third join another report's story
		}
		part[i] = pair{fmt.Sprintf("%d:k%d", i%400, i), fmt.Sprintf("s%d", g)}
	}
	each := func(fn func(doc, group string)) {
		for _, p := range part {
			fn(p.doc, p.group)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		newStoryBook().sync(each, now, time.Hour)
	}
}
