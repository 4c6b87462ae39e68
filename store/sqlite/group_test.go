package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/store"
)

// Writes queued while another runs go in together; each caller gets its
// own outcome: its rows affected, its own error (a bad statement or an
// ended context fails only its caller) and, once it returns, its write is
// stored.
func TestGroupExec(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "group.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var feeds []store.Feed
	for i := range 20 {
		f, err := db.UpsertFeed(ctx, store.Feed{URL: fmt.Sprintf("https://a.example/%d", i)})
		if err != nil {
			t.Fatal(err)
		}
		feeds = append(feeds, f)
	}
	ended, cancel := context.WithCancel(ctx)
	cancel()
	type call struct {
		name    string
		run     func() error
		wantErr error // nil: success; errAny: some error
	}
	errAny := errors.New("any error")
	var calls []call
	for i, f := range feeds {
		f.ETag = fmt.Sprintf(`"e%d"`, i)
		calls = append(calls, call{fmt.Sprint("save ", i), func() error { return db.SaveFeedState(ctx, f) }, nil})
	}
	calls = append(calls,
		call{"unknown feed", func() error { return db.SaveFeedState(ctx, store.Feed{ID: 999}) }, store.ErrNotFound},
		call{"ended context", func() error { return db.SaveFeedState(ended, store.Feed{ID: feeds[0].ID, ETag: "never"}) }, context.Canceled},
		call{"bad statement", func() error { _, err := db.groupExec(ctx, "UPDATE nowhere SET x = 1"); return err }, errAny},
		call{"claim", func() error {
			ok, err := db.ClaimFeedPoll(ctx, feeds[1].ID, "me", time.Now(), time.Now().Add(time.Minute))
			if err == nil && !ok {
				err = errors.New("not claimed")
			}
			return err
		}, nil},
	)
	// Hold the write lock so that every call queues behind the first.
	db.wmu.Lock()
	errs := make([]error, len(calls))
	var wg sync.WaitGroup
	for i, c := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = c.run()
		}()
	}
	for queued := 0; queued < len(calls)-1; {
		runtime.Gosched()
		queued = db.group.Pending()
	}
	db.wmu.Unlock()
	wg.Wait()
	for i, c := range calls {
		switch {
		case c.wantErr == nil && errs[i] != nil:
			t.Errorf("%s: %v", c.name, errs[i])
		case c.wantErr == errAny && errs[i] == nil:
			t.Errorf("%s: no error", c.name)
		case c.wantErr != nil && c.wantErr != errAny && !errors.Is(errs[i], c.wantErr):
			t.Errorf("%s: error %v, want %v", c.name, errs[i], c.wantErr)
		}
	}
	for i, f := range feeds {
		got, err := db.Feed(ctx, f.URL)
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf(`"e%d"`, i); got.ETag != want {
			t.Errorf("feed %d: ETag %q, want %q", i, got.ETag, want)
		}
	}
}
