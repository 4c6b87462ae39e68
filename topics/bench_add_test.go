package topics

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/internal/cputime"
)

// repetitiveDocs builds reports in the manner of `sitrep bench poll`: a few actors, acts and
// places recombined, so that many docs share most of their words and candidate lists are long.
func repetitiveDocs(n int) []Doc {
	rng := rand.New(rand.NewPCG(3, uint64(n)))
	actors := []string{"Security forces", "Border guards", "Militants", "A drone", "Rebel fighters", "Police", "The army", "Protesters", "Coalition aircraft", "Unidentified gunmen"}
	acts := []string{"attacked a checkpoint", "seized a weapons shipment", "clashed with fighters", "struck a convoy", "arrested suspects", "shelled a village", "blocked a highway", "raided a compound", "intercepted a boat", "stormed a prison"}
	places := []string{"Kirkuk", "Mosul", "Erbil", "Duhok", "Sulaymaniyah", "Basra", "Raqqa", "Idlib", "Aleppo", "Deir ez-Zor", "Hakkari", "Sirnak", "Marib", "Taiz", "Hodeidah", "Aden", "Tyre", "Zahedan", "Ahvaz", "Piranshahr"}
	days := []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	details := []string{"Officials said the death toll could rise.", "Witnesses described heavy gunfire for several hours.", "The interior ministry said an investigation had been opened.", "No group immediately claimed responsibility.", "Local hospitals received several wounded people.", "The incident follows weeks of rising tension in the area.", "Residents said electricity and water were cut.", "A curfew was imposed in parts of the city."}
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	docs := make([]Doc, n)
	for i := range docs {
		actor, act, place := actors[rng.IntN(len(actors))], acts[rng.IntN(len(acts))], places[rng.IntN(len(places))]
		k := 2 + rng.IntN(40)
		var text strings.Builder
		fmt.Fprintf(&text, "%s %s near %s on %s, officials said, and %d people were reported hurt. ", actor, act, place, days[rng.IntN(7)], k)
		for j := 0; j < 5; j++ {
			text.WriteString(details[rng.IntN(len(details))] + " ")
		}
		docs[i] = Doc{
			ID:        fmt.Sprintf("r%d", i),
			Title:     fmt.Sprintf("%s %s near %s, %d reported hurt", actor, act, place, k),
			Text:      text.String(),
			Published: base.Add(time.Duration(rng.IntN(600)) * time.Minute),
		}
	}
	// In publication order, as polls bring them (see syntheticDocs).
	slices.SortStableFunc(docs, func(a, b Doc) int { return a.Published.Compare(b.Published) })
	return docs
}

// BenchmarkClusterAdd times Clusterer.Add alone, as the pipeline calls it after tagging: given
// the Tags that Tag returned for the doc ("tagged"), and given Tags built by hand ("untagged").
// Tags are computed before the timer starts.
func BenchmarkClusterAdd(b *testing.B) {
	tg, err := NewTagger(nil)
	if err != nil {
		b.Fatal(err)
	}
	sets := []struct {
		name string
		docs []Doc
	}{{"synthetic", syntheticDocs(10000)}, {"repetitive", repetitiveDocs(10000)}}
	for _, set := range sets {
		tags := make([]Tags, len(set.docs))
		for i, d := range set.docs {
			tags[i] = tg.Tag(d)
		}
		for _, tagged := range []bool{true, false} {
			name := set.name + "/untagged"
			if tagged {
				name = set.name + "/tagged"
			}
			b.Run(name, func(b *testing.B) {
				cpu := cputime.Process()
				for i := 0; i < b.N; i++ {
					c := NewClusterer(0)
					for j, d := range set.docs {
						tg := Tags{Regions: tags[j].Regions, Topics: tags[j].Topics}
						if tagged {
							tg = tags[j]
						}
						c.Add(d, tg, "")
					}
				}
				n := float64(b.N * len(set.docs))
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/doc")
				b.ReportMetric(float64(cputime.Process()-cpu)/n, "cpu-ns/doc")
			})
		}
	}
}

// BenchmarkClusterAddBatch times a first poll's AddBatch: 10,000 tagged docs in one batch, in
// the order feeds list them (not publication order), as ingest's PollAll hands them over.
func BenchmarkClusterAddBatch(b *testing.B) {
	tg, err := NewTagger(nil)
	if err != nil {
		b.Fatal(err)
	}
	docs := syntheticDocs(10000)
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
	tags := make([]Tags, len(docs))
	for i, d := range docs {
		tags[i] = tg.Tag(d)
	}
	b.ResetTimer()
	cpu := cputime.Process()
	for i := 0; i < b.N; i++ {
		// AddBatch keeps the prepared analysis of tags; hand it a fresh copy each round.
		NewClusterer(0).AddBatch(docs, slices.Clone(tags))
	}
	n := float64(b.N * len(docs))
	b.ReportMetric(float64(cputime.Process()-cpu)/n, "cpu-ns/doc")
}
