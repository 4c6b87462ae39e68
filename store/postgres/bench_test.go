package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/store"
)

// BenchmarkInsertItems measures one poll's worth of new items: 20 items, each
// with a post to two channels, in one InsertItems call.
func BenchmarkInsertItems(b *testing.B) {
	db := open(b)
	ctx := context.Background()
	f, err := db.UpsertFeed(ctx, store.Feed{URL: "https://bench.example/rss", Name: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	n := 0
	for b.Loop() {
		items := make([]store.Item, 20)
		for i := range items {
			n++
			sid := fmt.Sprintf("s%d", n/3)
			items[i] = store.Item{FeedID: f.ID, Key: fmt.Sprintf("k%d", n), Title: "Drone strike near the border",
				Text: "Officials said the attack hit a checkpoint.", Published: now, Fetched: now, StoryID: sid,
				Deliveries: []store.Delivery{
					{Platform: "slack", Channel: "C1", Kind: store.KindPost, StoryID: sid},
					{Platform: "discord", Channel: "D1", Kind: store.KindPost, StoryID: sid},
				}}
		}
		if _, err := db.InsertItems(ctx, items, []store.Story{{ID: fmt.Sprintf("s%d", n/3), FirstSeen: now, LastSeen: now}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClaimAndSend measures the delivery worker's store work per
// message: claim a batch of 10, then MarkSent each.
func BenchmarkClaimAndSend(b *testing.B) {
	db := open(b)
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for b.Loop() {
		b.StopTimer()
		ds := make([]store.Delivery, 10)
		for i := range ds {
			ds[i] = store.Delivery{Platform: "slack", Channel: "C1", Kind: store.KindReply, Created: now}
		}
		if err := db.Enqueue(ctx, ds); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		got, err := db.ClaimDeliveries(ctx, "w", now, time.Minute, 10)
		if err != nil || len(got) != 10 {
			b.Fatalf("ClaimDeliveries = %d, %v", len(got), err)
		}
		for _, d := range got {
			if err := db.MarkSent(ctx, d.ID, "w", "ref", now, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
}
