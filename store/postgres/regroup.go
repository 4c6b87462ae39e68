package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/sitrep-bot/sitrep/store"
)

// resolveStorySQL is the story the id in parameter n stands for: the one
// it was merged into, else itself (also when no such story is stored).
func resolveStorySQL(n string) string {
	return `coalesce((SELECT nullif(merged_into, '') FROM stories WHERE id = ` + n + `), ` + n + `)`
}

// regroup applies, inside tx, the merges the story versions carry
// (store.RegroupOf) and points the items, the versions and the items'
// deliveries at the stories their ids stand for. It returns the items and
// content versions to store and what finish does once they are stored.
func regroup(ctx context.Context, tx pgx.Tx, items []store.Item, stories []store.Story) ([]store.Item, []store.Story, *regrouping, error) {
	content, g := store.RegroupOf(stories)
	touched, err := store.ApplyMerges(ctx, g.Merges,
		func(ctx context.Context, id string) (string, error) { return resolveStory(ctx, tx, id) },
		func(ctx context.Context, from, into string) error { return mergeStory(ctx, tx, from, into) })
	if err != nil {
		return nil, nil, nil, err
	}
	items, content, err = resolveIDs(ctx, tx, items, content)
	return items, content, &regrouping{touched: touched, moves: g.Moves}, err
}

// regrouping is what regroup leaves for after the items are stored: the
// moves (which may name items stored in the same transaction) and the
// stories to recompute.
type regrouping struct {
	touched []string
	moves   []store.Move
}

// finish applies the moves and recomputes the stories whose items changed.
func finish(ctx context.Context, tx pgx.Tx, r *regrouping) error {
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
		err = tx.QueryRow(ctx, `SELECT story_id FROM items WHERE feed_id = $1 AND key = $2 FOR UPDATE`,
			mv.Item.FeedID, clean(mv.Item.Key)).Scan(&old)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && old == to) {
			continue
		}
		if err != nil {
			return fmt.Errorf("regroup: move: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE items SET story_id = $1 WHERE feed_id = $2 AND key = $3`,
			to, mv.Item.FeedID, clean(mv.Item.Key)); err != nil {
			return fmt.Errorf("regroup: move: %w", err)
		}
		touch(old)
		touch(to)
	}
	return restory(ctx, tx, touched)
}

// resolveStory returns the story id stands for.
func resolveStory(ctx context.Context, tx pgx.Tx, id string) (string, error) {
	var got string
	if err := tx.QueryRow(ctx, `SELECT `+resolveStorySQL("$1"), clean(id)).Scan(&got); err != nil {
		return "", fmt.Errorf("regroup: resolve: %w", err)
	}
	return got, nil
}

// mergeStory merges story from into story into by the rules of store.Regroup.
func mergeStory(ctx context.Context, tx pgx.Tx, from, into string) error {
	for _, q := range []string{
		// from, and the stories merged into it before, now stand for into.
		`INSERT INTO stories (id, first_seen, last_seen, merged_into) VALUES ($1, now(), now(), $2)
			ON CONFLICT (id) DO UPDATE SET merged_into = EXCLUDED.merged_into`,
		`UPDATE stories SET merged_into = $2 WHERE merged_into = $1`,
		`UPDATE items SET story_id = $2 WHERE story_id = $1`,
		// Channels that have from's thread keep it for the merged story.
		`INSERT INTO roots (platform, channel, story_id, ref)
			SELECT platform, channel, $2, ref FROM roots WHERE story_id = $1 ON CONFLICT DO NOTHING`,
		// A pending post of from where the channel has into's root or live
		// post: an update of its item, or dropped when it reports none.
		`UPDATE deliveries SET story_id = $2,
				kind = CASE WHEN item_id <> 0 THEN 'update' ELSE kind END,
				status = CASE WHEN item_id <> 0 THEN status ELSE 'dropped' END,
				last_error = CASE WHEN item_id <> 0 THEN last_error ELSE 'story merged into one already posted' END
			WHERE story_id = $1 AND kind = 'post' AND status = 'pending' AND (
				EXISTS (SELECT 1 FROM roots r WHERE r.platform = deliveries.platform AND r.channel = deliveries.channel AND r.story_id = $2)
				OR EXISTS (SELECT 1 FROM deliveries d WHERE d.platform = deliveries.platform AND d.channel = deliveries.channel
					AND d.story_id = $2 AND d.kind = 'post' AND d.status IN ('pending', 'sent')))`,
		`UPDATE deliveries SET story_id = $2 WHERE story_id = $1 AND kind IN ('post', 'update') AND status = 'pending'`,
	} {
		if _, err := tx.Exec(ctx, q, clean(from), clean(into)); err != nil {
			return fmt.Errorf("regroup: merge %s into %s: %w", from, into, err)
		}
	}
	return nil
}

