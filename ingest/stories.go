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
//   - a group of new reports only gets the clusterer's id (derived from a
//     report never stored before); a piece split off stored stories gets a
//     new id derived from the clusterer's and from the stored story most of
//     it comes from, so every process (replica) names it alike, and never
//     the clusterer's own id, which may be a story merged away before (the
//     store would resolve it to the survivor);
//   - stored reports whose group's id changed are moved (store.Move).
//
// After each sync every group holds the reports of exactly one stored
// story, so a sync looks only at the groups whose members changed and at
// the other pieces of the stored stories they hold.
//
// Merges and moves wait in pending until a commit takes them to the store
// in the transaction of its items (carriers); a commit that fails gives
// them back. It is guarded by Pipeline.mu.
type storyBook struct {
	of      map[string]string    // doc id → stored story id
	grp     map[string]string    // doc id → its group (clusterer story id) at the last sync
	members map[string][]string  // group → its docs (a set, in no order)
	docsOf  map[string][]string  // stored story → its docs (a set, in no order)
	born    map[string]time.Time // stored story → when its first report was fetched
	retired map[string]time.Time // story ids merged away (never given again) → when
	merges  []store.Merge        // pending
	moves   map[string]string    // pending: doc id → story
}

func newStoryBook() *storyBook {
	return &storyBook{of: map[string]string{}, grp: map[string]string{}, members: map[string][]string{},
		docsOf: map[string][]string{}, born: map[string]time.Time{}, retired: map[string]time.Time{},
		moves: map[string]string{}}
}

// load records a report read back from the store with its story.
func (b *storyBook) load(docID, storyID string, fetched time.Time) {
	if _, ok := b.of[docID]; ok || storyID == "" {
		return
	}
	b.setStory(docID, storyID)
	if t, ok := b.born[storyID]; !ok || fetched.Before(t) {
		b.born[storyID] = fetched
	}
}

// size makes room in the book's empty maps for n reports.
func (b *storyBook) size(n int) {
	sized(&b.of, n)
	sized(&b.grp, n)
	sized(&b.members, n)
	sized(&b.docsOf, n)
	sized(&b.born, n)
}

// sized replaces the map *m, when it is empty, with one made for n keys.
func sized[V any](m *map[string]V, n int) {
	if len(*m) == 0 {
		*m = make(map[string]V, n)
	}
}

// setStory records doc's stored story.
func (b *storyBook) setStory(doc, s string) {
	if old, ok := b.of[doc]; ok {
		if old == s {
			return
		}
		removeFrom(b.docsOf, old, doc)
	}
	b.of[doc] = s
	addTo(b.docsOf, s, doc)
}

// setGroup records doc's group.
func (b *storyBook) setGroup(doc, g string) {
	if old, ok := b.grp[doc]; ok {
		removeFrom(b.members, old, doc)
	}
	b.grp[doc] = g
	addTo(b.members, g, doc)
}

// forget drops a doc the clusterer no longer holds.
func (b *storyBook) forget(doc string) {
	if g, ok := b.grp[doc]; ok {
		removeFrom(b.members, g, doc)
		delete(b.grp, doc)
	}
	if s, ok := b.of[doc]; ok {
		removeFrom(b.docsOf, s, doc)
		delete(b.of, doc)
		if len(b.docsOf[s]) == 0 {
			delete(b.born, s)
		}
	}
}

// addTo adds doc, which it does not hold, to the set m[k]. A story's or group's docs are a
// few, so a slice holds them with less work than a map.
func addTo(m map[string][]string, k, doc string) {
	m[k] = append(m[k], doc)
}

// removeFrom removes doc from the set m[k], and the set when it is left empty.
func removeFrom(m map[string][]string, k, doc string) {
	set := m[k]
	i := slices.Index(set, doc)
	switch {
	case i < 0:
	case len(set) == 1:
		delete(m, k)
	default:
		last := len(set) - 1
		set[i], set[last] = set[last], ""
		m[k] = set[:last]
	}
}

