package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/store"
)

// The checkpointer copies the WAL into the database once it holds
// checkpointPages uncopied pages, well before SQLite's own backstop would,
// and leaves a smaller WAL alone.
func TestCheckpointerCopiesWAL(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name      string
		items     int // items of about 12 KB each
		wantCopy  bool
		wantAbove int // the WAL held at least this many pages before the check
	}{
		{"small WAL stays", 2, false, 1},
		{"large WAL copied", 400, true, checkpointPages},
	} {
		t.Run(c.name, func(t *testing.T) {
			db, f := openWithFeed(ctx, t)
			text := strings.Repeat("security forces attacked a checkpoint near Kirkuk on Monday ", 200)
			var items []store.Item
			for i := range c.items {
				items = append(items, store.Item{FeedID: f.ID, Key: fmt.Sprint(i), Title: fmt.Sprint("report ", i),
					Text: fmt.Sprint(i, " ", text), Published: time.Now()})
			}
			// Written in a few commits, each waking the checkpointer.
			for len(items) > 0 {
				n := min(len(items), 100)
				if _, err := db.InsertItems(ctx, items[:n], nil); err != nil {
					t.Fatal(err)
				}
				items = items[n:]
			}
			reply := make(chan struct{})
			db.ckpt.flush <- reply
			<-reply
			log, copied, err := db.walCheckpoint(ctx, "NOOP")
			if err != nil {
				t.Fatal(err)
			}
			if log < c.wantAbove || log >= backstopPages {
				t.Fatalf("WAL holds %d pages, want %d to %d: the test no longer tells the checkpointer from SQLite's", log, c.wantAbove, backstopPages-1)
			}
			if uncopied := log - copied; c.wantCopy && uncopied >= checkpointPages || !c.wantCopy && copied > 0 {
				t.Errorf("WAL of %d pages: %d copied into the database, want copied %v", log, copied, c.wantCopy)
			}
		})
	}
}

// Close stops the checkpointer; a commit's wake-up after it does not block.
func TestCheckpointerStopsOnClose(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "wal.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.wakeCheckpointer()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-db.ckpt.done:
	default:
		t.Fatal("the checkpointer still runs after Close")
	}
	db.wakeCheckpointer()
	db.wakeCheckpointer()
}
