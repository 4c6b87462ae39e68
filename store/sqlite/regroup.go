package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"

	"github.com/sitrep-bot/sitrep/store"
)

const (
	// anyMergedSQL tells whether any story was merged away (through the
	// partial index stories_merged_into): until one is, no id needs resolving.
	anyMergedSQL = `SELECT EXISTS (SELECT 1 FROM stories WHERE merged_into <> '')`
	// aliasesSQL lists which of a JSON array of story ids were merged away, and into what.
	aliasesSQL = `SELECT id, merged_into FROM stories WHERE merged_into <> '' AND id IN (SELECT value FROM json_each(?))`
)

// Every InsertItems runs the queries of resolveIDs: prepare them at Open.
func init() { txQueries = append(txQueries, anyMergedSQL, aliasesSQL) }

// resolveStorySQL is the story an id stands for: the one it was merged
// into, else itself (also when no such story is stored).
const resolveStorySQL = `COALESCE((SELECT NULLIF(merged_into, '') FROM stories WHERE id = ?), ?)`

// regroup applies, inside tx, the merges the story versions carry
// (store.RegroupOf) and points the items, the versions and the items'
// deliveries at the stories their ids stand for. It returns the items and
// content versions to store and what finish does once they are stored.
func (db *DB) regroup(ctx context.Context, tx *sql.Tx, items []store.Item, stories []store.Story) ([]store.Item, []store.Story, *regrouping, error) {
	content, g := store.RegroupOf(stories)
	touched, err := store.ApplyMerges(ctx, g.Merges,
		func(ctx context.Context, id string) (string, error) { return resolveStory(ctx, tx, id) },
		func(ctx context.Context, from, into string) error { return mergeStory(ctx, tx, from, into) })
	if err != nil {
		return nil, nil, nil, err
	}
	items, content, err = db.resolveIDs(ctx, tx, items, content)
	return items, content, &regrouping{touched: touched, moves: g.Moves}, err
}

// regrouping is what regroup leaves for after the items are stored: the
// moves (which may name items stored in the same transaction) and the
// stories to recompute.
type regrouping struct {
	touched []string
	moves   []store.Move
}

// storeStories begins storing a round in tx: it applies the regroups the story versions carry
// (see regroup) and upserts the versions. It returns the items as regroup leaves them.
func (db *DB) storeStories(ctx context.Context, tx *sql.Tx, items []store.Item, stories []store.Story) ([]store.Item, *regrouping, error) {
	items, stories, rg, err := db.regroup(ctx, tx, items, stories)
	if err != nil {
		return nil, nil, err
	}
	if len(stories) > 0 {
		if err := db.upsertStories(ctx, tx, stories); err != nil {
			return nil, nil, err
		}
	}
	return items, rg, nil
}

// commitRound ends a transaction that stored items: it applies the regrouping r, commits (what
// names the operation in errors) and lets the checkpointer know the WAL grew.
func (db *DB) commitRound(ctx context.Context, tx *sql.Tx, r *regrouping, what string) error {
	if err := db.finish(ctx, tx, r); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return wrap(what+": commit", err)
	}
	db.wakeCheckpointer()
	return nil
}

