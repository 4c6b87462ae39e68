package summarize_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sitrep-bot/sitrep/feeds"
	"github.com/sitrep-bot/sitrep/summarize"
)

// TestFeedCorpus summarizes every item of every real feed in
// ../shared/corpus/feeds and ../shared/corpus/labelled/feeds the way the
// ingest path does (each feed's furniture learned from its own items) and
// checks the summaries as a reader would: no feed furniture (read-more
// links, "appeared first on", agency datelines, messaging-app promos), and
// the description's first sentence kept in at least 90% of the summaries
// of multi-sentence descriptions. It prints the counts with -v:
//
//	go test ./summarize -run TestFeedCorpus -v
//
// It skips when the corpus is missing.
func TestFeedCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the whole feed corpus")
	}
	var files []string
	for _, root := range []string{"../../shared/corpus/feeds", "../../shared/corpus/labelled/feeds"} {
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && !strings.HasSuffix(p, ".md") {
				files = append(files, p)
			}
			return nil // a missing root is skipped below
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(files) == 0 {
		t.Skip("feed corpus not available (../shared/corpus)")
	}
	var items, withFurniture, multi, leadKept int
	kinds := map[string]int{}
	for _, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		_, its, _, err := feeds.Parse(b, "", "")
		if err != nil {
			continue // the malformed fixtures that are not feeds
		}
		feed := filepath.Base(path)
		sums := summarizeFeed(its)
		recurring := recurringSentences(its)
		for i, it := range its {
			if strings.TrimSpace(it.Content) == "" {
				continue
			}
			items++
			sum := sums[i]
			if k := furnitureKind(sum); k != "" {
				withFurniture++
				kinds[k]++
				if kinds[k] <= 3 || k == "dateline" {
					t.Logf("furniture %s in %s %q: %q", k, feed, it.Title, clip(sum, 200))
				}
			}
			lead, n := referenceLead(it.Content, recurring)
			if n < 2 {
				continue
			}
			multi++
			if keeps(sum, lead) {
				leadKept++
			} else if multi-leadKept <= 15 {
				t.Logf("lead dropped in %s %q:\n  lead: %q\n  summary: %q", feed, it.Title, clip(lead, 160), clip(sum, 240))
			}
		}
	}
	pct := 100 * float64(leadKept) / float64(max(multi, 1))
	t.Logf("%d items: %d summaries with furniture %v; lead kept in %d of %d multi-sentence descriptions (%.1f%%)",
		items, withFurniture, kinds, leadKept, multi, pct)
	if withFurniture > 0 {
		t.Errorf("%d summaries carry feed furniture", withFurniture)
	}
	if pct < 90 {
		t.Errorf("lead kept in %.1f%% of multi-sentence descriptions, want >= 90%%", pct)
	}
}

// summarizeFeed summarizes the items of one feed as the ingest path does.
func summarizeFeed(its []feeds.Item) []string {
	f := summarize.NewFeedFurniture()
	for _, it := range its {
		f.Learn(it.Key, it.Content)
	}
	out := make([]string, len(its))
	for i, it := range its {
		text := f.Clean(it.Content)
		if s, err := summarize.Summarize(text, summarize.Options{Title: it.Title, MaxChars: 1200, Lead: true}); err == nil {
			out[i] = s.Text()
		}
	}
	return out
}

// The checks below are written independently of the cleaner, as a reader's
// list of what must not show: they are the measure, not the mechanism.
var (
	appearedFirst = regexp.MustCompile(`(?i)appeared first on`)
	readMore      = regexp.MustCompile(`(?i)(continue reading|read more|read the full|keep reading|full story|` +
		`اقرأ المزيد|اقرأ أيضا|للمزيد|ادامه مطلب|ادامه خبر|بیشتر بخوانید|devamı|czytaj (więcej|dalej)|مزید پڑھیں|` +
		`weiterlesen|lire la suite|leia mais|leer más)\W*$`)
	// CITY[, date] (AGENCY) –  /  CITY- / CITY – at the start of a sentence
	dateline = regexp.MustCompile(`(^|[.!?] )(\p{Lu}[\p{Lu}\p{M} .'-]{2,}(, [^()]{1,25})? ?(\([^()]{2,20}\) ?)?[-–—]+ |` +
		`[^\s()]{2,}( [^\s()]{2,})? \([^()]{2,20}\) ?[-–—]+ |[^\s()]{2,}[-–] ?[^\s()]{2,}[-–] )`)
	messaging = regexp.MustCompile(`(?i)(telegram|تليغرام|تلغرام|تلگرام|whatsapp|واتساب|واتس اب)`)
	promoWord = regexp.MustCompile(`(?i)(channel|follow us|join us|subscribe|قناة|تابعوا|اشترك|کانال|تغطية متواصلة)`)
	newsPromo = regexp.MustCompile(`(?i)(get our [a-z ,]*(email|app|podcast)|sign up (to|for) (our|the))`)
)

// furnitureKind names the furniture a summary carries, or "".
func furnitureKind(s string) string {
	switch {
	case appearedFirst.MatchString(s):
		return "appeared-first"
	case readMore.MatchString(strings.TrimSpace(s)):
		return "read-more"
	case dateline.MatchString(s):
		return "dateline"
	case messaging.MatchString(s) && promoWord.MatchString(s) && !strings.Contains(strings.ToLower(s), "said"):
		return "messaging-promo"
	case newsPromo.MatchString(s):
		return "newsletter-promo"
	}
	return ""
}

// recurringSentences returns the sentences that recur verbatim in three or
// more items of a feed: the feed's own furniture.
func recurringSentences(its []feeds.Item) map[string]bool {
	n := map[string]int{}
	for _, it := range its {
		seen := map[string]bool{}
		for _, s := range summarize.Split(it.Content) {
			if !seen[s] {
				seen[s] = true
				n[s]++
			}
		}
	}
	out := map[string]bool{}
	for s, c := range n {
		if c >= 3 {
			out[s] = true
		}
	}
	return out
}

// referenceLead returns the description's first sentence that is not
// furniture, and how many such sentences it has.
func referenceLead(content string, recurring map[string]bool) (string, int) {
	var lead string
	n := 0
	for _, s := range summarize.Split(content) {
		if furnitureKind(s) != "" && !dateline.MatchString(s) || recurring[s] || countWords(s) < 3 {
			continue
		}
		if lead == "" {
			lead = s
		}
		n++
	}
	return lead, n
}

// keeps reports whether summary contains the lead sentence: its second
// half verbatim (modulo spacing and case), so that a dateline cut from its
// start still counts.
func keeps(summary, lead string) bool {
	w := strings.Fields(strings.ToLower(lead))
	tail := strings.Join(w[len(w)/2:], " ")
	return strings.Contains(strings.Join(strings.Fields(strings.ToLower(summary)), " "), tail)
}

func countWords(s string) int { return len(strings.Fields(s)) }

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
