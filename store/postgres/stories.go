package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/sitrep-bot/sitrep/store"
)

// storyCols lists the columns scanStory reads, in order, including the item count.
const storyCols = `s.id, s.title, s.summary, s.regions, s.topics, s.severity, s.first_seen, s.last_seen, s.security,
	(SELECT count(*) FROM items i WHERE i.story_id = s.id),
	(SELECT min(i.fetched) FROM items i WHERE i.story_id = s.id)`

// scanStory reads one row of storyCols.
func scanStory(row pgx.Row) (store.Story, error) {
	var s store.Story
	var first, last, arrived pgtype.Timestamptz
	err := row.Scan(&s.ID, &s.Title, &s.Summary, &s.Regions, &s.Topics, &s.Severity, &first, &last, &s.Security, &s.Items, &arrived)
	if err != nil {
		return store.Story{}, err
	}
	s.FirstSeen, s.LastSeen, s.Arrived = tsVal(first), tsVal(last), tsVal(arrived)
	return s, nil
}

// Story returns one story with its item count. Returns store.ErrNotFound.
func (db *DB) Story(ctx context.Context, id string) (store.Story, error) {
	s, err := scanStory(db.pool.QueryRow(ctx, `SELECT `+storyCols+` FROM stories s WHERE s.id = `+resolveStorySQL("$1"), id))
	if err != nil {
		return store.Story{}, fmt.Errorf("postgres: story %q: %w", id, mapErr(err))
	}
	return s, nil
}

// Stories lists stories with LastSeen at or after f.Since (and, with
// f.Arrived, first fetched at or after it), newest LastSeen first.
func (db *DB) Stories(ctx context.Context, f store.StoryFilter) ([]store.Story, error) {
	// The Arrived test finds candidates through the items_seen index
	// (greatest(published, fetched) >= fetched) and drops stories with an
	// item fetched earlier.
	rows, err := db.pool.Query(ctx, `
		SELECT `+storyCols+` FROM stories s
		WHERE s.merged_into = '' AND ($1::timestamptz IS NULL OR s.last_seen >= $1)
		  AND ($3::timestamptz IS NULL OR (
		      s.id IN (SELECT i.story_id FROM items i WHERE greatest(i.published, i.fetched) >= $3 AND i.fetched >= $3)
		      AND NOT EXISTS (SELECT 1 FROM items i WHERE i.story_id = s.id AND i.fetched < $3)))
		ORDER BY s.last_seen DESC, s.id LIMIT $2`, tsArg(f.Since), limitOr(f.Limit, 50), tsArg(f.Arrived))
	if err != nil {
		return nil, fmt.Errorf("postgres: stories: %w", err)
	}
	stories, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Story, error) { return scanStory(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: stories: %w", err)
	}
	return stories, nil
}