// finish applies the moves and recomputes the stories whose items changed.
func (db *DB) finish(ctx context.Context, tx *sql.Tx, r *regrouping) error {
	touched := r.touched
	touch := func(id string) {
		if id != "" && !slices.Contains(touched, id) {
			touched = append(touched, id)
		}
	}
	for _, mv := range r.moves {
		to, err := resolveStory(ctx, tx, mv.Story)
		if err != nil {
			return err
		}
		var old string
		err = tx.QueryRowContext(ctx, `SELECT story_id FROM items WHERE feed_id = ? AND key = ?`, mv.Item.FeedID, mv.Item.Key).Scan(&old)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && old == to) {
			continue
		}
		if err != nil {
			return wrap("regroup: move", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE items SET story_id = ? WHERE feed_id = ? AND key = ?`, to, mv.Item.FeedID, mv.Item.Key); err != nil {
			return wrap("regroup: move", err)
		}
		touch(old)
		touch(to)
	}
	return db.restory(ctx, tx, touched)
}

// resolveStory returns the story id stands for.
func resolveStory(ctx context.Context, tx *sql.Tx, id string) (string, error) {
	var got string
	if err := tx.QueryRowContext(ctx, `SELECT `+resolveStorySQL, id, id).Scan(&got); err != nil {
		return "", wrap("regroup: resolve", err)
	}
	return got, nil
}

// mergeStory merges story from into story into by the rules of store.Regroup.
func mergeStory(ctx context.Context, tx *sql.Tx, from, into string) error {
	for _, q := range []string{
		// from, and the stories merged into it before, now stand for into.
		`INSERT INTO stories (id, merged_into) VALUES (?1, ?2) ON CONFLICT (id) DO UPDATE SET merged_into = excluded.merged_into`,
		`UPDATE stories SET merged_into = ?2 WHERE merged_into = ?1`,
		`UPDATE items SET story_id = ?2 WHERE story_id = ?1`,
		// Channels that have from's thread keep it for the merged story.
		`INSERT INTO story_roots (platform, channel, story_id, ref)
			SELECT platform, channel, ?2, ref FROM story_roots WHERE story_id = ?1 ON CONFLICT DO NOTHING`,
		// A pending post of from where the channel has into's root or live
		// post: an update of its item, or dropped when it reports none.
		`UPDATE deliveries SET story_id = ?2,
				kind = CASE WHEN item_id <> 0 THEN 'update' ELSE kind END,
				status = CASE WHEN item_id <> 0 THEN status ELSE 'dropped' END,
				last_error = CASE WHEN item_id <> 0 THEN last_error ELSE 'story merged into one already posted' END
			WHERE story_id = ?1 AND kind = 'post' AND status = 'pending' AND (
				EXISTS (SELECT 1 FROM story_roots r WHERE r.platform = deliveries.platform AND r.channel = deliveries.channel AND r.story_id = ?2)
				OR EXISTS (SELECT 1 FROM deliveries d WHERE d.platform = deliveries.platform AND d.channel = deliveries.channel
					AND d.story_id = ?2 AND d.kind = 'post' AND d.status IN ('pending', 'sent')))`,
		`UPDATE deliveries SET story_id = ?2 WHERE story_id = ?1 AND kind IN ('post', 'update') AND status = 'pending'`,
	} {
		if _, err := tx.ExecContext(ctx, q, from, into); err != nil {
			return wrap("regroup: merge", err)
		}
	}
	return nil
}

// resolveIDs points the items, their deliveries and the story versions at
// the stories their ids stand for; the slices are copied when one changes.
func (db *DB) resolveIDs(ctx context.Context, tx *sql.Tx, items []store.Item, stories []store.Story) ([]store.Item, []store.Story, error) {
	anyStmt, err := db.txStmt(ctx, tx, anyMergedSQL)
	if err != nil {
		return nil, nil, wrap("regroup: resolve", err)
	}
	var merged bool
	if err := anyStmt.QueryRowContext(ctx).Scan(&merged); err != nil {
		return nil, nil, wrap("regroup: resolve", err)
	}
	if !merged {
		return items, stories, nil
	}
	ids := store.StoryIDsOf(items, stories)
	if len(ids) == 0 {
		return items, stories, nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, nil, wrap("regroup: resolve", err)
	}
	sel, err := db.txStmt(ctx, tx, aliasesSQL)
	if err != nil {
		return nil, nil, wrap("regroup: resolve", err)
	}
	rows, err := sel.QueryContext(ctx, string(list))
	if err != nil {
		return nil, nil, wrap("regroup: resolve", err)
	}
	alias := map[string]string{}
	for rows.Next() {
		var id, into string
		if err := rows.Scan(&id, &into); err != nil {
			rows.Close()
			return nil, nil, wrap("regroup: resolve", err)
		}
		alias[id] = into
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, wrap("regroup: resolve", err)
	}
	if len(alias) == 0 {
		return items, stories, nil
	}
	items, stories = store.ResolveStories(items, stories, alias)
	return items, stories, nil
}

// restory recomputes the stories whose items changed from their items
// (store.StoryOfItems).
func (db *DB) restory(ctx context.Context, tx *sql.Tx, ids []string) error {
	for _, id := range ids {
		rows, err := tx.QueryContext(ctx, `SELECT id, title, summary, regions, topics, severity, security, published
			FROM items WHERE story_id = ?`, id)
		if err != nil {
			return wrap("regroup: story", err)
		}
		var items []store.Item
		for rows.Next() {
			var it store.Item
			var regions, topics string
			var pub int64
			if err := rows.Scan(&it.ID, &it.Title, &it.Summary, &regions, &topics, &it.Severity, &it.Security, &pub); err != nil {
				rows.Close()
				return wrap("regroup: story", err)
			}
			it.Regions, it.Topics, it.Published = fromJSON(regions), fromJSON(topics), fromMicros(pub)
			items = append(items, it)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return wrap("regroup: story", err)
		}
		if len(items) == 0 {
			continue
		}
		r := rowOf(store.StoryOfItems(id, items))
		if _, err := tx.ExecContext(ctx, `INSERT INTO stories (id, title, summary, regions, topics, severity, first_seen, last_seen, security)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET title = excluded.title, summary = excluded.summary,
			regions = excluded.regions, topics = excluded.topics, severity = excluded.severity, first_seen = excluded.first_seen,
			last_seen = excluded.last_seen, security = excluded.security`,
			r.id, r.title, r.summary, toJSON(r.regions), toJSON(r.topics), r.severity, r.first, r.last, r.security); err != nil {
			return wrap("regroup: story", err)
		}
	}
	return nil
}

// withSurvivors adds to story ids the stories they were merged into: a
// post built before its story was merged roots the merged story too.
func withSurvivors(ctx context.Context, tx *sql.Tx, ids []string) ([]string, error) {
	out := ids
	for _, id := range ids {
		into, err := resolveStory(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, into) {
			out = append(slices.Clip(out), into)
		}
	}
	return out, nil
}
