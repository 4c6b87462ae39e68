package postgres

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/sitrep-bot/sitrep/store"
)

// rootLockClass is the first key of the pg_advisory_xact_lock(int, int) locks
// that serialise deciding whether a (platform, channel, story) already has a
// root post.
const rootLockClass = 0x73697472 // "sitr"

// itemCols lists the columns scanItem reads, in order; i is items, f is feeds.
const itemCols = `i.id, i.feed_id, f.name, i.key, i.guid, i.url, i.title, i.text, i.summary,
	i.published, i.fetched, i.regions, i.topics, i.story_id, i.security, i.severity`

// scanItem reads one row of itemCols.
func scanItem(row pgx.Row) (store.Item, error) {
	var it store.Item
	var pub, fetched pgtype.Timestamptz
	err := row.Scan(&it.ID, &it.FeedID, &it.FeedName, &it.Key, &it.GUID, &it.URL, &it.Title, &it.Text, &it.Summary,
		&pub, &fetched, &it.Regions, &it.Topics, &it.StoryID, &it.Security, &it.Severity)
	if err != nil {
		return store.Item{}, err
	}
	it.Published, it.Fetched = tsVal(pub), tsVal(fetched)
	return it, nil
}

// collectItems reads every row of itemCols.
func collectItems(rows pgx.Rows) ([]store.Item, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Item, error) { return scanItem(r) })
}

// KnownKeys returns the subset of keys ever stored for the feed.
func (db *DB) KnownKeys(ctx context.Context, feedID int64, keys []string) (map[string]bool, error) {
	known := make(map[string]bool)
	if len(keys) == 0 {
		return known, nil
	}
	byStored := make(map[string][]string, len(keys))
	stored := make([]string, 0, len(keys))
	for _, k := range keys {
		byStored[clean(k)] = append(byStored[clean(k)], k)
		stored = append(stored, clean(k))
	}
	rows, err := db.pool.Query(ctx, `SELECT key FROM item_keys WHERE feed_id = $1 AND key = ANY($2)`, feedID, stored)
	if err != nil {
		return nil, fmt.Errorf("postgres: known keys: %w", err)
	}
	found, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("postgres: known keys: %w", err)
	}
	for _, k := range found {
		for _, orig := range byStored[k] {
			known[orig] = true
		}
	}
	return known, nil
}

