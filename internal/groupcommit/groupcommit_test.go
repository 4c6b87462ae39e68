package groupcommit

import (
	"sync"
	"testing"
)

type req struct {
	id   int
	done chan struct{}
}

// Concurrent requests are each handled exactly once, in batches no larger than take allows, one
// batch at a time; every caller returns only once its request is done.
func TestJoinHandlesEveryRequestOnce(t *testing.T) {
	const callers, most = 64, 5
	var q Queue[*req]
	var mu sync.Mutex
	seen := map[int]int{}
	inFlush, overlap, biggest := 0, false, 0
	flush := func(batch []*req) {
		mu.Lock()
		inFlush++
		overlap = overlap || inFlush > 1
		biggest = max(biggest, len(batch))
		for _, r := range batch {
			seen[r.id]++
		}
		mu.Unlock()
		mu.Lock()
		inFlush--
		mu.Unlock()
		for _, r := range batch {
			close(r.done)
		}
	}
	take := func(pending []*req) int { return most }
	var wg sync.WaitGroup
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &req{id: i, done: make(chan struct{})}
			if !q.Join(r, take, flush) {
				<-r.done
			}
			select {
			case <-r.done:
			default:
				t.Errorf("request %d returned before it was done", i)
			}
		}()
	}
	wg.Wait()
	if len(seen) != callers {
		t.Errorf("%d requests handled, want %d", len(seen), callers)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("request %d handled %d times", id, n)
		}
	}
	if overlap {
		t.Error("two batches handled at once")
	}
	if biggest > most {
		t.Errorf("a batch of %d, want at most %d", biggest, most)
	}
}

// take asking for none still moves the queue: a batch has at least one request.
func TestJoinTakesAtLeastOne(t *testing.T) {
	var q Queue[int]
	if n := q.Pending(); n != 0 {
		t.Fatalf("a new queue has %d pending", n)
	}
	var got []int
	if !q.Join(7, func([]int) int { return 0 }, func(b []int) { got = append(got, b...) }) {
		t.Fatal("the only caller did not lead")
	}
	if len(got) != 1 || got[0] != 7 {
		t.Errorf("handled %v, want [7]", got)
	}
}
