package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"
	"unicode/utf8"

	"github.com/sitrep-bot/sitrep/store"
)

const itemColumns = `items.id, items.feed_id, items.feed_name, items.key, items.guid, items.url, items.title,
	items.text, items.summary, items.published, items.fetched, items.regions, items.topics, items.story_id,
	items.security, items.severity`

func scanItem(row scanner) (store.Item, error) {
	var it store.Item
	var pub, fetched int64
	var regions, topics string
	err := row.Scan(&it.ID, &it.FeedID, &it.FeedName, &it.Key, &it.GUID, &it.URL, &it.Title, &it.Text, &it.Summary,
		&pub, &fetched, &regions, &topics, &it.StoryID, &it.Security, &it.Severity)
	it.Published, it.Fetched = fromMicros(pub), fromMicros(fetched)
	it.Regions, it.Topics = fromJSON(regions), fromJSON(topics)
	return it, err
}

// KnownKeys returns which keys the feed already has.
func (db *DB) KnownKeys(ctx context.Context, feedID int64, keys []string) (map[string]bool, error) {
	known := make(map[string]bool)
	const chunk = 500
	for start := 0; start < len(keys); start += chunk {
		part := keys[start:min(start+chunk, len(keys))]
		rows, err := db.knownKeys(ctx, feedID, part)
		if err != nil {
			return nil, wrap("known keys", err)
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return nil, wrap("known keys", err)
			}
			known[k] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, wrap("known keys", err)
		}
	}
	return known, nil
}

// knownKeysSQL looks keys up as one JSON array argument, so one prepared
// statement serves any number of keys.
const knownKeysSQL = `SELECT key FROM items WHERE feed_id = ? AND key IN (SELECT value FROM json_each(?))`

func (db *DB) knownKeys(ctx context.Context, feedID int64, keys []string) (*sql.Rows, error) {
	for _, k := range keys {
		if !utf8.ValidString(k) {
			// JSON would replace invalid bytes: bind each key as it is.
			args := make([]any, 0, len(keys)+1)
			args = append(args, feedID)
			for _, k := range keys {
				args = append(args, k)
			}
			return db.db.QueryContext(ctx, `SELECT key FROM items WHERE feed_id = ? AND key IN (`+placeholders(len(keys))+`)`, args...)
		}
	}
	list, err := json.Marshal(keys)
	if err != nil {
		return nil, err
	}
	return db.query(ctx, knownKeysSQL, feedID, string(list))
}

// insertItemSQL adds one item unless the feed already has its key.
const insertItemSQL = `INSERT INTO items (feed_id, feed_name, key, guid, url, title, text, summary,
	published, fetched, regions, topics, story_id, security, severity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (feed_id, key) DO NOTHING`

// indexItemsSQL adds a range of new items to the full-text index.
const indexItemsSQL = `INSERT INTO items_fts (rowid, title, text) SELECT id, title, text FROM items WHERE id BETWEEN ? AND ?`

// txQueries are prepared at Open for reuse by every transaction.
var txQueries = []string{saveFeedStateSQL, claimFeedPollSQL, selectStoriesSQL, insertStorySQL, updateStorySQL, insertItemSQL, indexItemsSQL}

// InsertItems stores new items, upserts stories and enqueues the new items'
// deliveries in one transaction.
func (db *DB) InsertItems(ctx context.Context, items []store.Item, stories []store.Story) ([]store.Item, error) {
	db.wmu.Lock()
	defer db.wmu.Unlock()
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, wrap("insert items: begin", err)
	}
	defer tx.Rollback()
	items, rg, err := db.storeStories(ctx, tx, items, stories)
	if err != nil {
		return nil, err
	}
	fresh := make([]store.Item, 0, len(items))
	ins, err := db.txStmt(ctx, tx, insertItemSQL)
	if err != nil {
		return nil, wrap("insert item", err)
	}
	for _, it := range items {
		res, err := ins.ExecContext(ctx,
			it.FeedID, it.FeedName, it.Key, it.GUID, it.URL, it.Title, it.Text, it.Summary, toMicros(it.Published),
			toMicros(it.Fetched), toJSON(it.Regions), toJSON(it.Topics), it.StoryID, it.Security, it.Severity)
		if err != nil {
			return nil, wrap("insert item", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue // seen before: no deliveries
		}
		it.ID, err = res.LastInsertId()
		if err != nil {
			return nil, wrap("insert item", err)
		}
		if err := enqueueFor(ctx, tx, &it); err != nil {
			return nil, err
		}
		fresh = append(fresh, it)
	}
	if len(fresh) > 0 {
		// Writes are serialised (immediate transactions), so the new rows
		// are exactly the ids from the first to the last one inserted here.
		idx, err := db.txStmt(ctx, tx, indexItemsSQL)
		if err != nil {
			return nil, wrap("insert items: index", err)
		}
		if _, err := idx.ExecContext(ctx, fresh[0].ID, fresh[len(fresh)-1].ID); err != nil {
			return nil, wrap("insert items: index", err)
		}
	}
	if err := db.commitRound(ctx, tx, rg, "insert items"); err != nil {
		return nil, err
	}
	return fresh, nil
}

