package ingest

import (
	"context"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/feeds"
	"github.com/sitrep-bot/sitrep/store"
)

// A security-only subscription gets the security news of its targets and nothing else; a
// plain subscription to the same target keeps getting everything.
func TestPipelineSecurityOnlySubscription(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	const url = "https://news.example/rss"
	items := []feeds.Item{
		{Key: "strike", URL: "https://news.example/strike", Title: "Drone strike kills three fighters near Iraq's border with Syria",
			Content: "A drone strike killed three fighters of an armed group near al-Qaim in western Iraq, security sources said.", Published: now.Add(-2 * time.Hour)},
		{Key: "football", URL: "https://news.example/football", Title: "Iraq beat Jordan 2-0 to reach the Asian Cup semi-final",
			Content: "Iraq's national football team beat Jordan in Doha, with the striker scoring twice in the second half before 40,000 fans.", Published: now.Add(-1 * time.Hour)},
	}
	f := &scriptFetcher{results: map[string][]feeds.Result{url: {{Items: items}}}}
	feed := addFeed(t, st, store.Feed{URL: url, Name: "News"})
	subscribe(t, st, store.Subscription{Platform: "fake", Channel: "sec", Targets: []string{"iraq"}, SecurityOnly: true})
	subscribe(t, st, store.Subscription{Platform: "fake", Channel: "all", Targets: []string{"iraq"}})
	p := newTestPipeline(t, st, f, func() time.Time { return now })
	r := p.Poll(ctx, feed, false)
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	byKey := map[string]store.Item{}
	for _, it := range r.New {
		byKey[it.Key] = it
	}
	if it := byKey["strike"]; !it.Security || it.Severity != "high" {
		t.Errorf("drone strike: security %v severity %q, want security news of high severity", it.Security, it.Severity)
	}
	if it := byKey["football"]; it.Security || it.Severity != "" {
		t.Errorf("football: security %v severity %q, want neither", it.Security, it.Severity)
	}
	if s, err := st.Story(ctx, byKey["strike"].StoryID); err != nil || !s.Security {
		t.Errorf("story of the strike: security %v (%v), want true", s.Security, err)
	}
	ds := deliveries(t, st, 100)
	perChannel := map[string]int{}
	for _, d := range ds {
		perChannel[d.Channel]++
	}
	if perChannel["sec"] != 1 || perChannel["all"] != 2 {
		t.Errorf("deliveries per channel = %v, want sec:1 (the strike only), all:2", perChannel)
	}
}
