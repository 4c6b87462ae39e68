package ingest

import (
	"context"

	"github.com/sitrep-bot/sitrep/internal/groupcommit"
	"github.com/sitrep-bot/sitrep/store"
)

// inserter is the store call the batcher groups.
type inserter interface {
	InsertItems(ctx context.Context, items []store.Item, stories []store.Story) ([]store.Item, error)
}

// insertBatcher groups concurrent InsertItems calls from polls of
// different feeds into one transaction (group commit): while one insert
// runs, the calls that arrive queue up and go in together next. Story
// versions may repeat across calls; the store merges them in any order.
type insertBatcher struct {
	st inserter
	q  groupcommit.Queue[*insertReq]
}

type insertReq struct {
	ctx     context.Context
	items   []store.Item
	stories []store.Story
	fresh   []store.Item
	err     error
	done    chan struct{}
}

// maxBatchItems bounds one grouped transaction.
const maxBatchItems = 2000

// insert stores items and stories, possibly together with other callers'.
func (b *insertBatcher) insert(ctx context.Context, items []store.Item, stories []store.Story) ([]store.Item, error) {
	req := &insertReq{ctx: ctx, items: items, stories: stories, done: make(chan struct{})}
	if !b.q.Join(req, batchOfItems, b.flush) {
		<-req.done
	}
	return req.fresh, req.err
}

// batchOfItems is how many of the pending requests go in one grouped insert: as many as fit in
// maxBatchItems items, and at least one.
func batchOfItems(pending []*insertReq) int {
	n, items := 0, 0
	for n < len(pending) && (n == 0 || items+len(pending[n].items) <= maxBatchItems) {
		items += len(pending[n].items)
		n++
	}
	return n
}

// flush runs one grouped insert and hands each caller its own new items.
// The insert runs to completion even if a caller's context ends (its items
// are then stored and reported as such). If the grouped insert fails, each
// request is retried on its own so one bad batch fails only itself.
func (b *insertBatcher) flush(batch []*insertReq) {
	items, stories := batch[0].items, batch[0].stories
	if len(batch) > 1 {
		ni, ns := 0, 0
		for _, r := range batch {
			ni, ns = ni+len(r.items), ns+len(r.stories)
		}
		items, stories = make([]store.Item, 0, ni), make([]store.Story, 0, ns)
		for _, r := range batch {
			items = append(items, r.items...)
			stories = append(stories, r.stories...)
		}
	}
	ctx := context.WithoutCancel(batch[0].ctx)
	fresh, err := b.st.InsertItems(ctx, items, stories)
	if err != nil && len(batch) > 1 {
		for _, r := range batch {
			r.fresh, r.err = b.st.InsertItems(context.WithoutCancel(r.ctx), r.items, r.stories)
			close(r.done)
		}
		return
	}
	// Route new items back by feed and key: each caller polled one feed.
	byKey := indexByFeedKey(fresh)
	for _, r := range batch {
		if err != nil {
			r.err = err
		} else {
			for _, it := range r.items {
				if i, ok := byKey[feedKey{it.FeedID, it.Key}]; ok {
					if r.fresh == nil {
						r.fresh = make([]store.Item, 0, len(r.items))
					}
					r.fresh = append(r.fresh, fresh[i])
				}
			}
		}
		close(r.done)
	}
}

// feedKey names an item across feeds: its feed and its key there.
type feedKey struct {
	feed int64
	key  string
}

// indexByFeedKey returns the index of each item of fresh by its feed and key.
func indexByFeedKey(fresh []store.Item) map[feedKey]int {
	m := make(map[feedKey]int, len(fresh))
	for i, it := range fresh {
		m[feedKey{it.FeedID, it.Key}] = i
	}
	return m
}
