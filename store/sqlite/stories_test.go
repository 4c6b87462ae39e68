package sqlite

import (
	"context"
	"database/sql"
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
// merged by both into two databases, which must end up with equal stories.
func TestUpsertStoriesMatchesSQLMerge(t *testing.T) {
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
		for range 1 + rnd.IntN(8) {
			id := fmt.Sprintf("s%d", rnd.IntN(6))
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
		got, err := goDB.Stories(ctx, store.StoryFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		want, err := sqlDB.Stories(ctx, store.StoryFilter{Limit: 100})
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
	}
}