// resolveIDs points the items, their deliveries and the story versions at
// the stories their ids stand for; the slices are copied when one changes.
func resolveIDs(ctx context.Context, tx pgx.Tx, items []store.Item, stories []store.Story) ([]store.Item, []store.Story, error) {
	var ids []string
	for _, id := range store.StoryIDsOf(items, stories) {
		if id = clean(id); id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return items, stories, nil
	}
	rows, err := tx.Query(ctx, `SELECT id, merged_into FROM stories WHERE merged_into <> '' AND id = ANY($1)`, ids)
	if err != nil {
		return nil, nil, fmt.Errorf("regroup: resolve: %w", err)
	}
	alias := map[string]string{}
	var id, into string
	if _, err := pgx.ForEachRow(rows, []any{&id, &into}, func() error {
		alias[id] = into
		return nil
	}); err != nil {
		return nil, nil, fmt.Errorf("regroup: resolve: %w", err)
	}
	if len(alias) == 0 {
		return items, stories, nil
	}
	items, stories = store.ResolveStories(items, stories, alias)
	return items, stories, nil
}

// restory recomputes the stories whose items changed from their items
// (store.StoryOfItems).
func restory(ctx context.Context, tx pgx.Tx, ids []string) error {
	for _, id := range ids {
		rows, err := tx.Query(ctx, `SELECT id, title, summary, regions, topics, severity, security, published
			FROM items WHERE story_id = $1`, clean(id))
		if err != nil {
			return fmt.Errorf("regroup: story %s: %w", id, err)
		}
		items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Item, error) {
			var it store.Item
			var pub pgtype.Timestamptz
			err := r.Scan(&it.ID, &it.Title, &it.Summary, &it.Regions, &it.Topics, &it.Severity, &it.Security, &pub)
			it.Published = tsVal(pub)
			return it, err
		})
		if err != nil {
			return fmt.Errorf("regroup: story %s: %w", id, err)
		}
		if len(items) == 0 {
			continue
		}
		s := store.StoryOfItems(id, items)
		if _, err := tx.Exec(ctx, `
			INSERT INTO stories (id, title, summary, regions, topics, severity, first_seen, last_seen, security)
			VALUES ($1, $2, $3, $4, $5, $6, coalesce($7::timestamptz, now()), coalesce($8::timestamptz, $7::timestamptz, now()), $9)
			ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, summary = EXCLUDED.summary, regions = EXCLUDED.regions,
				topics = EXCLUDED.topics, severity = EXCLUDED.severity, first_seen = EXCLUDED.first_seen,
				last_seen = EXCLUDED.last_seen, security = EXCLUDED.security`,
			clean(s.ID), clean(s.Title), clean(s.Summary), arr(s.Regions), arr(s.Topics), clean(string(s.Severity)),
			tsArg(s.FirstSeen), tsArg(s.LastSeen), s.Security); err != nil {
			return fmt.Errorf("regroup: story %s: %w", id, err)
		}
	}
	return nil
}

// withSurvivors adds to story ids the stories they were merged into: a
// post built before its story was merged roots the merged story too.
func withSurvivors(ctx context.Context, tx pgx.Tx, ids []string) ([]string, error) {
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
