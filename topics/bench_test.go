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

// syntheticDocs builds n reports of about n/3 events: each event (type × place × actor × day) is
// reported by one to five outlets with reworded titles and shuffled body sentences, in English and
// some Arabic. Deterministic for a given n.
func syntheticDocs(n int) []Doc {
	rng := rand.New(rand.NewPCG(1, uint64(n)))
	places := []string{"Duhok", "Erbil", "Sulaymaniyah", "Kirkuk", "Mosul", "Basra", "Anbar", "Diyala", "Baghdad", "Sinjar",
		"Tehran", "Mashhad", "Hodeidah", "Sanaa", "Aden", "Idlib", "Aleppo", "Deir ez-Zor", "Raqqa", "Beirut", "Tyre",
		"Gaza", "Jenin", "Rafah", "Amman", "Riyadh", "Doha", "Manama", "Kuwait", "Muscat", "Kabul", "Peshawar", "Quetta"}
	actors := []string{"PKK", "ISIS", "Houthis", "Hezbollah", "IRGC", "SDF", "PMF", "Peshmerga", "Hamas", "Taliban", "KDPI", "Komala"}
	events := []struct{ title, body string }{
		{"%s drone strike hits %s positions near %s", "A drone strike hit %[2]s positions near %[3]s, killing %[4]d people, officials said. The attack was claimed by %[1]s."},
		{"%s and %s clash in %s", "Clashes between %[1]s and %[2]s fighters in %[3]s left %[4]d dead and many wounded, according to local sources."},
		{"%s protest in %s over %s", "Hundreds of %[1]s supporters protested in %[2]s over %[3]s; police used tear gas and arrested %[4]d people."},
		{"%s officials sign border agreement with %s in %s", "Officials signed a border security memorandum in %[3]s to tighten control over smuggling routes used by %[2]s; %[4]d patrols will be deployed."},
		{"Explosion at %s depot near %s, %s", "An explosion at a weapons depot of %[1]s near %[2]s wounded %[4]d people, security sources said."},
		{"%s seize tanker off %s, %s", "Forces of %[1]s seized an oil tanker off %[2]s with %[4]d crew on board, maritime sources said."},
	}
	filler := []string{
		"The situation remained tense in the area, residents said.",
		"No group immediately claimed responsibility.",
		"The government called for calm and promised an investigation.",
		"Witnesses described hearing several loud blasts before dawn.",
		"The incident comes amid rising regional tensions.",
		"Talks between the parties have stalled for months.",
		"Local media published images of the damage.",
		"Officials gave no further details.",
	}
	sources := []string{"Rudaw", "Shafaq News", "Kurdistan24", "Reuters", "AFP", "Al Jazeera", "The National", "AP"}
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	docs := make([]Doc, 0, n)
	for ev := 0; len(docs) < n; ev++ {
		e := events[rng.IntN(len(events))]
		a, b := actors[rng.IntN(len(actors))], actors[rng.IntN(len(actors))]
		p := places[rng.IntN(len(places))]
		k := 1 + rng.IntN(30)
		at := base.Add(time.Duration(rng.IntN(20*24*60)) * time.Minute)
		// Details only this event has: a village and a spokesman, as real reports name them.
		village, person := pseudoWord(rng), pseudoWord(rng)
		reports := 1 + rng.IntN(5)
		for r := 0; r < reports && len(docs) < n; r++ {
			var title, body string
			title = fmt.Sprintf(e.title, a, b, p)
			body = fmt.Sprintf(e.body, a, b, p, k) + fmt.Sprintf(" It happened near the village of %s, spokesman %s said.", village, person)
			if r%2 == 0 {
				title += " village of " + village
			}
			sents := append([]string{body}, filler...)
			rng.Shuffle(len(sents)-1, func(i, j int) { sents[i+1], sents[j+1] = sents[j+1], sents[i+1] })
			if r%2 == 1 {
				title = strings.Replace(title, " near ", " outside ", 1)
			}
			docs = append(docs, Doc{
				ID:        fmt.Sprintf("ev%d-r%d", ev, r),
				Title:     title,
				Text:      strings.Join(sents[:4+rng.IntN(4)], " ") + " " + strings.Repeat("Further reporting continued through the day. ", 10),
				Source:    sources[rng.IntN(len(sources))],
				Published: at.Add(time.Duration(rng.IntN(180)) * time.Minute),
			})
		}
	}
	// In publication order, as polls bring them: a report published before docs already
	// clustered makes the clusterer assign those again.
	slices.SortStableFunc(docs, func(a, b Doc) int { return a.Published.Compare(b.Published) })
	return docs
}

