package summarize

import (
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// benchArticles returns dev-set articles when ../shared is present, else the
// bundled sample text.
func benchArticles(b *testing.B) []string {
	b.Helper()
	if _, err := os.Stat("../../shared/eval/cnndm_1000.dev.jsonl"); err == nil {
		rows := loadRows(b, "cnndm_1000.dev.jsonl")
		out := make([]string, len(rows))
		for i, r := range rows {
			out[i] = r.Article
		}
		return out
	}
	t, err := os.ReadFile("testdata/article.txt")
	if err != nil {
		b.Fatal(err)
	}
	return []string{string(t)}
}

// reportArticles reports throughput in articles per wall-clock second and
// per second of process CPU time (the latter is stable on a loaded machine;
// run with GOMAXPROCS=1 for one core).
func reportArticles(b *testing.B, n int, cpu0 time.Duration) {
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "articles/s")
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(n)/cpu.Seconds(), "articles/cpu-s")
	}
}

// cpuTime returns the user+system CPU time of the process.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkSplit(b *testing.B) {
	arts := benchArticles(b)
	b.ReportAllocs()
	n := 0
	cpu0 := cpuTime()
	for b.Loop() {
		Split(arts[n%len(arts)])
		n++
	}
	reportArticles(b, n, cpu0)
}

func BenchmarkRank(b *testing.B) {
	arts := benchArticles(b)
	docs := make([]document, len(arts))
	for i, a := range arts {
		docs[i] = prepare(a, "")
	}
	b.ReportAllocs()
	n := 0
	cpu0 := cpuTime()
	for b.Loop() {
		d := docs[n%len(docs)]
		r := getRanker()
		r.p = defaultParams
		sc := r.rank(d, "")
		r.selectMMR(d, sc, 3, 0, false)
		putRanker(r)
		n++
	}
	reportArticles(b, n, cpu0)
}

func BenchmarkSummarize(b *testing.B) {
	arts := benchArticles(b)
	b.ReportAllocs()
	n := 0
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := Summarize(arts[n%len(arts)], Options{}); err != nil {
			b.Fatal(err)
		}
		n++
	}
	reportArticles(b, n, cpu0)
}

func BenchmarkSummarizeMany(b *testing.B) {
	arts := benchArticles(b)
	if len(arts) < 5 {
		arts = append(arts, arts...)
	}
	docs := make([]Document, 5)
	for i := range docs {
		docs[i] = Document{Text: arts[i%len(arts)]}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SummarizeMany(docs, Options{Sentences: 5}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSummarizeLarge shows that time grows linearly with the input:
// compare the MB/s of the sizes.
func BenchmarkSummarizeLarge(b *testing.B) {
	para := "Militants attacked a checkpoint near the border on Monday and officials said five guards died. " +
		"The army sent reinforcements, and the governor ordered the crossing closed until further notice.\n\n"
	for _, c := range []struct {
		name string
		size int
		sep  string
	}{{"1MB", 1 << 20, "\n\n"}, {"5MB", 5 << 20, "\n\n"}, {"5MB_one_line", 5 << 20, " "}} {
		text := strings.Repeat(strings.TrimSpace(para)+c.sep, c.size/len(para))
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Summarize(text, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSummarizeShortLead summarizes a feed description short enough
// to be its own summary (Options.Lead), as the pipeline does for most feed
// items: it is cleaned and split, not ranked.
func BenchmarkSummarizeShortLead(b *testing.B) {
	const text = "Security forces attacked a checkpoint near Kirkuk on Monday, officials said, and 12 people were reported hurt. " +
		"Officials said the death toll could rise. Witnesses described heavy gunfire for several hours. " +
		"No group immediately claimed responsibility. A curfew was imposed in parts of the city."
	opt := Options{Title: "Security forces attack a checkpoint near Kirkuk, 12 reported hurt", MaxChars: 1200, Lead: true}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Summarize(text, opt); err != nil {
			b.Fatal(err)
		}
	}
}
