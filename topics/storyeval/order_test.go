package storyeval

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/sitrep-bot/sitrep/topics"
)

// checkOrderFree clusters items in publication order as one poll, then in shuffled orders split
// into several polls, and wants the same partition every time.
func checkOrderFree(t *testing.T, items []Item, seeds []uint64, polls []int) {
	t.Helper()
	tg, err := topics.NewTagger(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Cluster(tg, items, Arrival{})
	stories := map[string]bool{}
	for _, s := range want {
		stories[s] = true
	}
	t.Logf("%d items in %d stories", len(want), len(stories))
	for _, seed := range seeds {
		for _, p := range polls {
			got := Cluster(tg, items, Arrival{Seed: seed, Polls: p})
			if !SamePartition(got, want) {
				t.Errorf("seed %d, %d polls: partition differs from publication order", seed, p)
			}
			// Story ids derive from each story's earliest report, whatever the order.
			for id, s := range got {
				if s != want[id] {
					t.Errorf("seed %d, %d polls: %s in story %s, want %s", seed, p, id, s, want[id])
					break
				}
			}
		}
	}
}

func TestOrderFreeFixture(t *testing.T) {
	items, err := Load(filepath.Join("testdata", "small.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	checkOrderFree(t, items, []uint64{1, 2, 3, 4, 5, 6, 7, 8}, []int{1, 2, 6})
}

// TestOrderFreeRealDays shuffles the dev set's real items (three days, eleven outlets).
func TestOrderFreeRealDays(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: clusters 731 items a dozen times")
	}
	items, err := Load(filepath.Join("..", "..", "..", "shared", "corpus", "labelled", "dev.jsonl"))
	if err != nil {
		t.Skipf("dev set not available: %v", err)
	}
	for _, day := range []string{"2026-01-04", ""} {
		t.Run(fmt.Sprintf("day=%s", day), func(t *testing.T) {
			sel := items
			if day != "" {
				sel = Filter{Days: []string{day}}.Apply(items)
			}
			checkOrderFree(t, sel, []uint64{11, 12, 13}, []int{1, 3, 10})
		})
	}
}
