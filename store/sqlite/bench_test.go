package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/store"
)

// benchBatches builds what a first poll of 400 feeds × 25 items hands
// InsertItems: batches of about 50 items from two feeds each, every item
// in a story that about two items share on average, each batch carrying
// its items' story versions.
func benchBatches(feedIDs []int64) (items [][]store.Item, stories [][]store.Story) {
	rnd := rand.New(rand.NewPCG(7, 7))
	words := strings.Fields(`security forces attacked checkpoint near Kirkuk officials said people were reported hurt
		witnesses described heavy gunfire for several hours the interior ministry opened an investigation no group claimed
		responsibility local hospitals received wounded residents electricity water cut curfew imposed parts city drone
		struck convoy Mosul Erbil Duhok Basra Raqqa Idlib Aleppo border guards seized weapons shipment militants clashed`)
	sentence := func(n int) string {
		w := make([]string, n)
		for i := range w {
			w[i] = words[rnd.IntN(len(words))]
		}
		return strings.Join(w, " ")
	}
	regions := []string{"iraq", "kurdistan-region", "syria", "yemen", "iran", "lebanon", "turkey"}
	topicNames := []string{"armed-conflict", "terrorism", "protest", "border-security", "crime"}
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	n := 0
	for f := 0; f+1 < len(feedIDs); f += 2 {
		var its []store.Item
		var sts []store.Story
		for _, fid := range feedIDs[f : f+2] {
			for j := range 25 {
				story := fmt.Sprintf("st%05d", rnd.IntN(n/2+1))
				n++
				pub := now.Add(-time.Duration(rnd.IntN(600)) * time.Minute)
				it := store.Item{FeedID: fid, FeedName: fmt.Sprintf("Outlet %d", fid), Key: fmt.Sprintf("b-%d-%d", fid, j),
					GUID: fmt.Sprintf("b-%d-%d", fid, j), URL: fmt.Sprintf("https://example.org/a/%d/%d", fid, j),
					Title: sentence(10), Text: sentence(90), Summary: sentence(45), Published: pub, Fetched: now,
					Regions: []string{regions[rnd.IntN(len(regions))]}, Topics: []string{topicNames[rnd.IntN(len(topicNames))]},
					StoryID: story}
				its = append(its, it)
				sts = append(sts, store.Story{ID: story, Title: it.Title, Summary: it.Summary, Regions: it.Regions,
					Topics: it.Topics, Severity: "low", FirstSeen: pub, LastSeen: pub})
			}
		}
		items, stories = append(items, its), append(stories, sts)
	}
	return items, stories
}

// BenchmarkInsertItems10k stores 10,000 items into a fresh database file
// (WAL, synchronous=NORMAL): in 200 transactions of two feeds each, as
// polls of single feeds on their schedules do, and in transactions of up
// to maxRound items, as the insert batcher groups a PollAll round of 400
// feeds (sitrep poll --once, bench poll).
func BenchmarkInsertItems10k(b *testing.B) {
	for _, c := range []struct {
		name string
		max  int // items per transaction, at most
	}{{"feeds=2", 50}, {"round", maxRound}} {
		b.Run(c.name, func(b *testing.B) { benchInsert(b, c.max) })
	}
}

// maxRound is ingest's maxBatchItems.
const maxRound = 2000

func benchInsert(b *testing.B, most int) {
	ctx := context.Background()
	b.ReportAllocs()
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		db, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		var ids []int64
		for i := range 400 {
			f, err := db.UpsertFeed(ctx, store.Feed{URL: fmt.Sprintf("https://example.org/feed/%d", i)})
			if err != nil {
				b.Fatal(err)
			}
			ids = append(ids, f.ID)
		}
		batches, storyBatches := benchBatches(ids)
		var items [][]store.Item
		var stories [][]store.Story
		for i := range batches {
			if n := len(items); n > 0 && len(items[n-1])+len(batches[i]) <= most {
				items[n-1] = append(items[n-1], batches[i]...)
				stories[n-1] = append(stories[n-1], storyBatches[i]...)
				continue
			}
			items, stories = append(items, batches[i]), append(stories, storyBatches[i])
		}
		b.StartTimer()
		start := processCPU()
		for i := range items {
			fresh, err := db.InsertItems(ctx, items[i], stories[i])
			if err != nil || len(fresh) != len(items[i]) {
				b.Fatalf("InsertItems: %d new, %v", len(fresh), err)
			}
		}
		cpu += processCPU() - start
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
}

// processCPU is the process's user and system CPU time so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
