package ingest

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sitrep-bot/sitrep/store"
	"github.com/sitrep-bot/sitrep/topics"
)

// storyBook keeps the stored story of every report the clusterer holds
// and makes the stored partition follow the clusterer's, which changes as
// later reports arrive: a report published before stored ones, a newcomer
// linking two young stories, the sweep gathering small pieces.
//
// The rules (sync, each round of new reports):
//   - a story once stored keeps its id; each group of the clusterer's
//     partition takes the stored story most of whose reports it holds
//     (ties: the group with the smaller clusterer id), so newcomers join
//     the stored (posted) story of the reports they join;
//   - a group that takes several stored stories keeps the one stored
//     first (then the smaller id) and the others are merged into it
//     (store.Merge): later reports thread under the post channels have;
//   - a group that takes no stored story (new reports only, or a piece
//     split off a stored story) gets a new id: the clusterer's, unless that
//     names a story stored or merged away, then one derived from it;
//   - stored reports whose group's id changed are moved (store.Move).
//
// Merges and moves wait in pending until a commit takes them to the store
// in the transaction of its items (carriers); a commit that fails gives
// them back. It is guarded by Pipeline.mu.
type storyBook struct {
	of      map[string]string    // doc id → stored story id
	born    map[string]time.Time // stored story → when its first report was fetched
	retired map[string]time.Time // story ids merged away (never given again) → when
	merges  []store.Merge        // pending
	moves   map[string]string    // pending: doc id → story
}

func newStoryBook() *storyBook {
	return &storyBook{of: map[string]string{}, born: map[string]time.Time{}, retired: map[string]time.Time{}, moves: map[string]string{}}
}

// load records a report read back from the store with its story.
func (b *storyBook) load(docID, storyID string, fetched time.Time) {
	if _, ok := b.of[docID]; ok || storyID == "" {
		return
	}
	b.of[docID] = storyID
	if t, ok := b.born[storyID]; !ok || fetched.Before(t) {
		b.born[storyID] = fetched
	}
}

// sync gives the new docs (not held before) their stored stories and
// records the merges and moves that make the stored partition equal
// part, the clusterer's partition of every doc it holds. It returns the
// stories it touched (their cached versions are stale) and the new ids
// it made.
func (b *storyBook) sync(part map[string]string, newDocs []string, now time.Time, window time.Duration) (touched, made []string) {
	for doc := range b.of {
		if _, ok := part[doc]; !ok {
			delete(b.of, doc) // pruned by the clusterer
		}
	}
	// cnt[g][s]: how many reports of stored story s group g holds.
	cnt := map[string]map[string]int{}
	for doc, s := range b.of {
		g := part[doc]
		if cnt[g] == nil {
			cnt[g] = map[string]int{}
		}
		cnt[g][s]++
	}
	for _, doc := range newDocs {
		if g, ok := part[doc]; ok && cnt[g] == nil {
			cnt[g] = map[string]int{}
		}
	}
	home := map[string]string{} // stored story → the group that takes it
	for g, ss := range cnt {
		for s, n := range ss {
			h, ok := home[s]
			if !ok || n > cnt[h][s] || (n == cnt[h][s] && g < h) {
				home[s] = g
			}
		}
	}
	groups := make([]string, 0, len(cnt))
	for g := range cnt {
		groups = append(groups, g)
	}
	slices.Sort(groups)
	id := make(map[string]string, len(groups))
	taken := map[string]bool{}
	merged := map[string]string{} // story merged away this round → its survivor
	for _, g := range groups {
		var owned []string
		for s := range cnt[g] {
			if home[s] == g {
				owned = append(owned, s)
			}
		}
		if len(owned) == 0 {
			continue
		}
		slices.SortFunc(owned, func(x, y string) int { return cmp.Or(b.born[x].Compare(b.born[y]), strings.Compare(x, y)) })
		id[g] = owned[0]
		taken[owned[0]] = true
		for _, s := range owned[1:] {
			b.merges = append(b.merges, store.Merge{From: s, Into: owned[0]})
			merged[s] = owned[0]
			b.retired[s] = now
			if b.born[s].Before(b.born[owned[0]]) {
				b.born[owned[0]] = b.born[s]
			}
			delete(b.born, s)
			touched = append(touched, s, owned[0])
		}
	}
	for _, g := range groups {
		if _, ok := id[g]; ok {
			continue
		}
		used := func(s string) bool {
			_, live := b.born[s]
			_, gone := b.retired[s]
			return taken[s] || live || gone
		}
		s := g
		for n := 2; used(s); n++ {
			s = topics.StoryIDFor(g + "#" + strconv.Itoa(n))
		}
		id[g] = s
		taken[s] = true
		made = append(made, s)
	}
	for doc, s := range b.of {
		to := id[part[doc]]
		if to == s {
			continue
		}
		if merged[s] != to {
			b.moves[doc] = to
			touched = append(touched, s, to)
		}
		b.of[doc] = to
		if _, ok := b.born[to]; !ok {
			b.born[to] = now
		}
	}
	for _, doc := range newDocs {
		if g, ok := part[doc]; ok {
			b.of[doc] = id[g]
			if _, ok := b.born[id[g]]; !ok {
				b.born[id[g]] = now
			}
		}
	}
	live := make(map[string]bool, len(b.born))
	for _, s := range b.of {
		live[s] = true
	}
	for s := range b.born {
		if !live[s] {
			delete(b.born, s)
		}
	}
	for s, at := range b.retired {
		if now.Sub(at) > window {
			delete(b.retired, s)
		}
	}
	return touched, made
}

