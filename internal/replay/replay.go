// Package replay remembers the identities of accepted signed requests
// (a Slack request's MAC, a Discord interaction's id) for as long as their
// timestamps stay acceptable, so a captured request cannot be sent again.
package replay

import (
	"sync"
	"time"
)

// Window is how long a signed request stays valid: Slack and Discord
// requests are refused when their timestamp is more than 5 minutes off.
const Window = 5 * time.Minute

// Guard is a bounded table of keys seen within the window.
type Guard struct {
	max int

	mu   sync.Mutex
	seen map[string]time.Time // key → when it may be forgotten
}

// New returns a Guard holding at most max live keys.
func New(max int) *Guard {
	return &Guard{max: max, seen: make(map[string]time.Time)}
}

// First records key and reports whether it was not seen before. When the
// table is full of live entries it refuses new ones rather than forget,
// which under a flood of valid requests errs on the side of safety.
func (g *Guard) First(key string, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if exp, ok := g.seen[key]; ok && now.Before(exp) {
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
	g.seen[key] = now.Add(2 * Window)
	return true
}