// pseudoWord returns a random capitalised nonsense word.
func pseudoWord(rng *rand.Rand) string {
	const cons, vow = "bdfghklmnprstvz", "aeiou"
	var b strings.Builder
	for i := 0; i < 3; i++ {
		b.WriteByte(cons[rng.IntN(len(cons))])
		b.WriteByte(vow[rng.IntN(len(vow))])
	}
	w := b.String()
	return strings.ToUpper(w[:1]) + w[1:]
}

func BenchmarkTag(b *testing.B) {
	docs := syntheticDocs(10000)
	tg, err := NewTagger([]UserTopic{{Name: "pkk", Query: `PKK OR "Kurdistan Workers"`}, {Name: "iraq-border", Query: "region:iraq topic:border-security"}})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	cpu := cputime.Process()
	for i := 0; i < b.N; i++ {
		tg.Tag(docs[i%len(docs)])
	}
	b.ReportMetric(float64(cputime.Process()-cpu)/float64(b.N), "cpu-ns/op")
}

// BenchmarkCluster clusters n synthetic docs per op with a fresh Clusterer; ns/doc staying flat
// from 1,000 to 10,000 docs shows the cost is not quadratic.
func BenchmarkCluster(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			docs := syntheticDocs(n)
			b.ResetTimer()
			cpu := cputime.Process()
			for i := 0; i < b.N; i++ {
				c := NewClusterer(0)
				for _, d := range docs {
					c.Add(d, Tags{}, "")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/doc")
			b.ReportMetric(float64(cputime.Process()-cpu)/float64(b.N*n), "cpu-ns/doc")
		})
	}
}

// BenchmarkTagAndCluster10k tags and clusters 10,000 synthetic docs per op.
func BenchmarkTagAndCluster10k(b *testing.B) {
	docs := syntheticDocs(10000)
	tg, err := NewTagger(nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	cpu := cputime.Process()
	for i := 0; i < b.N; i++ {
		c := NewClusterer(0)
		for _, d := range docs {
			c.Add(d, tg.Tag(d), "")
		}
	}
	b.ReportMetric(float64(cputime.Process()-cpu)/float64(b.N), "cpu-ns/op")
}

// TestSyntheticClustering checks that the synthetic event stream used by the benchmarks clusters
// sensibly: reports of one event together, different events apart.
func TestSyntheticClustering(t *testing.T) {
	if testing.Short() {
		t.Skip("3000 synthetic documents (slow)")
	}
	docs := syntheticDocs(3000)
	c := NewClusterer(0)
	got, gold := map[string]string{}, map[string]string{}
	for _, d := range docs {
		c.Add(d, Tags{}, "")
	}
	for _, d := range docs {
		got[d.ID], _ = c.StoryOf(d.ID)
		gold[d.ID], _, _ = strings.Cut(d.ID, "-")
	}
	p, r, f := bcubed(got, gold)
	t.Logf("synthetic B-cubed P=%.3f R=%.3f F1=%.3f", p, r, f)
	if f < 0.7 {
		t.Errorf("synthetic B-cubed F1 %.3f < 0.7", f)
	}
}

// BenchmarkTagRulesOnly is BenchmarkTag with the learned model switched off (the phrase rules
// alone decide topics and severity, as before the model): run both side by side to see what
// the model costs per item.
func BenchmarkTagRulesOnly(b *testing.B) {
	docs := syntheticDocs(10000)
	tg, err := NewTagger([]UserTopic{{Name: "pkk", Query: `PKK OR "Kurdistan Workers"`}, {Name: "iraq-border", Query: "region:iraq topic:border-security"}})
	if err != nil {
		b.Fatal(err)
	}
	tg.m = nil
	b.ResetTimer()
	cpu := cputime.Process()
	for i := 0; i < b.N; i++ {
		tg.Tag(docs[i%len(docs)])
	}
	b.ReportMetric(float64(cputime.Process()-cpu)/float64(b.N), "cpu-ns/op")
}
