package ingest

import (
	"context"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/feeds"
	"github.com/sitrep-bot/sitrep/store"
)

// TestPipelineChatFeedPolicy: a chat-added feed is fetched by the guarded
// fetcher and named after its host even when its title claims an outlet;
// an operator feed the policy accepts goes through the private fetcher and
// takes its title.
func TestPipelineChatFeedPolicy(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	item := func(k string) []feeds.Item {
		return []feeds.Item{{Key: k, URL: "https://x.example/" + k, Title: "Rocket attack on Erbil airport " + k,
			Content: "Rockets struck near Erbil airport, officials said.", Published: now.Add(-time.Hour)}}
	}
	const chatURL, opURL = "https://reuters-news.example/rss", "http://10.0.0.5/rss"
	guarded := &scriptFetcher{results: map[string][]feeds.Result{chatURL: {{FeedTitle: "Reuters", Items: item("a")}}}}
	private := &scriptFetcher{results: map[string][]feeds.Result{opURL: {{FeedTitle: "Intranet", Items: item("b")}}}}
	tg := newTestPipeline(t, st, guarded, func() time.Time { return now }).tagger
	asked := 0
	p := NewPipeline(st, guarded, tg, quietLog(), PipelineOptions{Now: func() time.Time { return now },
		PrivateFetcher: private, PrivateFeed: func(store.Feed) bool { asked++; return true }})
	chat := addFeed(t, st, store.Feed{URL: chatURL, AddedBy: "discord:D1"})
	op := addFeed(t, st, store.Feed{URL: opURL, AddedBy: "config"})
	rc := p.Poll(ctx, chat, true)
	if rc.Err != nil || len(rc.New) != 1 {
		t.Fatalf("chat feed poll: %+v", rc)
	}
	ro := p.Poll(ctx, op, true)
	if ro.Err != nil || len(ro.New) != 1 {
		t.Fatalf("operator feed poll: %+v", ro)
	}
	if len(guarded.reqs) != 1 || guarded.reqs[0].URL != chatURL || len(private.reqs) != 1 || private.reqs[0].URL != opURL {
		t.Errorf("guarded fetched %v, private fetched %v", guarded.reqs, private.reqs)
	}
	if asked != 1 {
		t.Errorf("PrivateFeed asked %d times, want once (never for the chat feed)", asked)
	}
	if got := rc.New[0].FeedName; got != "reuters-news.example" {
		t.Errorf("chat feed's item names its outlet %q, want the feed's host", got)
	}
	if got := ro.New[0].FeedName; got != "Intranet" {
		t.Errorf("operator feed's item names its outlet %q, want the feed's title", got)
	}
}
