package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/store"
	"github.com/sitrep-bot/sitrep/store/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		db, err := Open(context.Background(), filepath.Join(t.TempDir(), "sitrep.db"))
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}

func TestMigrationsRunOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sitrep.db")
	for i := 0; i < 2; i++ {
		db, err := Open(context.Background(), path)
		if err != nil {
			t.Fatalf("Open #%d: %v", i+1, err)
		}
		if err := db.Ping(context.Background()); err != nil {
			t.Fatalf("Ping: %v", err)
		}
		db.Close()
	}
}

// TestStoreInMemory runs the conformance suite on a one-connection
// ":memory:" database, where a transaction must never wait for a second
// connection (for instance to prepare a cached statement).
func TestStoreInMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		db, err := Open(context.Background(), ":memory:")
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}

// TestStatementCacheOnOneConnection: with a single connection (":memory:"),
// preparing a query for the cache must not hold the cache's lock while it
// waits for the connection, because the transaction holding the connection
// needs that lock to fetch its own statements.
func TestStatementCacheOnOneConnection(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.db.BeginTx(ctx, nil) // the only connection is now taken
	if err != nil {
		t.Fatal(err)
	}
	waiting := make(chan struct{})
	prepared := make(chan error, 1)
	go func() {
		close(waiting)
		_, err := db.stmt(ctx, "SELECT 42") // not cached yet: waits for the connection
		prepared <- err
	}()
	<-waiting
	time.Sleep(50 * time.Millisecond)
	finished := make(chan error, 1)
	go func() {
		_, err := db.txStmt(ctx, tx, "SELECT 1")
		if rerr := tx.Rollback(); rerr != nil {
			t.Error(rerr)
		}
		finished <- err
	}()
	select {
	case err := <-finished:
		if err != nil {
			t.Fatal(err)
		}
		if err := <-prepared; err != nil {
			t.Fatalf("prepare after the transaction: %v", err)
		}
		db.Close() // (on a deadlock Close would hang too)
	case <-time.After(5 * time.Second):
		t.Fatal("transaction blocked on the statement cache while a prepare waited for its connection")
	}
}
