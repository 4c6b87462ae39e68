package summarize_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/sitrep-bot/sitrep/feeds"
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

// BenchmarkPollFeeds does the summarizer's part of a first poll of the
// real feeds of ../shared/corpus/labelled/feeds, as package ingest does it:
// each feed's furniture learns from its items, every item is cleaned with
// it and summarized as a lead (title, 1200-character budget) into a text.
// One op is the whole corpus; it skips when the corpus is missing.
func BenchmarkPollFeeds(b *testing.B) {
	all, n := corpustest.Feeds(b, "../../shared/corpus/labelled/feeds")
	benchPoll(b, all, n)
}

// BenchmarkPollSynthetic is BenchmarkPollFeeds on feeds shaped like those
// of `sitrep bench poll`: 25 short items a feed, a lead sentence followed by
// details drawn from a small set (which the furniture learns as recurring).
func BenchmarkPollSynthetic(b *testing.B) {
	details := []string{"Officials said the death toll could rise.", "Witnesses described heavy gunfire for several hours.",
		"The interior ministry said an investigation had been opened.", "No group immediately claimed responsibility.",
		"Local hospitals received several wounded people.", "The incident follows weeks of rising tension in the area.",
		"Residents said electricity and water were cut.", "A curfew was imposed in parts of the city."}
	places := []string{"Kirkuk", "Mosul", "Erbil", "Basra", "Raqqa", "Idlib", "Aleppo", "Marib", "Taiz", "Aden"}
	days := []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	rnd := rand.New(rand.NewPCG(1, 2))
	var all [][]feeds.Item
	n := 0
	for f := range 40 {
		var its []feeds.Item
		for j := range 25 {
			place, hurt := places[rnd.IntN(len(places))], 2+rnd.IntN(40)
			var t strings.Builder
			fmt.Fprintf(&t, "Security forces attacked a checkpoint near %s on %s, officials said, and %d people were reported hurt.",
				place, days[rnd.IntN(len(days))], hurt)
			for range 5 {
				t.WriteString(" " + details[rnd.IntN(len(details))])
			}
			its = append(its, feeds.Item{Key: fmt.Sprintf("b-%d-%d", f, j), Content: t.String(),
				Title: fmt.Sprintf("Security forces attacked a checkpoint near %s, %d reported hurt", place, hurt)})
		}
		all = append(all, its)
		n += len(its)
	}
	benchPoll(b, all, n)
}

func benchPoll(b *testing.B, all [][]feeds.Item, n int) {
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cputime.Process()
	for range b.N {
		for _, its := range all {
			f := summarize.NewFeedFurniture()
			cleaned := make(map[string]string, len(its))
			for _, it := range its {
				if c, ok := f.Learn(it.Key, it.Content); ok {
					cleaned[it.Content] = c
				}
			}
			for _, it := range its {
				text, ok := cleaned[it.Content]
				if ok {
					text = f.CleanCleaned(text)
				} else {
					text = f.Clean(it.Content)
				}
				if sum, err := summarize.Summarize(text, summarize.Options{Title: it.Title, MaxChars: 1200, Lead: true}); err == nil {
					_ = sum.Text()
				}
			}
		}
	}
	b.ReportMetric(float64(cputime.Process()-cpu)/float64(b.N*n), "cpu-ns/item")
}
