package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/store"
	"github.com/sitrep-bot/sitrep/topics"
)

// TestUpsertStoriesMatchesSQLMerge checks the Go-side story merge against
// the SQL upsert it replaces: random batches of story versions (repeated
// ids, unset and tied first-seen times, unsorted and duplicate tags) are
// merged by both into two databases, which must end up with equal stories,
// stored in the same order. Batches of many new stories take the
// multi-row insert (storyRowsPerInsert to a statement, the rest one by one).
func TestUpsertStoriesMatchesSQLMerge(t *testing.T) {
	for _, c := range []struct {
		name          string
		ids, versions int // story ids to pick from; versions per batch at most
	}{
		{"few stories", 6, 8},
		{"many new stories", 1000, 3 * storyRowsPerInsert},
	} {
		t.Run(c.name, func(t *testing.T) { checkUpsertStories(t, c.ids, c.versions) })
	}
}

func checkUpsertStories(t *testing.T, ids, versionsPerBatch int) {
	ctx := context.Background()
	open := func(name string) *DB {
		db, err := Open(ctx, filepath.Join(t.TempDir(), name))
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	goDB, sqlDB := open("go.db"), open("sql.db")
	rnd := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tags := []string{"iraq", "syria", "yemen", "drone", "protest", "Ünïcode", "a", "b"}
	pick := func() []string {
		var out []string
		for range rnd.IntN(4) {
			out = append(out, tags[rnd.IntN(len(tags))])
		}
		return out
	}
	when := func() time.Time {
		if rnd.IntN(5) == 0 {
			return time.Time{}
		}
		return base.Add(time.Duration(rnd.IntN(4)) * time.Hour)
	}
	severities := []topics.Severity{"", "low", "medium", "high", "odd"}
	for batch := range 40 {
		var versions []store.Story
		for range 1 + rnd.IntN(versionsPerBatch) {
			id := fmt.Sprintf("s%d", rnd.IntN(ids))
			versions = append(versions, store.Story{ID: id, Title: fmt.Sprintf("title %d", rnd.IntN(100)),
				Summary: fmt.Sprintf("summary %d", rnd.IntN(100)), Regions: pick(), Topics: pick(),
				Severity: severities[rnd.IntN(len(severities))], FirstSeen: when(), LastSeen: when()})
		}
		for _, c := range []struct {
			db    *DB
			merge func(*DB, context.Context, *sql.Tx, []store.Story) error
		}{
			{goDB, (*DB).upsertStories},
			{sqlDB, (*DB).upsertStoriesSQL},
		} {
			tx, err := c.db.db.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.merge(c.db, ctx, tx, versions); err != nil {
				t.Fatalf("batch %d: %v", batch, err)
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
		}
		got, err := goDB.Stories(ctx, store.StoryFilter{Limit: 10 * ids})
		if err != nil {
			t.Fatal(err)
		}
		want, err := sqlDB.Stories(ctx, store.StoryFilter{Limit: 10 * ids})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("batch %d: %d stories, want %d", batch, len(got), len(want))
		}
		for i := range got {
			g, w := got[i], want[i]
			if g.ID != w.ID || g.Title != w.Title || g.Summary != w.Summary || g.Severity != w.Severity ||
				!g.FirstSeen.Equal(w.FirstSeen) || !g.LastSeen.Equal(w.LastSeen) ||
				!slices.Equal(g.Regions, w.Regions) || !slices.Equal(g.Topics, w.Topics) {
				t.Fatalf("batch %d: story %d\n got  %+v\n want %+v", batch, i, g, w)
			}
		}
		if g, w := storyOrder(t, goDB), storyOrder(t, sqlDB); !slices.Equal(g, w) {
			t.Fatalf("batch %d: stories stored in the order %v, want %v", batch, g, w)
		}
	}
}

// TestInsertStoriesStoredID checks that insertStories, whose statements
// skip a row that breaks a constraint, still fails with store.ErrConflict
// when a story it is given is stored already, in a statement of one story
// and of storyRowsPerInsert, and leaves the stored story as it was.
func TestInsertStoriesStoredID(t *testing.T) {
	ctx := context.Background()
	for _, n := range []int{1, storyRowsPerInsert} {
		t.Run(fmt.Sprintf("%d stories", n), func(t *testing.T) {
			db, err := Open(ctx, filepath.Join(t.TempDir(), "s.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			rows := make([]*storyRow, n)
			for i := range rows {
				rows[i] = &storyRow{id: fmt.Sprintf("s%d", i), title: "new"}
			}
			if _, err := db.db.ExecContext(ctx, `INSERT INTO stories (id, title) VALUES (?, 'stored')`, rows[n/2].id); err != nil {
				t.Fatal(err)
			}
			tx, err := db.db.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			if err := db.insertStories(ctx, tx, rows); !errors.Is(err, store.ErrConflict) {
				t.Fatalf("insertStories with a stored id: %v, want %v", err, store.ErrConflict)
			}
			var title string
			if err := tx.QueryRowContext(ctx, `SELECT title FROM stories WHERE id = ?`, rows[n/2].id).Scan(&title); err != nil || title != "stored" {
				t.Fatalf("stored story's title %q (%v), want %q", title, err, "stored")
			}
		})
	}
}

// storyOrder lists the ids of the stored stories in the order they were stored.
func storyOrder(t *testing.T, db *DB) []string {
	t.Helper()
	rows, err := db.db.Query(`SELECT id FROM stories ORDER BY rowid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return ids
}

// BenchmarkUpsertNewStories stores the 7,000 new stories of a first poll of 400 feeds (as in
// bench poll) in one transaction on a fresh database. Their ids are the clusterer's, hashes of
// a report's id, so each lands at its own place in the stories' index, as in a poll.
func BenchmarkUpsertNewStories(b *testing.B) {
	ctx := context.Background()
	base := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	versions := make([]store.Story, 7000)
	for i := range versions {
		versions[i] = store.Story{ID: topics.StoryIDFor(fmt.Sprintf("%d:item-%d", i/25, i)), Title: fmt.Sprintf("Militants attacked a checkpoint near Kirkuk, %d reported hurt", i),
			Summary: "Militants attacked a checkpoint near Kirkuk on Monday, officials said.", Regions: []string{"iraq"},
			Topics: []string{"armed-conflict"}, Severity: "medium", FirstSeen: base.Add(time.Duration(i) * time.Second), LastSeen: base}
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		db, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		tx, err := db.db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		if err := db.upsertStories(ctx, tx, versions); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}
