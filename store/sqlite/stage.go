package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/sitrep-bot/sitrep/store"
)

// setStorySQL gives a staged item its story.
const setStorySQL = `UPDATE items SET story_id = ? WHERE id = ?`

func init() { txQueries = append(txQueries, setStorySQL) }

// StageItems begins the insert of items before their stories are known
// (store.ItemStager): in one transaction it stores the items whose key is
// new for their feed, with the story guessed for them (StoryID, "" for
// none), and indexes them for search.
// Commit then gives them their stories, merges the story versions,
// enqueues the deliveries and commits; what a poll reads meanwhile does
// not see them. The transaction holds this process's write turn (wmu)
// and SQLite's write lock until Commit or Abort.
func (db *DB) StageItems(ctx context.Context, items []store.Item) (store.StagedInsert, error) {
	if db.single {
		// The one connection would be held while the caller reads.
		return nil, fmt.Errorf("sqlite: stage items: one connection: %w", errors.ErrUnsupported)
	}
	// Like InsertItems, the insert runs to its end (Commit or Abort) even
	// if the caller's context ends meanwhile.
	ctx = context.WithoutCancel(ctx)
	db.wmu.Lock()
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		db.wmu.Unlock()
		return nil, wrap("stage items: begin", err)
	}
	s := &staged{db: db, tx: tx, items: make([]stagedItem, len(items))}
	if err := s.insert(ctx, items); err != nil {
		s.Abort()
		return nil, err
	}
	return s, nil
}

// staged is an insert begun by StageItems.
type staged struct {
	db    *DB
	tx    *sql.Tx
	items []stagedItem // in the order staged
	ended bool
}

// stagedItem is what a staged item is known by, and its id when it was new.
type stagedItem struct {
	feedID int64
	key    string
	id     int64  // 0: the feed had the key already (or items repeated it)
	story  string // as stored (SetStories)
}

