package summarize_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sitrep-bot/sitrep/internal/cputime"

	"github.com/sitrep-bot/sitrep/feeds"
	"github.com/sitrep-bot/sitrep/summarize"
)

// BenchmarkFeedFurniture learns the furniture of each real feed of
// ../shared/corpus/labelled/feeds from its items and cleans every item with
// it, as a first poll does; one op is the whole corpus (731 items), and it
// reports CPU time per item. It skips when the corpus is missing.
func BenchmarkFeedFurniture(b *testing.B) {
	paths, err := filepath.Glob("../../shared/corpus/labelled/feeds/*.xml")
	if err != nil {
		b.Fatal(err)
	}
	var all [][]feeds.Item
	n := 0
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		if _, its, _, err := feeds.Parse(data, "", ""); err == nil && len(its) > 0 {
			all = append(all, its)
			n += len(its)
		}
	}
	if n == 0 {
		b.Skip("feed corpus not available (../shared/corpus/labelled/feeds)")
	}
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
