package ingest

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/sitrep-bot/sitrep/store/sqlite"
)

func openStore(t *testing.T) *sqlite.DB {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