// InsertItems stores the items whose Key is new for their feed, upserts the
// stories, and enqueues each new item's deliveries, in one transaction. A
// post for a (platform, channel, story) that already has a live post
// (pending or sent) or a recorded root becomes an update of that item.
// Stories keep their earliest FirstSeen and latest LastSeen; their other
// fields are replaced.
func (db *DB) InsertItems(ctx context.Context, items []store.Item, stories []store.Story) ([]store.Item, error) {
	var out []store.Item
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		out = nil
		items, stories, rg, err := regroup(ctx, tx, items, stories)
		if err != nil {
			return err
		}
		if err := upsertStories(ctx, tx, stories); err != nil {
			return err
		}
		isNew, err := claimKeys(ctx, tx, items)
		if err != nil {
			return err
		}
		// Deliveries of new items, with the item's story where they name none.
		dels := make([][]store.Delivery, len(items))
		var all []store.Delivery
		for i, it := range items {
			if !isNew[i] {
				continue
			}
			for _, d := range it.Deliveries {
				if d.StoryID == "" && (d.Kind == store.KindPost || d.Kind == store.KindUpdate) {
					d.StoryID = it.StoryID
				}
				dels[i] = append(dels[i], d)
			}
			all = append(all, dels[i]...)
		}
		if err := lockRoots(ctx, tx, all); err != nil {
			return err
		}
		for i, it := range items {
			if !isNew[i] {
				continue
			}
			err := tx.QueryRow(ctx, `
				INSERT INTO items (feed_id, key, guid, url, title, text, summary, published, fetched, regions, topics, story_id, security, severity)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
				it.FeedID, clean(it.Key), clean(it.GUID), clean(it.URL), clean(it.Title), clean(it.Text), clean(it.Summary),
				tsArg(it.Published), tsArg(it.Fetched), arr(it.Regions), arr(it.Topics), clean(it.StoryID), it.Security, clean(string(it.Severity))).Scan(&it.ID)
			if err != nil {
				return fmt.Errorf("item %q: %w", it.Key, err)
			}
			for _, d := range dels[i] {
				d.ItemID = it.ID
				if err := enqueue(ctx, tx, d); err != nil {
					return err
				}
			}
			out = append(out, it)
		}
		return finish(ctx, tx, rg)
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: insert items: %w", mapErr(err))
	}
	return out, nil
}

// mergedSeveritySQL is the higher of the stored and the new severity.
var mergedSeveritySQL = store.SeverityOfRankSQL("GREATEST(" + store.SeverityRankSQL("stories.severity") + ", " +
	store.SeverityRankSQL("EXCLUDED.severity") + ")")

// upsertStories inserts or updates stories by the rule of store.MergeStory,
// in ID order so concurrent transactions lock rows in the same order
// (versions of one story keep their order).
func upsertStories(ctx context.Context, tx pgx.Tx, stories []store.Story) error {
	sorted := slices.Clone(stories)
	slices.SortStableFunc(sorted, func(a, b store.Story) int { return cmp.Compare(a.ID, b.ID) })
	for _, s := range sorted {
		_, err := tx.Exec(ctx, `
			INSERT INTO stories (id, title, summary, regions, topics, severity, first_seen, last_seen, security)
			VALUES ($1, $2, $3, $4, $5, $6, coalesce($7::timestamptz, now()), coalesce($8::timestamptz, $7::timestamptz, now()), $9)
			ON CONFLICT (id) DO UPDATE SET
				title = CASE WHEN EXCLUDED.first_seen < stories.first_seen THEN EXCLUDED.title ELSE stories.title END,
				summary = CASE WHEN EXCLUDED.first_seen < stories.first_seen THEN EXCLUDED.summary ELSE stories.summary END,
				regions = ARRAY(SELECT DISTINCT r COLLATE "C" FROM unnest(stories.regions || EXCLUDED.regions) AS r ORDER BY 1),
				topics = ARRAY(SELECT DISTINCT r COLLATE "C" FROM unnest(stories.topics || EXCLUDED.topics) AS r ORDER BY 1),
				severity = `+mergedSeveritySQL+`,
				security = stories.security OR EXCLUDED.security,
				first_seen = LEAST(stories.first_seen, EXCLUDED.first_seen),
				last_seen = GREATEST(stories.last_seen, EXCLUDED.last_seen)`,
			clean(s.ID), clean(s.Title), clean(s.Summary), arr(s.Regions), arr(s.Topics), clean(string(s.Severity)), tsArg(s.FirstSeen), tsArg(s.LastSeen), s.Security)
		if err != nil {
			return fmt.Errorf("story %q: %w", s.ID, err)
		}
	}
	return nil
}

// claimKeys records the keys of items in item_keys and reports, per item,
// whether its key was new. Keys are inserted in (feed, key) order so that
// concurrent transactions wait on each other instead of deadlocking; a
// concurrent insert of the same key waits for the other transaction and then
// finds the key taken.
func claimKeys(ctx context.Context, tx pgx.Tx, items []store.Item) ([]bool, error) {
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	// Stable: of a key repeated in items, the first occurrence is claimed.
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(items[a].FeedID, items[b].FeedID), strings.Compare(items[a].Key, items[b].Key))
	})
	isNew := make([]bool, len(items))
	for _, i := range order {
		tag, err := tx.Exec(ctx, `INSERT INTO item_keys (feed_id, key) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
			items[i].FeedID, clean(items[i].Key))
		if err != nil {
			return nil, fmt.Errorf("item key %q: %w", items[i].Key, err)
		}
		isNew[i] = tag.RowsAffected() == 1
	}
	return isNew, nil
}