// sync compares the clusterer's partition (each calls its argument for
// every doc the clusterer holds, with the doc's group) with the stored
// one, gives the docs new to the book their stored stories, and records
// the merges and moves that make the stored partition equal the
// clusterer's. It returns the stories it merged or moved reports of
// (their cached versions are stale) and the new ids it made.
func (b *storyBook) sync(each func(func(doc, group string)), now time.Time, window time.Duration) (touched, made []string) {
	type regroup struct{ doc, group string }
	var changed []regroup // docs new to the book or in another group
	seen := 0
	each(func(doc, g string) {
		seen++
		if old, ok := b.grp[doc]; !ok || old != g {
			changed = append(changed, regroup{doc, g})
		}
	})
	if len(b.grp) == 0 {
		b.size(len(changed)) // the first round: as many reports as a first poll has at once
	}
	dirty := make(map[string]bool, len(changed)) // groups whose members changed
	for _, c := range changed {
		if old, ok := b.grp[c.doc]; ok {
			dirty[old] = true
		}
		dirty[c.group] = true
		b.setGroup(c.doc, c.group)
	}
	if seen < len(b.grp) || seen < len(b.of) {
		// The clusterer pruned docs: forget them. The groups they leave
		// still hold one stored story each.
		held := make(map[string]bool, seen)
		each(func(doc, _ string) { held[doc] = true })
		for doc := range b.grp {
			if !held[doc] {
				b.forget(doc)
			}
		}
		for doc := range b.of {
			if !held[doc] {
				b.forget(doc)
			}
		}
	}
	for s, at := range b.retired {
		if now.Sub(at) > window {
			delete(b.retired, s)
		}
	}
	if len(dirty) == 0 {
		return nil, nil
	}
	// The groups to settle: the changed ones and those holding other
	// pieces of the stored stories the changed ones hold.
	rel := make(map[string]bool, len(dirty))
	pieces := map[string]bool{} // stored stories whose groups are in rel
	for g := range dirty {
		if _, ok := b.members[g]; !ok {
			continue // left empty
		}
		rel[g] = true
		for _, doc := range b.members[g] {
			if s, ok := b.of[doc]; ok && !pieces[s] {
				pieces[s] = true
				for _, d := range b.docsOf[s] {
					if h, ok := b.grp[d]; ok {
						rel[h] = true
					}
				}
			}
		}
	}
	// cnt[g][s]: how many reports of stored story s group g holds (nil: none stored).
	cnt := make(map[string]map[string]int, len(rel))
	groups := make([]string, 0, len(rel))
	for g := range rel {
		groups = append(groups, g)
		var c map[string]int
		for _, doc := range b.members[g] {
			if s, ok := b.of[doc]; ok {
				if c == nil {
					c = map[string]int{}
				}
				c[s]++
			}
		}
		cnt[g] = c
	}
	slices.Sort(groups)
	home := make(map[string]string, len(pieces)) // stored story → the group that takes it
	for _, g := range groups {
		for s, n := range cnt[g] {
			if h, ok := home[s]; !ok || n > cnt[h][s] {
				home[s] = g
			}
		}
	}
	id := make(map[string]string, len(groups))
	taken := make(map[string]bool, len(groups))
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
			touched = append(touched, s, owned[0])
		}
	}
	used := func(s string) bool {
		_, live := b.born[s]
		_, gone := b.retired[s]
		return taken[s] || live || gone
	}
	for _, g := range groups {
		if _, ok := id[g]; ok {
			continue
		}
		// A piece split off stored stories may be named after a report
		// whose story was merged away before, in this process or another
		// (the store would resolve that id to the survivor): it gets an id
		// of its own, the same in every replica. New reports alone start a
		// story named by the clusterer, after a report never stored before.
		s, salt := g, ""
		if len(cnt[g]) > 0 {
			var from string // the stored story most of the piece comes from
			for x, n := range cnt[g] {
				if from == "" || n > cnt[g][from] || (n == cnt[g][from] && x < from) {
					from = x
				}
			}
			salt = "@" + from
			s = topics.StoryIDFor(g + salt)
		}
		for n := 2; used(s); n++ {
			s = topics.StoryIDFor(g + salt + "#" + strconv.Itoa(n))
		}
		id[g] = s
		taken[s] = true
		made = append(made, s)
		b.born[s] = now
	}
	for _, g := range groups {
		to := id[g]
		for _, doc := range b.members[g] {
			s, stored := b.of[doc]
			if stored && s == to {
				continue
			}
			if stored && merged[s] != to {
				b.moves[doc] = to
				touched = append(touched, s, to)
			}
			b.setStory(doc, to)
		}
	}
	for s := range merged {
		delete(b.born, s)
	}
	for _, s := range touched {
		if _, ok := b.docsOf[s]; !ok {
			delete(b.born, s)
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

// stored checks items as the store stored them (fresh) against those
// sent (items, with the story ids the book gave): an item the store put
// in another story than sent was sent to a story merged away meanwhile
// (by another replica), and the book learns the merge; an item whose
// story the book changed while it was on its way is moved.
func (b *storyBook) stored(items, fresh []store.Item, now time.Time) {
	sent := make(map[string]string, len(items))
	for _, it := range items {
		sent[docID(it.FeedID, it.Key)] = it.StoryID
	}
	for _, it := range fresh {
		doc := docID(it.FeedID, it.Key)
		if was := sent[doc]; was != "" && was != it.StoryID {
			b.merged(was, it.StoryID, now)
		}
		if s := b.of[doc]; s != "" && s != it.StoryID {
			b.moves[doc] = s
		}
	}
}

// merged records that the store merged story from into story into: the
// book's reports of from are into's.
func (b *storyBook) merged(from, into string, now time.Time) {
	for _, doc := range slices.Clone(b.docsOf[from]) { // setStory takes each out of the set
		b.setStory(doc, into)
	}
	if t, ok := b.born[from]; ok {
		if u, ok := b.born[into]; !ok || t.Before(u) {
			b.born[into] = t
		}
		delete(b.born, from)
	}
	b.retired[from] = now
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
