package ingest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/feeds"
	"github.com/sitrep-bot/sitrep/store"
)

// TestPipelineLearnsFeedFurniture polls a feed whose descriptions carry
// the outlet's furniture (a promotion paragraph and an agency opening that
// recur in every item): the stored text and summary of each item, and of
// an item arriving on a later poll, hold the lead and none of the furniture.
func TestPipelineLearnsFeedFurniture(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	const url = "https://wire.example/rss"
	leads := []string{
		"Israeli strikes hit the south of Lebanon overnight, killing two people, the health ministry said.",
		"Protesters gathered in central Tehran for a third day as the currency fell to a record low.",
		"The Houthis said they fired a missile at a tanker in the Red Sea, which the owner denied.",
		"Iraq's parliament failed again to elect a speaker after rival blocs walked out of the session.",
		"A drone struck a car near Erbil airport, wounding the driver, Kurdish officials said.",
	}
	item := func(i int) feeds.Item {
		return feeds.Item{
			Key: fmt.Sprint("k", i), URL: fmt.Sprint("https://wire.example/", i), Title: fmt.Sprint("Report ", i),
			Content:   fmt.Sprintf("NICOSIA, Feb. %d (XNA) – %s Officials gave no further details.\n\nGet our breaking news email, free app or daily news podcast\n\nMore reporting followed later in the day from the region.", i+1, leads[i]),
			Published: now.Add(time.Duration(i-10) * time.Minute),
		}
	}
	var first []feeds.Item
	for i := range 4 {
		first = append(first, item(i))
	}
	f := &scriptFetcher{results: map[string][]feeds.Result{url: {
		{Items: first},
		{Items: append(first, item(4))},
	}}}
	feed := addFeed(t, st, store.Feed{URL: url, Name: "Wire"})
	p := newTestPipeline(t, st, f, func() time.Time { return now })
	r1 := p.Poll(ctx, feed, true)
	r2 := p.Poll(ctx, feed, true)
	if r1.Err != nil || r2.Err != nil {
		t.Fatal(r1.Err, r2.Err)
	}
	got := append(r1.New, r2.New...)
	if len(got) != 5 {
		t.Fatalf("%d new items, want 5", len(got))
	}
	for i, it := range got {
		for _, bad := range []string{"Get our breaking news", "(XNA)", "NICOSIA"} {
			if strings.Contains(it.Summary, bad) || strings.Contains(it.Text, bad) {
				t.Errorf("item %d keeps furniture %q: summary %q", i, bad, it.Summary)
			}
		}
		if !strings.HasPrefix(it.Summary, leads[i]) {
			t.Errorf("item %d summary %q does not open with its lead", i, it.Summary)
		}
	}
}
