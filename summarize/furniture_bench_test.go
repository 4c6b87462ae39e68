package summarize_test

import (
	"testing"

	"github.com/sitrep-bot/sitrep/internal/corpustest"
	"github.com/sitrep-bot/sitrep/internal/cputime"

	"github.com/sitrep-bot/sitrep/summarize"
)

// BenchmarkFeedFurniture learns the furniture of each real feed of
// ../shared/corpus/labelled/feeds from its items and cleans every item with
// it, as a first poll does; one op is the whole corpus (731 items), and it
// reports CPU time per item. It skips when the corpus is missing.
func BenchmarkFeedFurniture(b *testing.B) {
	all, n := corpustest.Feeds(b, "../../shared/corpus/labelled/feeds")
	b.ResetTimer()
	cpu := cputime.Process()
	for range b.N {
		for _, its := range all {
			f := summarize.NewFeedFurniture()
			for _, it := range its {
				f.Learn(it.Key, it.Content)
			}
			for _, it := range its {
				f.Clean(it.Content)
			}
		}
	}
	b.ReportMetric(float64(cputime.Process()-cpu)/float64(b.N*n), "cpu-ns/item")
}
