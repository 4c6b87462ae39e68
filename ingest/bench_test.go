package ingest

import (
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/internal/corpustest"
	"github.com/sitrep-bot/sitrep/internal/cputime"
	"github.com/sitrep-bot/sitrep/store"
	"github.com/sitrep-bot/sitrep/summarize"
	"github.com/sitrep-bot/sitrep/topics"
)

// BenchmarkProcessItems runs the per-item work of a first poll before
// stories are assigned, and the summaries, on the real feeds of
// ../shared/corpus/labelled/feeds: learn each feed's furniture from its
// items, clean and tag every item, summarize it. One op is the whole
// corpus; it reports CPU time per item. It skips when the corpus is missing.
func BenchmarkProcessItems(b *testing.B) {
	all, n := corpustest.Feeds(b, "../../shared/corpus/labelled/feeds")
	tg, err := topics.NewTagger(nil)
	if err != nil {
		b.Fatal(err)
	}
	p := NewPipeline(nil, nil, tg, quietLog(), PipelineOptions{})
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	cpu := cputime.Process()
	for b.Loop() {
		for i, its := range all {
			feed := store.Feed{ID: int64(i + 1), Name: "Bench"}
			furn := summarize.NewFeedFurniture()
			cleaned := learnFurniture(furn, its)
			for _, it := range its {
				pd := p.processItem(feed, furn, cleaned, it, now)
				p.summarize(&pd.item)
			}
		}
	}
	b.ReportMetric(float64(cputime.Process()-cpu)/float64(b.N*n), "cpu-ns/item")
}
