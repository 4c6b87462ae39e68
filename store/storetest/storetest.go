// Package storetest is the conformance suite for store.Store: every backend
// (store/sqlite, store/postgres) runs the same checks through Run, in the
// shape of testing/slogtest.
//
// The suite never reads the wall clock: each operation that takes a time gets
// one derived from a fixed instant, so lease and schedule checks are exact.
// Times are compared in UTC, truncated to microseconds.
package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/store"
)

// t0 is the suite's fixed "now".
var t0 = time.Date(2026, time.March, 1, 12, 0, 0, 0, time.UTC)

// Run checks that the stores made by open behave as the store package
// documents. open must return a fresh, empty, migrated store for every call
// and arrange for it to be closed (t.Cleanup); each subtest calls it once.
// The subtests run in parallel (t.Parallel), so open must be safe to call
// concurrently and its stores must not share data.
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	open := func(t *testing.T) store.Store {
		t.Helper()
		t.Parallel()
		return newStore(t)
	}
	t.Run("Ping", func(t *testing.T) {
		s := open(t)
		if err := s.Ping(context.Background()); err != nil {
			t.Fatalf("Ping() = %v, want nil", err)
		}
	})
	t.Run("Feeds", func(t *testing.T) { testFeeds(t, open) })
	t.Run("Items", func(t *testing.T) { testItems(t, open) })
	t.Run("Stories", func(t *testing.T) { testStories(t, open) })
	t.Run("MergeRule", func(t *testing.T) { testMergeRule(t, open) })
	t.Run("Regroup", func(t *testing.T) { testRegroup(t, open) })
	t.Run("Subscriptions", func(t *testing.T) { testSubscriptions(t, open) })
	t.Run("Outbox", func(t *testing.T) { testOutbox(t, open) })
	t.Run("Counts", func(t *testing.T) { testCounts(t, open) })
	t.Run("Concurrency", func(t *testing.T) { testConcurrency(t, open) })
}

// ts normalises a time for comparison: UTC, microsecond precision, and every
// zero time the same zero value.
func ts(x time.Time) time.Time {
	if x.IsZero() {
		return time.Time{}
	}
	return x.UTC().Truncate(time.Microsecond)
}

// sameTime reports whether a and b are the same instant at microsecond precision.
func sameTime(a, b time.Time) bool { return ts(a).Equal(ts(b)) }

// sameSet reports whether a and b hold the same strings, in any order; nil
// and empty are equal.
func sameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// wantErr fails the test unless errors.Is(err, want).
func wantErr(t *testing.T, op string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: err = %v, want %v", op, err, want)
	}
}

// must fails the test on a non-nil error.
func must(t *testing.T, op string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", op, err)
	}
}