// lockRoots takes a transaction-scoped advisory lock for every (platform,
// channel, story) that one of ds posts to, so two transactions cannot both
// decide that they hold a story's first post in a channel.
func lockRoots(ctx context.Context, tx pgx.Tx, ds []store.Delivery) error {
	var keys []string
	for _, d := range ds {
		if d.Kind == store.KindPost && d.StoryID != "" {
			// A collision of two keys only serialises a little more.
			keys = append(keys, clean(d.Platform+"\n"+d.Channel+"\n"+d.StoryID))
		}
	}
	if len(keys) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `
		SELECT pg_advisory_xact_lock($1, h)
		FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest($2::text[]) AS k ORDER BY h) AS l`,
		int32(rootLockClass), keys)
	if err != nil {
		return fmt.Errorf("lock roots: %w", err)
	}
	return nil
}

// hasRoot reports whether a story already has, in one channel, a post that is
// pending or sent, or a root recorded by MarkSent (e.g. from a roll-up).
func hasRoot(ctx context.Context, tx pgx.Tx, platform, channel, storyID string) (bool, error) {
	var ok bool
	err := tx.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM deliveries
		               WHERE platform = $1 AND channel = $2 AND story_id = $3
		                 AND kind = 'post' AND status IN ('pending', 'sent'))
		    OR EXISTS (SELECT 1 FROM roots WHERE platform = $1 AND channel = $2 AND story_id = $3)`,
		platform, channel, storyID).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("root of %s/%s/%s: %w", platform, channel, storyID, err)
	}
	return ok, nil
}

// Items lists items matching f, newest first; with a Query, best match first.
// An item's time is the later of Published and Fetched, so an old report
// fetched today counts as today's news for Since and ordering.
// The query is parsed like a web search (words, "phrases", OR, -word) and
// never fails on user input.
func (db *DB) Items(ctx context.Context, f store.ItemFilter) ([]store.Item, error) {
	var (
		where []string
		args  []any
	)
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	from := `items i JOIN feeds f ON f.id = i.feed_id`
	order := `greatest(i.published, i.fetched) DESC, i.id DESC`
	if q := strings.TrimSpace(f.Query); q != "" {
		from += `, websearch_to_tsquery('english', sitrep_fold(` + arg(q) + `)) AS q`
		where = append(where, `i.search @@ q`)
		order = `ts_rank(i.search, q) DESC, ` + order
	}
	if f.StoryID != "" {
		where = append(where, `i.story_id = `+resolveStorySQL(arg(f.StoryID)))
	}
	if f.FeedID != 0 {
		where = append(where, `i.feed_id = `+arg(f.FeedID))
	}
	if !f.Since.IsZero() {
		where = append(where, `greatest(i.published, i.fetched) >= `+arg(f.Since.UTC()))
	}
	sql := `SELECT ` + itemCols + ` FROM ` + from
	if len(where) > 0 {
		sql += ` WHERE ` + strings.Join(where, ` AND `)
	}
	sql += ` ORDER BY ` + order + ` LIMIT ` + arg(limitOr(f.Limit, 50))
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: items: %w", err)
	}
	items, err := collectItems(rows)
	if err != nil {
		return nil, fmt.Errorf("postgres: items: %w", err)
	}
	return items, nil
}

// RecentItems returns items published or fetched since t, oldest first.
func (db *DB) RecentItems(ctx context.Context, since time.Time) ([]store.Item, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT `+itemCols+` FROM items i JOIN feeds f ON f.id = i.feed_id
		WHERE greatest(i.published, i.fetched) >= $1
		ORDER BY greatest(i.published, i.fetched), i.id`, since.UTC())
	if err != nil {
		return nil, fmt.Errorf("postgres: recent items: %w", err)
	}
	items, err := collectItems(rows)
	if err != nil {
		return nil, fmt.Errorf("postgres: recent items: %w", err)
	}
	return items, nil
}
