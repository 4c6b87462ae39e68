package ingest

import (
	"context"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/feeds"
	"github.com/sitrep-bot/sitrep/store"
)

// summaryItems are feed items long enough that a summary is not the text.
var summaryItems = []feeds.Item{
	{Key: "s1", URL: "https://a.example/1", Title: "Houthis fire missile at ship in Red Sea",
		Content: "Yemen's Houthis fired a missile at a cargo ship off Hodeidah in the Red Sea on Monday, the UKMTO agency said. " +
			"The ship reported minor damage and its crew were unharmed. The group said it targeted the vessel over its links to Israel. " +
			"Shipping companies have rerouted vessels around Africa since the attacks began. Insurers raised premiums again this week. " +
			"The United States and Britain have struck Houthi targets in response, without stopping the attacks."},
	{Key: "s2", URL: "https://a.example/2", Title: "Iraqi border guards seize weapons near Syria",
		Content: "Iraqi border guards seized a shipment of weapons at the Al-Qaim crossing with Syria, the interior ministry said on Tuesday. " +
			"The shipment included rifles, ammunition and explosives hidden in a lorry carrying vegetables. Two drivers were arrested. " +
			"Officials said smuggling across the desert border has risen in recent months. An investigation has been opened. " +
			"The crossing reopened to trade in 2019 after years of closure during the war against Islamic State, and traffic has grown since."},
}

// summarizeAll gives every pending item of the polls the summary commit
// would give it; its workers stop with the context, leaving the items they
// did not reach to commit.
func TestSummarizeAll(t *testing.T) {
	p := newTestPipeline(t, openStore(t), &scriptFetcher{}, time.Now)
	want := make([]string, len(summaryItems))
	for i, it := range summaryItems {
		si := store.Item{Title: it.Title, Text: it.Content}
		p.summarize(&si)
		want[i] = si.Summary
		if si.Summary == "" || si.Summary == it.Content {
			t.Fatalf("summary of %s = %q: the test needs a text longer than its summary", it.Key, si.Summary)
		}
	}
	for _, c := range []struct {
		name    string
		workers int
		cancel  bool // the context is cancelled before summarizeAll starts
	}{
		{"one worker", 1, false},
		{"more workers than items", 8, false},
		{"cancelled", 2, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var polls []*pollState
			for range 3 {
				ps := &pollState{}
				for _, it := range summaryItems {
					ps.batch = append(ps.batch, pending{item: store.Item{Title: it.Title, Text: it.Content}})
				}
				polls = append(polls, ps)
			}
			polls = append(polls, &pollState{done: true, batch: []pending{{item: store.Item{Text: "ended poll"}}}})
			if c.cancel {
				cancel()
			}
			p.summarizeAll(ctx, polls, c.workers)
			for _, ps := range polls[:3] {
				for i, b := range ps.batch {
					switch {
					case c.cancel && (b.summarized || b.item.Summary != ""):
						t.Errorf("item %d summarized after the context was cancelled: %q", i, b.item.Summary)
					case !c.cancel && (!b.summarized || b.item.Summary != want[i]):
						t.Errorf("item %d: summarized %v, summary %q, want %q", i, b.summarized, b.item.Summary, want[i])
					}
				}
			}
			if b := polls[3].batch[0]; b.summarized || b.item.Summary != "" {
				t.Errorf("an ended poll's item was summarized: %q", b.item.Summary)
			}
		})
	}
}

// PollAll, which makes summaries while stories are assigned, stores the
// summaries a single feed's Poll does.
func TestPollAllSummariesMatchPoll(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	items := make([]feeds.Item, len(summaryItems))
	for i, it := range summaryItems {
		it.Published = now.Add(-time.Duration(i+1) * time.Hour)
		items[i] = it
	}
	summaries := func(all bool) map[string]string {
		st := openStore(t)
		f := addFeed(t, st, store.Feed{URL: "https://a.example/rss", Name: "A"})
		p := newTestPipeline(t, st, &scriptFetcher{results: map[string][]feeds.Result{f.URL: {{Items: items}}}}, func() time.Time { return now })
		var r PollResult
		if all {
			r = p.PollAll(ctx, []store.Feed{f}, true, 2)[0]
		} else {
			r = p.Poll(ctx, f, true)
		}
		if r.Err != nil || len(r.New) != len(items) {
			t.Fatalf("poll (all %v): %d new, %v", all, len(r.New), r.Err)
		}
		stored, err := st.Items(ctx, store.ItemFilter{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, it := range stored {
			out[it.Key] = it.Summary
		}
		return out
	}
	one, all := summaries(false), summaries(true)
	for _, it := range items {
		if all[it.Key] == "" || all[it.Key] != one[it.Key] {
			t.Errorf("%s: PollAll stored summary %q, Poll %q", it.Key, all[it.Key], one[it.Key])
		}
	}
}
