package sqlite

import (
	"context"
	"path/filepath"
	"testing"

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