// upsertStorySQL merges a story version into the stored one by the rule of
// store.MergeStory, independent of the order versions arrive in (see
// store.ItemStore.InsertItems).
var upsertStorySQL = `INSERT INTO stories (id, title, summary, regions, topics, severity, first_seen, last_seen, security)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (id) DO UPDATE SET
		title = CASE WHEN stories.first_seen = 0 OR (excluded.first_seen <> 0 AND excluded.first_seen < stories.first_seen)
			THEN excluded.title ELSE stories.title END,
		summary = CASE WHEN stories.first_seen = 0 OR (excluded.first_seen <> 0 AND excluded.first_seen < stories.first_seen)
			THEN excluded.summary ELSE stories.summary END,
		regions = (SELECT json_group_array(value) FROM (SELECT value FROM json_each(stories.regions)
			UNION SELECT value FROM json_each(excluded.regions) ORDER BY value)),
		topics = (SELECT json_group_array(value) FROM (SELECT value FROM json_each(stories.topics)
			UNION SELECT value FROM json_each(excluded.topics) ORDER BY value)),
		severity = ` + store.SeverityOfRankSQL("MAX("+store.SeverityRankSQL("stories.severity")+", "+
	store.SeverityRankSQL("excluded.severity")+")") + `,
		security = MAX(stories.security, excluded.security),
		last_seen = MAX(stories.last_seen, excluded.last_seen),
		first_seen = CASE WHEN stories.first_seen = 0 THEN excluded.first_seen
			WHEN excluded.first_seen = 0 THEN stories.first_seen
			ELSE MIN(stories.first_seen, excluded.first_seen) END`

// Items lists items matching f.
func (db *DB) Items(ctx context.Context, f store.ItemFilter) ([]store.Item, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	var (
		q     string
		args  []any
		where = " WHERE 1=1"
	)
	if f.Query != "" {
		fq := ftsQuery(f.Query)
		if fq == "" {
			return nil, nil
		}
		q = `SELECT ` + itemColumns + ` FROM items_fts JOIN items ON items.id = items_fts.rowid`
		where += ` AND items_fts MATCH ?`
		args = append(args, fq)
	} else {
		q = `SELECT ` + itemColumns + ` FROM items`
	}
	if !f.Since.IsZero() {
		where += ` AND MAX(items.published, items.fetched) >= ?`
		args = append(args, toMicros(f.Since))
	}
	if f.StoryID != "" {
		where += ` AND items.story_id = ` + resolveStorySQL
		args = append(args, f.StoryID, f.StoryID)
	}
	if f.FeedID != 0 {
		where += ` AND items.feed_id = ?`
		args = append(args, f.FeedID)
	}
	order := ` ORDER BY MAX(items.published, items.fetched) DESC, items.id DESC`
	if f.Query != "" {
		order = ` ORDER BY bm25(items_fts, 2.0, 1.0), items.id DESC`
	}
	args = append(args, limit)
	return db.queryItems(ctx, "items", q+where+order+` LIMIT ?`, args...)
}

// recentItemsSQL lists items by MAX(published, fetched), which the
// items_seen index holds.
const recentItemsSQL = `SELECT ` + itemColumns + ` FROM items
	WHERE MAX(published, fetched) >= ? ORDER BY MAX(published, fetched), id`

// RecentItems returns items published or fetched since t, oldest first.
func (db *DB) RecentItems(ctx context.Context, since time.Time) ([]store.Item, error) {
	return db.queryItems(ctx, "recent items", recentItemsSQL, toMicros(since))
}

func (db *DB) queryItems(ctx context.Context, op, q string, args ...any) ([]store.Item, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, wrap(op, err)
	}
	defer rows.Close()
	var out []store.Item
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, wrap(op, err)
		}
		out = append(out, it)
	}
	return out, wrap(op, rows.Err())
}

const storyColumns = `s.id, s.title, s.summary, s.regions, s.topics, s.severity, s.first_seen, s.last_seen, s.security,
	(SELECT COUNT(*) FROM items WHERE items.story_id = s.id),
	(SELECT COALESCE(MIN(fetched), 0) FROM items WHERE items.story_id = s.id)`

func scanStory(row scanner) (store.Story, error) {
	var s store.Story
	var regions, topics string
	var first, last, arrived int64
	err := row.Scan(&s.ID, &s.Title, &s.Summary, &regions, &topics, &s.Severity, &first, &last, &s.Security, &s.Items, &arrived)
	s.Regions, s.Topics = fromJSON(regions), fromJSON(topics)
	s.FirstSeen, s.LastSeen, s.Arrived = fromMicros(first), fromMicros(last), fromMicros(arrived)
	return s, err
}

// Story returns one story.
func (db *DB) Story(ctx context.Context, id string) (store.Story, error) {
	s, err := scanStory(db.queryRow(ctx, `SELECT `+storyColumns+` FROM stories s WHERE s.id = `+resolveStorySQL, id, id))
	return s, wrap("story", err)
}

// Stories lists stories, newest first.
func (db *DB) Stories(ctx context.Context, f store.StoryFilter) ([]store.Story, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	q, args := `SELECT `+storyColumns+` FROM stories s WHERE s.last_seen >= ? AND s.merged_into = ''`, []any{toMicros(f.Since)}
	if !f.Arrived.IsZero() {
		// Stories with an item fetched since Arrived (through the
		// items_seen index: MAX(published, fetched) >= fetched), and none
		// fetched before it.
		at := toMicros(f.Arrived)
		q += ` AND s.id IN (SELECT story_id FROM items WHERE MAX(published, fetched) >= ? AND fetched >= ?)
			AND NOT EXISTS (SELECT 1 FROM items WHERE items.story_id = s.id AND items.fetched < ?)`
		args = append(args, at, at, at)
	}
	rows, err := db.db.QueryContext(ctx, q+` ORDER BY s.last_seen DESC, s.id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, wrap("stories", err)
	}
	defer rows.Close()
	var out []store.Story
	for rows.Next() {
		s, err := scanStory(rows)
		if err != nil {
			return nil, wrap("stories", err)
		}
		out = append(out, s)
	}
	return out, wrap("stories", rows.Err())
}
