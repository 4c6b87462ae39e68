package ingest

import (
	"context"
	"errors"
	"log/slog"

	"github.com/sitrep-bot/sitrep/store"
	"github.com/sitrep-bot/sitrep/topics"
)

// A PollAll round with a store that can begin an insert before the stories are known
// (store.ItemStager): the round's items are written on one core while the clusterer assigns their
// stories on the other, and the round is stored in one transaction.

// stageRound assigns the stories of the polls' items (todo, in poll
// order) while, on the other cores, their summaries are made and the store
// begins their insert. It returns the staged insert, or nil when none
// was begun (the stories are assigned all the same, and every summary
// made that could be).
func (p *Pipeline) stageRound(ctx context.Context, stager store.ItemStager, polls []*pollState, todo []*pending) store.StagedInsert {
	// The items are summarized and staged as they are while the clusterer
	// works out their stories, which reads only their docs and tags; the
	// stories are set once both are done.
	var staged store.StagedInsert
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.summarizePending(ctx, todo, summaryWorkers())
		items := make([]store.Item, len(todo))
		for i, b := range todo {
			if !b.summarized {
				return // cancelled: the insert is left to each poll's commit
			}
			items[i] = b.item
			// A new report often starts a story of its own (two in
			// three in bench poll's first poll): guess that, and the
			// store sets only the other items' stories once known.
			items[i].StoryID = topics.StoryIDFor(b.doc.ID)
		}
		s, err := stager.StageItems(ctx, items)
		if err != nil {
			if !errors.Is(err, errors.ErrUnsupported) {
				p.log.Warn("begin the round's insert; storing each feed's items on its own", slog.Any("error", err))
			}
			return
		}
		staged = s
	}()
	as := p.clusterStories(todo, p.opt.Now())
	<-done
	setStories(todo, as)
	return staged
}

// finishStaged merges the polls' items into their stories and ends the
// staged insert of the round with them and each feed's state. If a merge
// or the staged insert fails, the insert is given up and each poll stores
// its items and its feed's state on its own, so one bad poll fails only
// itself.
func (p *Pipeline) finishStaged(ctx context.Context, polls []*pollState, staged store.StagedInsert) []PollResult {
	type merged struct {
		out     []store.Item
		stories []store.Story
		err     error
	}
	// The store writes the items' stories, and the feeds' states they
	// will have once the round is stored, while the versions are merged.
	todo := pendingOf(polls)
	ids := make([]string, len(todo))
	for i, b := range todo {
		ids[i] = b.item.StoryID
	}
	states := make([]store.Feed, len(polls))
	saving := make([]store.Feed, 0, len(polls))
	for i, ps := range polls {
		if !ps.done {
			states[i] = p.polled(ps)
			saving = append(saving, states[i])
		}
	}
	type written struct{ stories, states error }
	writes := make(chan written, 1)
	go func() {
		var w written
		if w.stories = staged.SetStories(ctx, ids); w.stories == nil {
			w.states = staged.SaveFeedStates(ctx, saving)
		}
		writes <- w
	}()
	ms := make([]merged, len(polls))
	items, stories := make([]store.Item, 0, len(todo)), make([]store.Story, 0, len(todo))
	whole := true
	for i, ps := range polls {
		if ps.done {
			continue
		}
		m := &ms[i]
		m.out, m.stories, m.err = p.merge(ps)
		if m.err != nil {
			whole = false
			continue
		}
		items = append(items, m.out...)
		stories = append(stories, m.stories...)
	}
	var fresh []store.Item
	err := errors.New("round not stored whole")
	w := <-writes // the store is done with the insert for now
	if w.stories != nil {
		p.log.Warn("store the round's stories; storing each feed's items on its own", slog.Any("error", w.stories))
		whole = false
	}
	if w.states != nil && !errors.Is(w.states, store.ErrNotFound) {
		p.log.Warn("store the round's feed states; saving each after the commit", slog.Any("error", w.states))
	}
	// Unless the insert stores them, the feeds' states are saved after it.
	saved := whole && w.states == nil
	if whole {
		fresh, err = staged.Commit(ctx, items, stories)
		if err != nil {
			p.log.Warn("store the round's items; storing each feed's items on its own", slog.Any("error", err))
		}
	} else {
		staged.Abort()
	}
	saved = saved && err == nil
	isNew := indexByFeedKey(fresh)
	out := make([]PollResult, len(polls))
	eachIndex(len(polls), max(len(polls), 1), func(i int) {
		ps, m := polls[i], ms[i]
		switch {
		case ps.done:
			out[i] = ps.result
		case m.err != nil:
			out[i] = p.finishStored(ps, nil, m.err)
		case len(m.out) == 0 && saved:
			out[i] = p.finishSaved(ps, states[i], nil)
		case len(m.out) == 0:
			out[i] = p.finishStored(ps, nil, nil)
		case err != nil:
			f, ierr := p.batch.insert(ps.ctx, m.out, m.stories)
			f, ierr = p.stored(ps, m.out, m.stories, f, ierr)
			out[i] = p.finishStored(ps, f, ierr)
		default:
			var f []store.Item // the new ones, sized at the first
			for _, it := range m.out {
				if j, ok := isNew[feedKey{it.FeedID, it.Key}]; ok {
					if f == nil {
						f = make([]store.Item, 0, len(m.out))
					}
					f = append(f, fresh[j])
				}
			}
			f, ierr := p.stored(ps, m.out, m.stories, f, nil)
			if saved && ierr == nil {
				out[i] = p.finishSaved(ps, states[i], f)
			} else {
				out[i] = p.finishStored(ps, f, ierr)
			}
		}
	})
	return out
}