// insert stores the new items with their guessed stories and indexes them.
func (s *staged) insert(ctx context.Context, items []store.Item) error {
	ins, err := s.db.txStmt(ctx, s.tx, insertItemSQL)
	if err != nil {
		return wrap("stage items", err)
	}
	var first, last int64
	for i, it := range items {
		s.items[i] = stagedItem{feedID: it.FeedID, key: it.Key, story: it.StoryID}
		res, err := ins.ExecContext(ctx,
			it.FeedID, it.FeedName, it.Key, it.GUID, it.URL, it.Title, it.Text, it.Summary, toMicros(it.Published),
			toMicros(it.Fetched), toJSON(it.Regions), toJSON(it.Topics), it.StoryID, it.Security, it.Severity)
		if err != nil {
			return wrap("stage items", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue // seen before
		}
		if s.items[i].id, err = res.LastInsertId(); err != nil {
			return wrap("stage items", err)
		}
		if first == 0 {
			first = s.items[i].id
		}
		last = s.items[i].id
	}
	if first == 0 {
		return nil
	}
	// The write lock is held, so the new rows are exactly the ids from the
	// first to the last one inserted here.
	idx, err := s.db.txStmt(ctx, s.tx, indexItemsSQL)
	if err != nil {
		return wrap("stage items: index", err)
	}
	if _, err := idx.ExecContext(ctx, first, last); err != nil {
		return wrap("stage items: index", err)
	}
	return nil
}

// Commit stores the staged items with their stories, as InsertItems would
// have: the merges and moves the story versions carry, the versions, the
// new items' stories and deliveries, then the recomputed stories.
func (s *staged) Commit(ctx context.Context, items []store.Item, stories []store.Story) ([]store.Item, error) {
	if s.ended {
		return nil, errors.New("sqlite: commit staged items: the insert has ended")
	}
	defer s.Abort()
	ctx = context.WithoutCancel(ctx)
	if len(items) != len(s.items) {
		return nil, fmt.Errorf("sqlite: commit staged items: %d items given, %d staged", len(items), len(s.items))
	}
	for i, it := range items {
		if st := s.items[i]; it.FeedID != st.feedID || it.Key != st.key {
			return nil, fmt.Errorf("sqlite: commit staged items: item %d is feed %d key %q, staged feed %d key %q",
				i, it.FeedID, it.Key, st.feedID, st.key)
		}
	}
	db, tx := s.db, s.tx
	items, rg, err := db.storeStories(ctx, tx, items, stories)
	if err != nil {
		return nil, err
	}
	var set *sql.Stmt
	fresh := make([]store.Item, 0, len(items))
	for i, it := range items {
		if s.items[i].id == 0 {
			continue // seen before: no deliveries
		}
		it.ID = s.items[i].id
		if it.StoryID != s.items[i].story {
			if set == nil {
				if set, err = db.txStmt(ctx, tx, setStorySQL); err != nil {
					return nil, wrap("commit staged items", err)
				}
			}
			if _, err := set.ExecContext(ctx, it.StoryID, it.ID); err != nil {
				return nil, wrap("commit staged items", err)
			}
		}
		if err := enqueueFor(ctx, tx, &it); err != nil {
			return nil, err
		}
		fresh = append(fresh, it)
	}
	if err := db.commitRound(ctx, tx, rg, "commit staged items"); err != nil {
		return nil, err
	}
	return fresh, nil
}

// SetStories stores the story of each staged item that was new.
func (s *staged) SetStories(ctx context.Context, storyIDs []string) error {
	if s.ended {
		return errors.New("sqlite: set staged items' stories: the insert has ended")
	}
	if len(storyIDs) != len(s.items) {
		return fmt.Errorf("sqlite: set staged items' stories: %d stories for %d items", len(storyIDs), len(s.items))
	}
	ctx = context.WithoutCancel(ctx)
	set, err := s.db.txStmt(ctx, s.tx, setStorySQL)
	if err != nil {
		return wrap("set staged items' stories", err)
	}
	for i, id := range storyIDs {
		it := &s.items[i]
		if it.id == 0 || id == it.story {
			continue
		}
		if _, err := set.ExecContext(ctx, id, it.id); err != nil {
			return wrap("set staged items' stories", err)
		}
		it.story = id
	}
	return nil
}

// SaveFeedStates stores the feeds' states in the staged insert's
// transaction (store.StagedInsert.SaveFeedStates), with the statement of
// SaveFeedState. On an error the updates made are undone.
func (s *staged) SaveFeedStates(ctx context.Context, feeds []store.Feed) error {
	if s.ended {
		return errors.New("sqlite: save feed states: the staged insert has ended")
	}
	ctx = context.WithoutCancel(ctx)
	if _, err := s.tx.ExecContext(ctx, `SAVEPOINT feed_states`); err != nil {
		return wrap("save feed states", err)
	}
	err := s.saveFeedStates(ctx, feeds)
	if err != nil {
		if _, rerr := s.tx.ExecContext(ctx, `ROLLBACK TO feed_states`); rerr != nil {
			return errors.Join(err, wrap("save feed states: roll back", rerr))
		}
	}
	if _, rerr := s.tx.ExecContext(ctx, `RELEASE feed_states`); rerr != nil {
		return errors.Join(err, wrap("save feed states: release", rerr))
	}
	return err
}

func (s *staged) saveFeedStates(ctx context.Context, feeds []store.Feed) error {
	up, err := s.db.txStmt(ctx, s.tx, saveFeedStateSQL)
	if err != nil {
		return wrap("save feed states", err)
	}
	for _, f := range feeds {
		res, err := up.ExecContext(ctx, saveFeedStateArgs(f)...)
		if err != nil {
			return wrap("save feed states", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return wrap("save feed states", err)
		} else if n == 0 {
			return fmt.Errorf("sqlite: save feed states: feed %d: %w", f.ID, store.ErrNotFound)
		}
	}
	return nil
}

// Abort rolls the staged insert back, unless it has ended.
func (s *staged) Abort() {
	if s.ended {
		return
	}
	s.ended = true
	s.tx.Rollback()
	s.db.wmu.Unlock()
}
