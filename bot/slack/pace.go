package slack

import (
	"sync"
	"time"
)

// pacer spaces posts to one channel at least interval apart. It only
// reserves slots; callers sleep (on their context) until their slot.
type pacer struct {
	interval time.Duration
	now      func() time.Time

	mu   sync.Mutex
	next map[string]time.Time // channel → earliest free slot
}

func newPacer(interval time.Duration, now func() time.Time) *pacer {
	return &pacer{interval: interval, now: now, next: make(map[string]time.Time)}
}

// reserve books the next slot for channel and returns how long to wait for it.
func (p *pacer) reserve(channel string) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	slot := p.next[channel]
	if slot.Before(now) {
		slot = now
	}
	p.next[channel] = slot.Add(p.interval)
	if len(p.next) > 1024 {
		// Bound memory: forget channels whose slots are in the past.
		for ch, t := range p.next {
			if t.Before(now) {
				delete(p.next, ch)
			}
		}
	}
	return slot.Sub(now)
}

// delay pushes channel's next slot to at least now+d (after a 429).
func (p *pacer) delay(channel string, d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if t := p.now().Add(d); p.next[channel].Before(t) {
		p.next[channel] = t
	}
}
