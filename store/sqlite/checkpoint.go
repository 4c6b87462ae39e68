package sqlite

import (
	"context"
	"fmt"
	"time"
)

// WAL checkpoints. A commit in WAL mode appends pages to the -wal file; a
// checkpoint copies them into the database file (syncing the WAL first, then
// the database) so the WAL can start over. By default SQLite runs one inside
// the commit that takes the WAL past 1,000 pages: on the committing caller's
// time, and inside tx.Commit, so while this process's write turn (wmu) is
// held. A poll round is written in one transaction (StageItems), so the
// checkpoint of its WAL (about 2,900 pages for bench poll's 10,000 items,
// some 60 ms mostly waiting for the disk) always fell at the end of the
// poll, with every other writer of the process queued behind it.
//
// Here a goroutine owned by the DB runs them instead, woken after each item
// insert and grouped write commits, and every checkpointEvery for the other
// writes. A passive checkpoint waits for no reader or writer and holds no
// lock of ours, so writes go on meanwhile. Durability is unchanged: a
// commit is in the WAL before it returns (it survives a killed process and
// is replayed on open), and it is safe from a power cut once a checkpoint
// has synced the WAL, as before; the checkpoint after a large commit now
// starts as it returns instead of before. SQLite's own automatic checkpoint
// stays as a backstop, at a larger WAL, for writes that outrun the
// goroutine. Close stops the goroutine; closing the last connection then
// checkpoints what is left, as SQLite always does.
//
// (A checkpointer was tried and dropped on 2026-12-02 when a first poll was
// several transactions, each checkpointed while the next was written; it
// did not lower the poll's time then. With the round in one transaction the
// checkpoint is the poll's last step, which the goroutine takes off it.)

const (
	// checkpointPages is the WAL size, in pages not yet copied, at which
	// the checkpointer copies them (SQLite's default automatic point).
	checkpointPages = 1000
	// backstopPages is where a commit checkpoints the WAL itself.
	backstopPages = 8 * checkpointPages
	// checkpointEvery is how often the checkpointer looks at the WAL
	// without being woken.
	checkpointEvery = 5 * time.Second
)

// checkpointer runs WAL checkpoints for a DB in the background.
type checkpointer struct {
	wake   chan struct{}      // a commit happened (buffered: wakes coalesce)
	flush  chan chan struct{} // tests: check now, then close the channel
	cancel context.CancelFunc // stops the goroutine and a checkpoint it runs
	done   chan struct{}      // closed when the goroutine has returned
}

// startCheckpointer starts db's checkpointer; Close stops it.
func (db *DB) startCheckpointer() {
	ctx, cancel := context.WithCancel(context.Background())
	c := &checkpointer{wake: make(chan struct{}, 1), flush: make(chan chan struct{}), cancel: cancel, done: make(chan struct{})}
	db.ckpt = c
	go func() {
		defer close(c.done)
		tick := time.NewTicker(checkpointEvery)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-c.wake:
				db.checkpointIfDue(ctx)
			case <-tick.C:
				db.checkpointIfDue(ctx)
			case reply := <-c.flush:
				db.checkpointIfDue(ctx)
				close(reply)
			}
		}
	}()
}

// wakeCheckpointer tells the checkpointer a commit happened. It never blocks.
func (db *DB) wakeCheckpointer() {
	if db.ckpt == nil {
		return
	}
	select {
	case db.ckpt.wake <- struct{}{}:
	default: // a wake is pending already
	}
}

// stopCheckpointer stops the checkpointer and waits for it.
func (db *DB) stopCheckpointer() {
	if db.ckpt == nil {
		return
	}
	db.ckpt.cancel()
	<-db.ckpt.done
}

// checkpointIfDue copies the WAL into the database once it holds
// checkpointPages pages not yet copied. Failures are left to the next
// wake and to SQLite's backstop.
func (db *DB) checkpointIfDue(ctx context.Context) {
	log, copied, err := db.walCheckpoint(ctx, "NOOP")
	if err != nil || log-copied < checkpointPages {
		return
	}
	_, _, _ = db.walCheckpoint(ctx, "PASSIVE") // a failure waits for the next wake
}

// walCheckpoint runs PRAGMA wal_checkpoint(mode) and returns the pages in
// the WAL and those copied into the database. NOOP only reports them.
func (db *DB) walCheckpoint(ctx context.Context, mode string) (log, copied int, err error) {
	var busy int
	if err := db.db.QueryRowContext(ctx, "PRAGMA wal_checkpoint("+mode+")").Scan(&busy, &log, &copied); err != nil {
		return 0, 0, fmt.Errorf("sqlite: wal checkpoint: %w", err)
	}
	return log, copied, nil
}
