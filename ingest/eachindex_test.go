package ingest

import (
	"sync"
	"sync/atomic"
	"testing"
)

// TestEachIndex: every index runs once, with at most workers at once (at
// least one), and eachIndex returns only when all have run.
func TestEachIndex(t *testing.T) {
	for _, c := range []struct {
		name       string
		n, workers int
	}{
		{"none", 0, 4},
		{"fewer than workers", 3, 16},
		{"more than workers", 400, 16},
		{"one worker", 50, 1},
		{"no workers given", 10, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			var mu sync.Mutex
			runs := make([]int, c.n)
			var busy, most atomic.Int64
			eachIndex(c.n, c.workers, func(i int) {
				now := busy.Add(1)
				for m := most.Load(); now > m; m = most.Load() {
					if most.CompareAndSwap(m, now) {
						break
					}
				}
				mu.Lock()
				runs[i]++
				mu.Unlock()
				busy.Add(-1)
			})
			for i, r := range runs {
				if r != 1 {
					t.Errorf("index %d ran %d times", i, r)
				}
			}
			if bound := int64(max(c.workers, 1)); most.Load() > bound {
				t.Errorf("%d ran at once, want at most %d", most.Load(), bound)
			}
		})
	}
}
