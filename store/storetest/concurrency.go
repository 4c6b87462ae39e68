package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/store"
)

// workers is how many goroutines race in each concurrency test.
const workers = 8

func testConcurrency(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()

	t.Run("ClaimDeliveriesNeverTwice", func(t *testing.T) {
		s := open(t)
		const n = 60
		var ds []store.Delivery
		for i := range n {
			ds = append(ds, post(fmt.Sprintf("C%d", i%7), fmt.Sprintf("s%d", i), t0.Add(time.Duration(i)*time.Millisecond)))
		}
		must(t, "Enqueue", s.Enqueue(ctx, ds))

		var (
			mu   sync.Mutex
			seen = map[int64]string{}
			dups []string
			wg   sync.WaitGroup
			errs = make(chan error, workers)
		)
		for w := range workers {
			owner := fmt.Sprintf("w%d", w)
			wg.Go(func() {
				// Bounded, so a store that hands out leased rows again fails
				// here instead of looping forever.
				for range n {
					got, err := s.ClaimDeliveries(ctx, owner, t0, time.Minute, 4)
					if err != nil {
						errs <- fmt.Errorf("%s: ClaimDeliveries: %w", owner, err)
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, d := range got {
						if prev, ok := seen[d.ID]; ok {
							dups = append(dups, fmt.Sprintf("%d by %s and %s", d.ID, prev, owner))
						}
						seen[d.ID] = owner
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if len(dups) > 0 {
			t.Fatalf("deliveries claimed twice: %v", dups)
		}
		if len(seen) != n {
			t.Fatalf("%d deliveries claimed in all, want %d", len(seen), n)
		}
	})

	t.Run("ClaimFeedPollOneWinner", func(t *testing.T) {
		s := open(t)
		f := addFeed(t, s, "https://a.example/rss", "A")
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			wins int
		)
		for w := range workers {
			wg.Go(func() {
				ok, err := s.ClaimFeedPoll(ctx, f.ID, fmt.Sprintf("r%d", w), t0, t0.Add(time.Minute))
				if err != nil {
					t.Errorf("ClaimFeedPoll(r%d): %v", w, err)
					return
				}
				if ok {
					mu.Lock()
					wins++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if wins != 1 {
			t.Fatalf("%d replicas claimed the same poll, want exactly 1", wins)
		}
	})

	t.Run("InsertSameKeyOnce", func(t *testing.T) {
		s := open(t)
		f := addFeed(t, s, "https://a.example/rss", "A")
		var (
			wg  sync.WaitGroup
			mu  sync.Mutex
			new int
		)
		for w := range workers {
			wg.Go(func() {
				it := newItem(f, "k1", "s1", t0)
				it.Deliveries = []store.Delivery{post("C1", "s1", t0)}
				got, err := s.InsertItems(ctx, []store.Item{it}, []store.Story{newStory("s1", t0)})
				if err != nil {
					t.Errorf("InsertItems(worker %d): %v", w, err)
					return
				}
				mu.Lock()
				new += len(got)
				mu.Unlock()
			})
		}
		wg.Wait()
		if new != 1 {
			t.Errorf("%d concurrent inserts of one key reported it new, want 1", new)
		}
		if ds := allDeliveries(t, s); len(ds) != 1 {
			t.Errorf("%d deliveries enqueued for one new item, want 1", len(ds))
		}
	})

	t.Run("OneRootPerStoryAcrossInserts", func(t *testing.T) {
		s := open(t)
		f := addFeed(t, s, "https://a.example/rss", "A")
		insert(t, s, []store.Item{newItem(f, "k", "s1", t0)}, newStory("s1", t0))
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				it := newItem(f, fmt.Sprintf("k%d", w), "s1", t0)
				it.Deliveries = []store.Delivery{post("C1", "s1", t0)}
				// No story upsert here: nothing else serialises these transactions.
				if _, err := s.InsertItems(ctx, []store.Item{it}, nil); err != nil {
					t.Errorf("InsertItems(worker %d): %v", w, err)
				}
			})
		}
		wg.Wait()
		kinds := map[string]int{}
		for _, d := range allDeliveries(t, s) {
			kinds[d.Kind]++
		}
		if kinds[store.KindPost] != 1 || kinds[store.KindUpdate] != workers-1 {
			t.Errorf("%d concurrent reports of one story to one channel gave %v, want 1 post and %d updates",
				workers, kinds, workers-1)
		}
	})

	t.Run("DigestOnceAcrossReplicas", func(t *testing.T) {
		s := open(t)
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				d := store.Delivery{Platform: "slack", Channel: "C1", Kind: store.KindDigest, StoryID: "2026-03-01T07:00Z", Created: t0}
				if err := s.Enqueue(ctx, []store.Delivery{d}); err != nil {
					t.Errorf("Enqueue(worker %d): %v", w, err)
				}
			})
		}
		wg.Wait()
		if ds := allDeliveries(t, s); len(ds) != 1 {
			t.Errorf("%d replicas firing one digest queued %d deliveries, want 1", workers, len(ds))
		}
	})
}
