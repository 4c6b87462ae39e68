// Package groupcommit gathers concurrent requests into batches that are handled one at a time
// (group commit): while one batch is being written, the requests that arrive queue up and go in
// together next. The caller that finds no batch running leads: it handles batches until the queue
// is empty. No lock is held while a batch is handled.
package groupcommit

import "sync"

// Queue holds the requests waiting for a batch. The zero value is ready to use.
type Queue[R any] struct {
	mu      sync.Mutex
	pending []R
	running bool // a caller is handling batches
}

// Join queues r. When another caller is handling batches, Join returns false at once, and the
// caller waits until r is done (flush marks it so). Otherwise the caller leads: Join hands batches
// to flush — take(pending) says how many of the pending requests go in the next one, at least
// one — until the queue is empty, r's batch among them, and returns true.
func (q *Queue[R]) Join(r R, take func(pending []R) int, flush func(batch []R)) bool {
	q.mu.Lock()
	q.pending = append(q.pending, r)
	if q.running {
		q.mu.Unlock()
		return false
	}
	q.running = true
	q.mu.Unlock()
	for {
		q.mu.Lock()
		if len(q.pending) == 0 {
			q.running = false
			q.mu.Unlock()
			return true
		}
		n := min(max(take(q.pending), 1), len(q.pending))
		batch := q.pending[:n:n]
		q.pending = q.pending[n:]
		q.mu.Unlock()
		flush(batch)
	}
}

// Pending reports how many requests wait for a batch (not those of the batch being handled).
func (q *Queue[R]) Pending() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.pending)
}
