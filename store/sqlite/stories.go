package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/sitrep-bot/sitrep/store"
	"github.com/sitrep-bot/sitrep/topics"
)

// storyRow is a story as stored: times in Unix microseconds.
type storyRow struct {
	id, title, summary string
	severity           topics.Severity
	regions, topics    []string
	first, last        int64
	security           bool
}

func rowOf(s store.Story) storyRow {
	return storyRow{id: s.ID, title: s.Title, summary: s.Summary, severity: s.Severity,
		regions: s.Regions, topics: s.Topics, first: toMicros(s.FirstSeen), last: toMicros(s.LastSeen), security: s.Security}
}

func (r storyRow) story() store.Story {
	return store.Story{ID: r.id, Title: r.title, Summary: r.summary, Severity: r.severity,
		Regions: r.regions, Topics: r.topics, FirstSeen: fromMicros(r.first), LastSeen: fromMicros(r.last), Security: r.security}
}

// merge folds version v into the stored story r by store.MergeStory, as
// upsertStorySQL does in SQL. It reports whether r changed.
func (r *storyRow) merge(v storyRow) bool {
	s := r.story()
	if !store.MergeStory(&s, v.story()) {
		return false
	}
	*r = rowOf(s)
	return true
}

const (
	// selectStoriesSQL reads the stored versions of a JSON array of ids.
	selectStoriesSQL = `SELECT id, title, summary, regions, topics, severity, first_seen, last_seen, security
		FROM stories WHERE id IN (SELECT value FROM json_each(?))`
	// insertStorySQL adds a story upsertStories found missing. OR IGNORE
	// never skips one (the ids are new, and no value is NULL); insertStories
	// checks that each row went in. It spares SQLite a statement journal:
	// a statement of many rows that may abort on a constraint copies every
	// page it changes aside first, which costs a first poll's story writes
	// about a third of their time.
	insertStorySQL = `INSERT OR IGNORE INTO stories (id, title, summary, regions, topics, severity, first_seen, last_seen, security)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
	updateStorySQL = `UPDATE stories SET title = ?, summary = ?, regions = ?, topics = ?, severity = ?,
		first_seen = ?, last_seen = ?, security = ? WHERE id = ?`
	// storyRowsPerInsert is how many new stories insertStoriesSQL adds at once: a first poll adds
	// thousands, and a statement per story costs more in the driver than in SQLite.
	storyRowsPerInsert = 64
)

// insertStoriesSQL adds storyRowsPerInsert new stories, in order.
var insertStoriesSQL = insertStorySQL + strings.Repeat(", (?, ?, ?, ?, ?, ?, ?, ?, ?)", storyRowsPerInsert-1)

func init() { txQueries = append(txQueries, insertStoriesSQL) }

// upsertStories merges story versions into the stored stories inside tx.
// Versions of one story are folded in Go in the order given, then merged
// with the stored row read in the same (write-locked) transaction; a row
// is written only when it is new or changed. The outcome is that of
// running upsertStorySQL once per version, in order.
func (db *DB) upsertStories(ctx context.Context, tx *sql.Tx, stories []store.Story) error {
	byID := make(map[string]*storyRow, len(stories))
	order := make([]string, 0, len(stories))
	for _, s := range stories {
		if !utf8.ValidString(s.ID) {
			// ids travel as JSON below; keep exotic ones on the SQL merge
			return db.upsertStoriesSQL(ctx, tx, stories)
		}
		if r, ok := byID[s.ID]; ok {
			r.merge(rowOf(s))
			continue
		}
		r := rowOf(s)
		byID[s.ID] = &r
		order = append(order, s.ID)
	}
	ids, err := json.Marshal(order)
	if err != nil {
		return wrap("upsert story", err)
	}
	sel, err := db.txStmt(ctx, tx, selectStoriesSQL)
	if err != nil {
		return wrap("upsert story", err)
	}
	rows, err := sel.QueryContext(ctx, string(ids))
	if err != nil {
		return wrap("upsert story", err)
	}
	stored := make(map[string]storyRow)
	for rows.Next() {
		var r storyRow
		var regions, topics string
		if err := rows.Scan(&r.id, &r.title, &r.summary, &regions, &topics, &r.severity, &r.first, &r.last, &r.security); err != nil {
			rows.Close()
			return wrap("upsert story", err)
		}
		r.regions, r.topics = fromJSON(regions), fromJSON(topics)
		stored[r.id] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return wrap("upsert story", err)
	}
	var upd *sql.Stmt
	var fresh []*storyRow // the new stories, in order
	for _, id := range order {
		v := byID[id]
		cur, ok := stored[id]
		if !ok {
			fresh = append(fresh, v)
			continue
		}
		if !cur.merge(*v) {
			continue
		}
		if upd == nil {
			if upd, err = db.txStmt(ctx, tx, updateStorySQL); err != nil {
				return wrap("upsert story", err)
			}
		}
		if _, err := upd.ExecContext(ctx, cur.title, cur.summary, toJSON(cur.regions), toJSON(cur.topics), cur.severity,
			cur.first, cur.last, cur.security, cur.id); err != nil {
			return wrap("upsert story", err)
		}
	}
	return db.insertStories(ctx, tx, fresh)
}

// insertStories adds new stories inside tx, in order, storyRowsPerInsert to a statement (the
// last few one by one).
func (db *DB) insertStories(ctx context.Context, tx *sql.Tx, rows []*storyRow) error {
	var many, one *sql.Stmt
	args := make([]any, 0, 9*min(len(rows), storyRowsPerInsert))
	for len(rows) > 0 {
		n, st, q := storyRowsPerInsert, &many, insertStoriesSQL
		if len(rows) < n {
			n, st, q = 1, &one, insertStorySQL
		}
		if *st == nil {
			var err error
			if *st, err = db.txStmt(ctx, tx, q); err != nil {
				return wrap("upsert story", err)
			}
		}
		args = args[:0]
		for _, r := range rows[:n] {
			args = append(args, r.id, r.title, r.summary, toJSON(r.regions), toJSON(r.topics), r.severity, r.first, r.last, r.security)
		}
		res, err := (*st).ExecContext(ctx, args...)
		if err != nil {
			return wrap("upsert story", err)
		}
		if added, err := res.RowsAffected(); err != nil {
			return wrap("upsert story", err)
		} else if added != int64(n) {
			return fmt.Errorf("sqlite: upsert story: %w: %d of %d new stories added", store.ErrConflict, added, n)
		}
		rows = rows[n:]
	}
	return nil
}

// upsertStoriesSQL merges each version with upsertStorySQL, in order.
func (db *DB) upsertStoriesSQL(ctx context.Context, tx *sql.Tx, stories []store.Story) error {
	up, err := db.txStmt(ctx, tx, upsertStorySQL)
	if err != nil {
		return wrap("upsert story", err)
	}
	for _, s := range stories {
		if _, err := up.ExecContext(ctx, s.ID, s.Title, s.Summary, toJSON(s.Regions), toJSON(s.Topics), s.Severity,
			toMicros(s.FirstSeen), toMicros(s.LastSeen), s.Security); err != nil {
			return wrap("upsert story", err)
		}
	}
	return nil
}
