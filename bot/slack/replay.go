package slack

import (
	"sync"
	"time"
)

// replayWindow is how long a signed request stays valid (Slack's ±5
// minutes), so how long its signature must be remembered.
const replayWindow = 5 * time.Minute

// replayGuard remembers the MACs of accepted requests for the
// replay window, so a captured request cannot be sent again while its
// timestamp is still fresh. Slack does not resend slash commands or
// interactions, so a repeat is never legitimate.
type replayGuard struct {
	max int

	mu   sync.Mutex
	seen map[string]time.Time // MAC bytes → when they may be forgotten
}

func newReplayGuard(max int) *replayGuard {
	return &replayGuard{max: max, seen: make(map[string]time.Time)}
}

// first records sig (the decoded MAC) and reports whether it was not seen before. When the
// table is full of live entries it refuses new ones rather than forget,
// which under a flood of valid signatures errs on the side of safety.
func (g *replayGuard) first(sig string, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if exp, ok := g.seen[sig]; ok && now.Before(exp) {
		return false
	}
	if len(g.seen) >= g.max {
		for k, exp := range g.seen {
			if !now.Before(exp) {
				delete(g.seen, k)
			}
		}
		if len(g.seen) >= g.max {
			return false
		}
	}
	// Timestamps may be up to the window in the future too.
	g.seen[sig] = now.Add(2 * replayWindow)
	return true
}
