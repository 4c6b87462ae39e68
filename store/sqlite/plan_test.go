package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRecentQueriesUseIndex checks that the time-window queries search the
// items_seen index rather than scanning every item.
func TestRecentQueriesUseIndex(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	since := toMicros(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	for _, c := range []struct {
		name string
		q    string
		args []any
	}{
		{"RecentItems", recentItemsSQL, []any{since}},
		// as Items builds it for a Since filter
		{"Items since", `SELECT ` + itemColumns + ` FROM items WHERE 1=1 AND MAX(items.published, items.fetched) >= ?
			ORDER BY MAX(items.published, items.fetched) DESC, items.id DESC LIMIT ?`, []any{since, 50}},
	} {
		rows, err := db.db.Query("EXPLAIN QUERY PLAN "+c.q, c.args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if !strings.Contains(strings.Join(plan, "; "), "USING INDEX items_seen") {
			t.Errorf("%s: plan %q does not use items_seen", c.name, plan)
		}
	}
}
