package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/sitrep-bot/sitrep/store"
)

// storyCols lists the columns scanStory reads, in order, including the item count.
const storyCols = `s.id, s.title, s.summary, s.regions, s.topics, s.severity, s.first_seen, s.last_seen,
	(SELECT count(*) FROM items i WHERE i.story_id = s.id)`

// scanStory reads one row of storyCols.
func scanStory(row pgx.Row) (store.Story, error) {
	var s store.Story
	var first, last pgtype.Timestamptz
	err := row.Scan(&s.ID, &s.Title, &s.Summary, &s.Regions, &s.Topics, &s.Severity, &first, &last, &s.Items)
	if err != nil {
		return store.Story{}, err
	}
	s.FirstSeen, s.LastSeen = tsVal(first), tsVal(last)
	return s, nil
}

// Story returns one story with its item count. Returns store.ErrNotFound.
func (db *DB) Story(ctx context.Context, id string) (store.Story, error) {
	s, err := scanStory(db.pool.QueryRow(ctx, `SELECT `+storyCols+` FROM stories s WHERE s.id = $1`, id))
	if err != nil {
		return store.Story{}, fmt.Errorf("postgres: story %q: %w", id, mapErr(err))
	}
	return s, nil
}

// Stories lists stories with LastSeen at or after f.Since, newest LastSeen first.
func (db *DB) Stories(ctx context.Context, f store.StoryFilter) ([]store.Story, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT `+storyCols+` FROM stories s
		WHERE $1::timestamptz IS NULL OR s.last_seen >= $1
		ORDER BY s.last_seen DESC, s.id LIMIT $2`, tsArg(f.Since), limitOr(f.Limit, 50))
	if err != nil {
		return nil, fmt.Errorf("postgres: stories: %w", err)
	}
	stories, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Story, error) { return scanStory(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: stories: %w", err)
	}
	return stories, nil
}
