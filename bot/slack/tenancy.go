package slack

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// teams decides which workspaces sitrep answers: Config.TeamIDs, or else
// the bot token's own workspace as auth.test reports it.
type teams struct {
	configured []string

	mu  sync.Mutex
	own []string // team (and enterprise) of the bot token, once known
}

// remember records the bot token's own workspace from auth.test.
func (t *teams) remember(team, enterprise string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.own = nil
	for _, id := range []string{team, enterprise} {
		if id != "" {
			t.own = append(t.own, id)
		}
	}
}

func (t *teams) known() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.own
}

// served returns the Served func of a command from team (and enterprise,
// for Enterprise Grid): true when either is configured, or with no
// configuration when team is the bot token's own workspace. auth.test is
// called once, on the first command, if CheckAuth has not run.
func (a *Adapter) served(team, enterprise string) func(ctx context.Context) (bool, error) {
	return func(ctx context.Context) (bool, error) {
		match := func(ids []string) bool {
			return team != "" && slices.Contains(ids, team) || enterprise != "" && slices.Contains(ids, enterprise)
		}
		if len(a.teams.configured) > 0 {
			return match(a.teams.configured), nil
		}
		own := a.teams.known()
		if own == nil {
			res, err := a.api.AuthTestContext(ctx)
			if err != nil {
				return false, fmt.Errorf("slack: auth.test: %w", err)
			}
			a.teams.remember(res.TeamID, res.EnterpriseID)
			own = a.teams.known()
		}
		return match(own), nil
	}
}
