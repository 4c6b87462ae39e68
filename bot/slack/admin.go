package slack

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// adminCache remembers briefly whether a user is a workspace admin, so a
// burst of admin commands costs one users.info call.
type adminCache struct {
	ttl time.Duration
	max int

	mu      sync.Mutex
	entries map[string]adminEntry
}

type adminEntry struct {
	admin bool
	at    time.Time
}

func newAdminCache(ttl time.Duration, max int) *adminCache {
	return &adminCache{ttl: ttl, max: max, entries: make(map[string]adminEntry)}
}

func (c *adminCache) get(key string, now time.Time) (bool, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || now.Sub(e.at) > c.ttl {
		return false, false
	}
	return e.admin, true
}

func (c *adminCache) put(key string, admin bool, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.max {
		for k, e := range c.entries {
			if now.Sub(e.at) > c.ttl {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= c.max {
			clear(c.entries)
		}
	}
	c.entries[key] = adminEntry{admin: admin, at: now}
}

// isAdmin returns the IsAdmin func for a command by user in team: true
// for workspace admins and owners, per users.info (cached briefly).
func (a *Adapter) isAdmin(team, user string) func(ctx context.Context) (bool, error) {
	return func(ctx context.Context) (bool, error) {
		key := team + "/" + user
		if v, ok := a.admins.get(key, a.now()); ok {
			return v, nil
		}
		u, err := a.api.GetUserInfoContext(ctx, user)
		if err != nil {
			return false, fmt.Errorf("slack: users.info: %w", err)
		}
		v := u.IsAdmin || u.IsOwner || u.IsPrimaryOwner
		a.admins.put(key, v, a.now())
		return v, nil
	}
}