// storyOf returns the stored story of a doc, "" when it has none.
func (b *storyBook) storyOf(docID string) string { return b.of[docID] }

// take returns the pending merges and moves as story versions that carry
// only them (store.RegroupOf), and forgets them.
func (b *storyBook) take() []store.Story {
	if len(b.merges) == 0 && len(b.moves) == 0 {
		return nil
	}
	byID := map[string]*store.Story{}
	var order []string
	carrier := func(id string) *store.Story {
		s, ok := byID[id]
		if !ok {
			s = &store.Story{ID: id}
			byID[id] = s
			order = append(order, id)
		}
		return s
	}
	for _, m := range b.merges {
		c := carrier(m.Into)
		c.MergedFrom = append(c.MergedFrom, m.From)
	}
	docs := make([]string, 0, len(b.moves))
	for doc := range b.moves {
		docs = append(docs, doc)
	}
	slices.Sort(docs)
	for _, doc := range docs {
		ref, ok := itemRef(doc)
		if !ok {
			continue
		}
		c := carrier(b.moves[doc])
		c.Moved = append(c.Moved, ref)
	}
	b.merges, b.moves = nil, map[string]string{}
	out := make([]store.Story, 0, len(order))
	for _, id := range order {
		out = append(out, *byID[id])
	}
	return out
}

// giveBack returns carriers taken by a commit that failed to pending,
// except moves of docs that have been moved again since.
func (b *storyBook) giveBack(carriers []store.Story) {
	_, g := store.RegroupOf(carriers)
	b.merges = append(g.Merges, b.merges...)
	for _, mv := range g.Moves {
		doc := docID(mv.Item.FeedID, mv.Item.Key)
		if _, newer := b.moves[doc]; !newer && b.of[doc] == mv.Story {
			b.moves[doc] = mv.Story
		}
	}
}

// stored checks items as the store stored them against the book: an item
// whose story changed while it was on its way is moved.
func (b *storyBook) stored(items []store.Item) {
	for _, it := range items {
		doc := docID(it.FeedID, it.Key)
		if s := b.of[doc]; s != "" && s != it.StoryID {
			b.moves[doc] = s
		}
	}
}

// docID is the clusterer's id of a stored item.
func docID(feedID int64, key string) string { return fmt.Sprintf("%d:%s", feedID, key) }

// itemRef is the stored item of a clusterer doc id.
func itemRef(doc string) (store.ItemRef, bool) {
	feed, key, ok := strings.Cut(doc, ":")
	if !ok {
		return store.ItemRef{}, false
	}
	id, err := strconv.ParseInt(feed, 10, 64)
	if err != nil {
		return store.ItemRef{}, false
	}
	return store.ItemRef{FeedID: id, Key: key}, true
}
